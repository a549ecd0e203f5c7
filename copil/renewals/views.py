"""Thin view: renewing a convention takes an admin of it ("manage")."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from copil.accounts import perms
from copil.conventions.models import Convention
from copil.renewals import services
from copil.renewals.forms import RenewalForm


def renew(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(
        request.user, pk, "manage", queryset=Convention.objects.select_related("termination")
    )
    today = timezone.localdate()
    suggested = services.suggested_effective_date(convention, today)
    form = RenewalForm(
        request.POST or None,
        initial={
            "effective_date": suggested,
            "title": services.default_title(convention, suggested) if suggested else "",
        },
    )
    refusal = None
    if request.method != "POST":
        try:
            services.check_renewable(convention, suggested or today)
        except ValidationError as exc:
            refusal = exc.messages[0]
    if request.method == "POST" and form.is_valid():
        try:
            result = services.renew_convention(
                convention,
                effective_date=form.cleaned_data["effective_date"],
                title=form.cleaned_data["title"],
                copy_plan=form.cleaned_data["copy_plan"],
            )
        except ValidationError as exc:
            form.add_error("effective_date", exc)
        else:
            messages.success(
                request,
                _("La convention « %(title)s » est créée : elle succède à « %(old)s » (%(what)s).")
                % {
                    "title": result.successor.title,
                    "old": convention.title,
                    "what": services.renewal_counts_text(result.counts),
                },
            )
            return redirect("convention_detail", result.successor.pk)
    return render(
        request,
        "renewals/renew.html",
        {"convention": convention, "form": form, "refusal": refusal},
        status=200,
    )
