"""The history pages: an action's and a convention's, through the permission funnel."""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from copil.accounts import perms
from copil.audit import selectors
from copil.plan.models import Action


@require_GET
def action_history(request: HttpRequest, pk: int) -> HttpResponse:
    action = perms.get_action_or_404(
        request.user,
        pk,
        queryset=Action.objects.select_related("orientation__theme", "plan__convention"),
    )
    page, rows = selectors.history_page(
        selectors.entries_for_object("plan", "action", action.pk), request.GET.get("page")
    )
    context = {
        "action": action,
        "convention": action.plan.convention,
        "page": page,
        "rows": rows,
    }
    return render(request, "audit/action_history.html", context)


@require_GET
def convention_history(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk)
    page, rows = selectors.history_page(
        selectors.entries_for_convention(convention.pk), request.GET.get("page")
    )
    can_restore = perms.can_edit_plan(request.user, convention)
    trash = (
        list(
            Action.objects.deleted()
            .filter(plan__convention=convention)
            .order_by("-deleted_at", "pk")
        )
        if can_restore
        else []
    )
    context = {
        "convention": convention,
        "page": page,
        "rows": rows,
        "can_restore": can_restore,
        "trash": trash,
    }
    return render(request, "audit/convention_history.html", context)
