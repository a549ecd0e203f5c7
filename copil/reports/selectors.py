"""Read-side queries of the search page, the dashboard and the extra plan filters.

A fixed number of queries whatever the size of the plan. Callers pass action querysets
that already went through the permission funnel (copil.accounts.perms.actions_for).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.db.models import Case, QuerySet, When

from copil.conventions.models import Convention
from copil.core import governance as governance_rules
from copil.core.budget import BudgetFigure, BudgetTotal, grand_total, totals_by_institution
from copil.core.lifecycle import Deadline
from copil.governance import selectors as governance_selectors
from copil.governance.models import GovernanceBody
from copil.plan.enums import ActionStatus
from copil.plan.models import Action, BudgetLine, CooperationPlan, Milestone, Theme
from copil.reports import search

# --- the search page ------------------------------------------------------------------------


@dataclass(frozen=True)
class SearchResult:
    action: Action
    hit: search.Hit


@dataclass
class ConventionResults:
    convention: Convention
    results: list[SearchResult] = field(default_factory=list)


@dataclass(frozen=True)
class SearchPage:
    groups: list[ConventionResults]
    results: search.Results  # the page, the count (capped), the pagination


def search_results_page(actions: QuerySet[Action], text: str, page: int = 1) -> SearchPage:
    """One page of matching actions grouped by convention, the convention of the best
    match first. 2 queries (none when the query holds no word)."""
    results = search.search(actions, text, page=page)
    return SearchPage(_grouped(results.hits), results)


#: The search page's convention filter offers at most this many conventions (a superuser
#: may see thousands): the page stays the same size whoever asks.
MAX_FILTER_CONVENTIONS = 100


def search_filter_conventions(
    conventions: QuerySet[Convention], selected: int | None
) -> tuple[list[Convention], bool]:
    """The conventions the search filter offers, by title: at most MAX_FILTER_CONVENTIONS,
    the selected one always among them; and whether some were left out. One query."""
    chosen = Case(When(pk=selected or 0, then=0), default=1)
    rows = list(
        conventions.only("pk", "title")
        .annotate(chosen=chosen)
        .order_by("chosen", "title", "pk")[: MAX_FILTER_CONVENTIONS + 1]
    )
    truncated = len(rows) > MAX_FILTER_CONVENTIONS
    return sorted(rows[:MAX_FILTER_CONVENTIONS], key=lambda c: (c.title, c.pk)), truncated


def search_results(actions: QuerySet[Action], text: str) -> list[ConventionResults]:
    """The first page of :func:`search_results_page`, grouped."""
    return search_results_page(actions, text).groups


def _grouped(hits: list[search.Hit]) -> list[ConventionResults]:
    if not hits:
        return []
    by_pk = Action.objects.select_related("plan__convention", "orientation__theme").in_bulk(
        [hit.action_id for hit in hits]
    )
    groups: dict[int, ConventionResults] = {}
    for hit in hits:
        action = by_pk.get(hit.action_id)
        if action is None:  # deleted between the two queries
            continue
        convention = action.plan.convention
        group = groups.setdefault(convention.pk, ConventionResults(convention))
        group.results.append(SearchResult(action, hit))
    return list(groups.values())


# --- the dashboard --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ThemeStatusRow:
    theme: Theme
    counts: tuple[int, ...]  # in the order of Dashboard.statuses

    @property
    def total(self) -> int:
        return sum(self.counts)


@dataclass(frozen=True)
class StatusByTheme:
    statuses: tuple[tuple[str, str], ...]  # (value, French label)
    rows: tuple[ThemeStatusRow, ...]
    totals: tuple[int, ...]

    @property
    def total(self) -> int:
        return sum(self.totals)


@dataclass(frozen=True)
class BudgetTable:
    rows: tuple[BudgetTotal, ...]  # institution: a label ("Non précisée" when unknown)
    total: BudgetTotal


@dataclass(frozen=True)
class OverdueMilestone:
    milestone: Milestone
    action: Action
    days_late: int


@dataclass(frozen=True)
class GovernanceAlert:
    body: GovernanceBody
    rule: governance_rules.FrequencyRule
    due_on: dt.date | None
    last_meeting: dt.date | None = None
    missed_quarter: governance_rules.Quarter | None = None


@dataclass(frozen=True)
class Dashboard:
    convention: Convention
    plan: CooperationPlan | None
    on: dt.date
    status_by_theme: StatusByTheme | None
    budget_by_institution: BudgetTable | None
    budget_by_theme: BudgetTable | None
    overdue_milestones: tuple[OverdueMilestone, ...]
    deadlines: tuple[Deadline, ...]
    governance_alerts: tuple[GovernanceAlert, ...]
    governance_body_count: int

    @property
    def action_count(self) -> int:
        return self.status_by_theme.total if self.status_by_theme else 0


def dashboard_convention_queryset() -> QuerySet[Convention]:
    """The convention with what its lifecycle and the plan need: 1 query."""
    return Convention.objects.select_related("plan", "termination")


UNKNOWN_INSTITUTION = "Non précisée"


def _status_by_theme(themes: list[Theme], actions: list[dict]) -> StatusByTheme:
    statuses = tuple(ActionStatus.choices)
    index = {value: i for i, (value, _) in enumerate(statuses)}
    counts: dict[int, list[int]] = {theme.pk: [0] * len(statuses) for theme in themes}
    for action in actions:
        row = counts.get(action["orientation__theme_id"])
        if row is not None and action["status"] in index:
            row[index[action["status"]]] += 1
    rows = tuple(ThemeStatusRow(theme, tuple(counts[theme.pk])) for theme in themes)
    totals = tuple(sum(row.counts[i] for row in rows) for i in range(len(statuses)))
    return StatusByTheme(statuses, rows, totals)


def _budget_table(figures: list[BudgetFigure]) -> BudgetTable:
    rows = tuple(totals_by_institution(figures))
    return BudgetTable(rows, grand_total(rows))


def _theme_label(theme: Theme) -> str:
    return f"{theme.number}. {theme.title}"


def convention_dashboard(
    convention: Convention, actions: QuerySet[Action], on: dt.date
) -> Dashboard:
    """``convention`` from dashboard_convention_queryset(); ``actions``: the actions the
    reader may see (the funnel). 5 queries with a plan (themes, actions, budget lines,
    overdue milestones, governance bodies), 1 without."""
    plan = getattr(convention, "plan", None)
    state = convention.lifecycle(on)
    # One query: each body with the date of its last meeting held by ``on``.
    bodies = governance_selectors.body_rows(convention, on, members=False)
    alerts = [
        GovernanceAlert(
            row.body,
            row.status.rule,
            row.status.due_on,
            row.status.last_meeting,
            row.status.missed_quarter,
        )
        for row in bodies
        if row.status is not None and row.status.late
    ]
    status_by_theme = budget_by_institution = budget_by_theme = None
    overdue: list[OverdueMilestone] = []
    if plan is not None:
        visible = actions.filter(plan=plan)
        themes = list(Theme.objects.filter(plan=plan).order_by("number"))
        rows = list(visible.values("status", "orientation__theme_id"))
        status_by_theme = _status_by_theme(themes, rows)
        lines = list(
            BudgetLine.objects.filter(action__in=visible.values("pk"))
            .values_list("institution__name", "action__orientation__theme_id", "amount_eur", "fte")
            .order_by("action__position", "action_id", "position", "pk")
        )
        theme_labels = {theme.pk: _theme_label(theme) for theme in themes}
        by_institution = [
            BudgetFigure(name or UNKNOWN_INSTITUTION, amount, fte) for name, _, amount, fte in lines
        ]
        by_theme = [
            BudgetFigure(theme_labels.get(theme_id, UNKNOWN_INSTITUTION), amount, fte)
            for _, theme_id, amount, fte in lines
        ]
        order = {label: i for i, label in enumerate(theme_labels.values())}
        budget_by_institution = _budget_table(by_institution)
        theme_table = _budget_table(by_theme)
        budget_by_theme = BudgetTable(
            tuple(sorted(theme_table.rows, key=lambda t: order.get(t.institution, len(order)))),
            theme_table.total,
        )
        milestones = (
            Milestone.objects.filter(
                action__in=visible.values("pk"), due_date__lt=on, reached_on__isnull=True
            )
            .select_related("action")
            .order_by("due_date", "action__position", "position", "pk")
        )
        overdue = [OverdueMilestone(m, m.action, (on - m.due_date).days) for m in milestones]
    return Dashboard(
        convention=convention,
        plan=plan,
        on=on,
        status_by_theme=status_by_theme,
        budget_by_institution=budget_by_institution,
        budget_by_theme=budget_by_theme,
        overdue_milestones=tuple(overdue),
        deadlines=state.upcoming_deadlines if state else (),
        governance_alerts=tuple(alerts),
        governance_body_count=len(bodies),
    )


def has_figures(table: BudgetTable | None) -> bool:
    return bool(table and (table.total.amount_eur > 0 or table.total.fte > 0))
