"""Thin views: the permission funnel, a selector, a template."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from copil.accounts import perms
from copil.conventions.models import Convention
from copil.plan import selectors
from copil.plan.forms import PlanFilterForm


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(
        request.user, pk, queryset=Convention.objects.select_related("plan")
    )
    plan = getattr(convention, "plan", None)
    context: dict[str, object] = {"convention": convention, "plan": plan}
    if plan is not None:
        themes = selectors.plan_themes(plan)
        form = PlanFilterForm(request.GET or None, selectors.filter_choices(plan, themes))
        filters = form.filters() if request.GET else {}
        actions = perms.actions_for(request.user, queryset=selectors.plan_actions_queryset(plan))
        actions = list(selectors.filter_actions(actions, **filters))
        context |= {
            "form": form,
            "filtered": bool(filters),
            "action_count": len(actions),
            "tree": selectors.plan_tree(themes, actions, prune=bool(filters)),
        }
    return render(request, "plan/plan.html", context)


def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = perms.get_action_or_404(request.user, pk, queryset=selectors.action_detail_queryset())
    context = {
        "action": action,
        "convention": action.plan.convention,
        "budget": selectors.budget_summary(action),
    }
    return render(request, "plan/action.html", context)
