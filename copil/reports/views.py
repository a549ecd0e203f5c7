"""Thin views: the permission funnel, a selector, a template."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _

from copil.accounts import perms
from copil.conventions import selectors as convention_selectors
from copil.core.budget import format_eur
from copil.reports import charts, search, selectors


def _int_param(request: HttpRequest, name: str) -> int | None:
    value = request.GET.get(name, "").strip()
    return int(value) if value.isdigit() and len(value) < 12 else None


def search_page(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "").strip()[: search.MAX_QUERY_LENGTH]
    convention_id = _int_param(request, "convention")
    conventions, more_conventions = selectors.search_filter_conventions(
        perms.conventions_for(request.user), convention_id
    )
    actions = perms.actions_for(request.user)
    if convention_id:
        actions = actions.filter(plan__convention_id=convention_id)
    page = _int_param(request, "page") or 1
    found = selectors.search_results_page(actions, query, page) if query else None
    results = found.results if found else search.EMPTY
    context = {
        "query": query,
        "terms": search.query_terms(query),
        "conventions": conventions,
        "more_conventions": more_conventions,
        "convention_id": convention_id,
        "groups": found.groups if found else [],
        "results": results,
        "result_count": results.found,
        "max_results": search.MAX_CANDIDATES,
    }
    return render(request, "reports/search.html", context)


def dashboard(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(
        request.user, pk, queryset=selectors.dashboard_convention_queryset()
    )
    board = selectors.convention_dashboard(
        convention, perms.actions_for(request.user), on=convention_selectors.today()
    )
    context: dict[str, object] = {"convention": convention, "board": board}
    table = board.status_by_theme
    if table is not None and table.rows:
        context["status_chart"] = charts.stacked_bar_chart(
            "chart-status",
            _("Actions par thématique et par état"),
            _(
                "Barres empilées : une barre par thématique, un segment par état, "
                "le nombre d'actions est écrit sur chaque segment. "
                "Le tableau qui suit donne les mêmes chiffres."
            ),
            [f"{row.theme.number}. {row.theme.title}" for row in table.rows],
            [
                charts.Series(label, [row.counts[i] for row in table.rows])
                for i, (_value, label) in enumerate(table.statuses)
            ],
        )
    for key, budget, title in (
        ("institution_chart", board.budget_by_institution, _("Budget par institution (€)")),
        ("theme_chart", board.budget_by_theme, _("Budget par thématique (€)")),
    ):
        if budget is not None and any(row.amount_eur for row in budget.rows):
            context[key] = charts.bar_chart(
                f"chart-{key}",
                title,
                _("Barres horizontales des montants en euros ; le tableau qui suit les détaille."),
                [
                    (row.institution, row.amount_eur, format_eur(row.amount_eur))
                    for row in budget.rows
                ],
            )
    return render(request, "reports/dashboard.html", context)
