"""Read-side queries of the plan: a fixed number of queries whatever the number of actions.

Callers pass action querysets that already went through the permission funnel
(copil.accounts.perms.actions_for); selectors only shape what is shown.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, Max, Min, OuterRef, Prefetch, Q, QuerySet

from copil.institutions.models import Institution, Territory
from copil.plan.models import (
    Action,
    ActionLead,
    ActionPartner,
    Attachment,
    BudgetLine,
    Comment,
    CooperationPlan,
    FollowUpNote,
    Milestone,
    Orientation,
    Theme,
)

# --- the plan page ---------------------------------------------------------------------


def plan_actions_queryset(plan: CooperationPlan) -> QuerySet[Action]:
    """The actions of ``plan`` as the tree shows them (number, title, status, leads)."""
    return (
        Action.objects.filter(plan=plan)
        .prefetch_related(
            Prefetch("leads", queryset=ActionLead.objects.select_related("institution"))
        )
        .order_by("position", "pk")
    )


def filter_actions(
    actions: QuerySet[Action],
    *,
    theme: int | None = None,
    lead: int | None = None,
    partner: int | None = None,
    status: str = "",
    territory: int | None = None,
    year: int | None = None,
) -> QuerySet[Action]:
    """The plan page's filters (GET parameters), each optional."""
    actions = filter_plan_actions(actions, territory=territory, year=year)
    if theme:
        actions = actions.filter(orientation__theme_id=theme)
    if lead:
        actions = actions.filter(
            Exists(ActionLead.objects.filter(action=OuterRef("pk"), institution_id=lead))
        )
    if partner:
        actions = actions.filter(
            Exists(ActionPartner.objects.filter(action=OuterRef("pk"), institution_id=partner))
        )
    if status:
        actions = actions.filter(status=status)
    return actions


@dataclass
class OrientationNode:
    orientation: Orientation
    actions: list[Action] = field(default_factory=list)


@dataclass
class ThemeNode:
    theme: Theme
    orientations: list[OrientationNode] = field(default_factory=list)

    @property
    def action_count(self) -> int:
        return sum(len(o.actions) for o in self.orientations)


@dataclass(frozen=True)
class PlanFilterChoices:
    themes: list[Theme]
    leads: list[Institution]
    partners: list[Institution]
    territories: list[Territory] = field(default_factory=list)
    years: list[int] = field(default_factory=list)


def plan_themes(plan: CooperationPlan) -> list[Theme]:
    """Themes with their orientations. 2 queries."""
    return list(Theme.objects.filter(plan=plan).prefetch_related("orientations"))


def filter_choices(plan: CooperationPlan, themes: list[Theme]) -> PlanFilterChoices:
    """Institutions leading or partnering some action, territories and years. 4 queries."""
    leads = Institution.objects.filter(
        Exists(
            ActionLead.objects.filter(
                action__plan=plan, action__deleted_at__isnull=True, institution=OuterRef("pk")
            )
        )
    ).order_by("name")
    partners = Institution.objects.filter(
        Exists(
            ActionPartner.objects.filter(
                action__plan=plan, action__deleted_at__isnull=True, institution=OuterRef("pk")
            )
        )
    ).order_by("name")
    return PlanFilterChoices(
        themes=themes,
        leads=list(leads),
        partners=list(partners),
        territories=territory_choices(plan),
        years=year_choices(plan),
    )


def plan_tree(themes: list[Theme], actions: list[Action], *, prune: bool) -> list[ThemeNode]:
    """Themes -> orientations -> actions; with ``prune``, only branches holding an action."""
    by_orientation: dict[int, list[Action]] = defaultdict(list)
    for action in actions:
        by_orientation[action.orientation_id].append(action)
    tree = []
    for theme in themes:
        node = ThemeNode(theme)
        for orientation in theme.orientations.all():
            branch = OrientationNode(orientation, by_orientation.get(orientation.pk, []))
            if branch.actions or not prune:
                node.orientations.append(branch)
        if node.orientations or not prune:
            tree.append(node)
    return tree


# --- the action page -------------------------------------------------------------------


def action_detail_queryset() -> QuerySet[Action]:
    """Every field of the fiche action, in 8 queries."""
    return Action.objects.select_related("orientation__theme", "plan__convention").prefetch_related(
        Prefetch("leads", queryset=ActionLead.objects.select_related("institution")),
        Prefetch("partner_links", queryset=ActionPartner.objects.select_related("institution")),
        Prefetch("budget_lines", queryset=BudgetLine.objects.select_related("institution")),
        "indicators",
        "milestones",
        "deliverables",
        "territories",
    )


