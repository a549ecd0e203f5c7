"""Read-side queries of the plan: a fixed number of queries whatever the number of actions.

Callers pass action querysets that already went through the permission funnel
(copil.accounts.perms.actions_for); selectors only shape what is shown.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Exists, OuterRef, Prefetch, QuerySet

from copil.institutions.models import Institution
from copil.plan.models import (
    Action,
    ActionLead,
    ActionPartner,
    BudgetLine,
    CooperationPlan,
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
) -> QuerySet[Action]:
    """The plan page's filters (GET parameters), each optional."""
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


def plan_themes(plan: CooperationPlan) -> list[Theme]:
    """Themes with their orientations. 2 queries."""
    return list(Theme.objects.filter(plan=plan).prefetch_related("orientations"))


def filter_choices(plan: CooperationPlan, themes: list[Theme]) -> PlanFilterChoices:
    """The institutions that lead, or are partners of, some action of the plan. 2 queries."""
    leads = Institution.objects.filter(
        Exists(ActionLead.objects.filter(action__plan=plan, institution=OuterRef("pk")))
    ).order_by("name")
    partners = Institution.objects.filter(
        Exists(ActionPartner.objects.filter(action__plan=plan, institution=OuterRef("pk")))
    ).order_by("name")
    return PlanFilterChoices(themes=themes, leads=list(leads), partners=list(partners))


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