@dataclass
class BudgetRow:
    institution: Institution | None
    amount_eur: Decimal | None = None
    fte: Decimal | None = None
    texts: list[str] = field(default_factory=list)


@dataclass(frozen=True)
class BudgetSummary:
    rows: list[BudgetRow]
    total_eur: Decimal | None
    total_fte: Decimal | None


def _add(total: Decimal | None, value: Decimal | None) -> Decimal | None:
    if value is None:
        return total
    return value if total is None else total + value


def budget_summary(action: Action) -> BudgetSummary:
    """Budget per institution (in the order of the document) and totals, in € and FTE.
    Reads the prefetched lines: no query."""
    rows: dict[int | None, BudgetRow] = {}
    total_eur = total_fte = None
    for line in action.budget_lines.all():
        row = rows.setdefault(line.institution_id, BudgetRow(line.institution))
        row.amount_eur = _add(row.amount_eur, line.amount_eur)
        row.fte = _add(row.fte, line.fte)
        if line.text:
            row.texts.append(line.text)
        total_eur = _add(total_eur, line.amount_eur)
        total_fte = _add(total_fte, line.fte)
    return BudgetSummary(list(rows.values()), total_eur, total_fte)


def action_page_queryset() -> QuerySet[Action]:
    """The action page: the fiche, plus its notes, comments and attachments (11 queries)."""
    return action_detail_queryset().prefetch_related(
        Prefetch("notes", queryset=FollowUpNote.objects.select_related("author")),
        Prefetch("comments", queryset=Comment.objects.select_related("author")),
        Prefetch("attachments", queryset=Attachment.objects.select_related("uploaded_by")),
    )


def action_header_queryset() -> QuerySet[Action]:
    """What the breadcrumb of an action's sub-pages shows: one query."""
    return Action.objects.select_related("orientation__theme", "plan__convention")


class InstitutionChoices:
    """The institutions, read once per page and shared by every row of every formset."""

    def __init__(self) -> None:
        self._choices: list[tuple[object, str]] | None = None

    def __call__(self) -> list[tuple[object, str]]:
        if self._choices is None:
            self._choices = list(Institution.objects.order_by("name").values_list("pk", "name"))
        return [("", "---------"), *self._choices]


# --- more plan filters: territory and year -----------------------------------------------------


def filter_by_territory(actions: QuerySet[Action], territory: int | None) -> QuerySet[Action]:
    """Actions carried out in ``territory`` (Action.territories)."""
    if not territory:
        return actions
    through = Action.territories.through
    return actions.filter(
        Exists(through.objects.filter(action_id=OuterRef("pk"), territory_id=territory))
    )


def active_in_year_q(year: int) -> Q:
    """Active during ``year``: its dates overlap the year, or a milestone is due in it."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    dated = Q(start_date__isnull=False) | Q(end_date__isnull=False)
    overlaps = (
        dated
        & (Q(start_date__isnull=True) | Q(start_date__lte=last))
        & (Q(end_date__isnull=True) | Q(end_date__gte=first))
    )
    milestone = Exists(
        Milestone.objects.filter(action_id=OuterRef("pk"), due_date__range=(first, last))
    )
    return overlaps | Q(milestone)


def filter_by_year(actions: QuerySet[Action], year: int | None) -> QuerySet[Action]:
    return actions.filter(active_in_year_q(year)) if year else actions


def territory_choices(plan: CooperationPlan) -> list[Territory]:
    """The territories some action of ``plan`` is carried out in. 1 query."""
    through = Action.territories.through
    return list(
        Territory.objects.filter(
            Exists(through.objects.filter(action__plan=plan, territory_id=OuterRef("pk")))
        ).order_by("kind", "name")
    )


def year_choices(plan: CooperationPlan) -> list[int]:
    """Every year from the earliest to the latest date of the plan's actions and their
    milestones. 1 query."""
    bounds = Action.objects.filter(plan=plan).aggregate(
        first_start=Min("start_date"),
        last_start=Max("start_date"),
        first_end=Min("end_date"),
        last_end=Max("end_date"),
        first_milestone=Min("milestones__due_date"),
        last_milestone=Max("milestones__due_date"),
    )
    years = [d.year for d in bounds.values() if d is not None]
    return list(range(min(years), max(years) + 1)) if years else []


def filter_plan_actions(
    actions: QuerySet[Action], *, territory: int | None = None, year: int | None = None
) -> QuerySet[Action]:
    """The plan page's territory and year filters, beside plan.selectors.filter_actions
    (theme, lead, partner, status). Each optional; no query of its own."""
    return filter_by_year(filter_by_territory(actions, territory), year)
