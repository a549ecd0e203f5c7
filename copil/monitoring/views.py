"""Thin views of indicator monitoring: the funnel (copil.accounts.perms), a selector or a
service, a template. What a user may not see, or not change, is a 404."""

from __future__ import annotations

import base64
import binascii

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from copil.accounts import perms
from copil.monitoring import csvfiles, selectors, services
from copil.monitoring.forms import (
    ImportForm,
    IndicatorForm,
    MeasurementForm,
    PeriodForm,
    PeriodReopenForm,
    ReasonForm,
    SecrecyForm,
    TargetFormSet,
    territory_choices,
)
from copil.monitoring.models import Measurement
from copil.reports.charts import bar_chart


def _indicator_or_404(user, pk: int, perm: perms.ActionPerm = "view"):
    actions = perms.actions_for(user, perm)
    return get_object_or_404(selectors.indicator_queryset().filter(action__in=actions), pk=pk)


def _measurement_or_404(user, pk: int, perm: perms.ActionPerm = "view") -> Measurement:
    actions = perms.actions_for(user, perm)
    queryset = Measurement.objects.select_related(
        "indicator__action__orientation__theme", "indicator__action__plan__convention", "territory"
    ).filter(indicator__action__in=actions)
    return get_object_or_404(queryset, pk=pk)


def _editable(user, convention):
    """The convention's actions whose measurements ``user`` may enter."""
    return perms.actions_for(user, "change").filter(plan__convention=convention)


def _add_errors(form, exc: ValidationError) -> None:
    """A service's refusal next to its field when the form has it, above the form if not."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


def _context(indicator, **extra) -> dict:
    action = indicator.action
    return {
        "indicator": indicator,
        "action": action,
        "convention": action.plan.convention,
        **extra,
    }


# --- the indicator page and its definition ---------------------------------------------------


@require_GET
def indicator_detail(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_or_404(request.user, pk)
    convention = indicator.action.plan.convention
    page = selectors.indicator_page(indicator, threshold=convention.secrecy_threshold)
    chart = None
    if page.chart_bars:
        chart = bar_chart(
            f"indicator-{indicator.pk}",
            page.chart_title,
            _(
                "Diagramme en barres horizontales ; "
                "les valeurs sont reprises dans le tableau qui suit."
            ),
            page.chart_bars,
        )
    context = _context(
        indicator,
        page=page,
        chart=chart,
        can_enter=perms.can_enter_measurements(request.user, indicator.action),
        can_validate=perms.can_validate_measurements(request.user, convention),
    )
    return render(request, "monitoring/indicator_detail.html", context)


@require_http_methods(["GET", "POST"])
def indicator_edit(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_or_404(request.user, pk, "change")
    choices = territory_choices(indicator)
    initial_targets = [
        {"year": t.year, "territory": t.territory_id, "value": t.value}
        for t in indicator.targets.all()
    ]
    conflict = None
    if request.method == "POST":
        form = IndicatorForm(request.POST, instance=indicator)
        formset = TargetFormSet(
            request.POST, prefix="targets", initial=initial_targets, territory_choices=choices
        )
        if form.is_valid() and formset.is_valid():
            try:
                _indicator, changed = services.update_indicator(
                    indicator,
                    expected_version=form.cleaned_data["version"],
                    targets=formset.targets(),
                    **form.definition(),
                )
            except services.StaleIndicatorError as exc:
                data = request.POST.copy()
                data["version"] = str(exc.current.version)
                form = IndicatorForm(data, instance=exc.current)
                form.is_valid()
                conflict = exc
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                if changed:
                    messages.success(request, _("L'indicateur a été enregistré."))
                else:
                    messages.info(request, _("Aucun changement à enregistrer."))
                return redirect("indicator_detail", indicator.pk)
    else:
        form = IndicatorForm(instance=indicator)
        formset = TargetFormSet(
            prefix="targets", initial=initial_targets, territory_choices=choices
        )
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    context = _context(indicator, form=form, formset=formset, conflict=conflict)
    return render(request, "monitoring/indicator_form.html", context, status=status)


# --- measurements -----------------------------------------------------------------------------


def _measurement_form(request, indicator, measurement=None, data=None):
    convention = indicator.action.plan.convention
    return MeasurementForm(
        data,
        indicator=indicator,
        territories=territory_choices(indicator),
        measurement=measurement,
        threshold=convention.secrecy_threshold,
        unmasked=perms.sees_unmasked(request.user, convention),
    )


def _save_measurement(request, indicator, measurement=None) -> HttpResponse:
    form = _measurement_form(request, indicator, measurement, request.POST)
    locked = False
    if form.is_valid():
        try:
            services.save_measurement(
                indicator,
                form.data_input(),
                measurement=measurement,
                expected_version=form.cleaned_data.get("version") if measurement else None,
                entered_by=request.user,
                submit="submit" in request.POST,
            )
        except services.MeasurementLocked as exc:
            form.add_error(None, exc.messages)
            locked = True
        except ValidationError as exc:
            _add_errors(form, exc)
        else:
            if "submit" in request.POST:
                messages.success(request, _("La mesure a été enregistrée et soumise."))
            else:
                messages.success(request, _("La mesure a été enregistrée (brouillon)."))
            return redirect("indicator_detail", indicator.pk)
    context = _context(indicator, form=form, measurement=measurement, locked=locked)
    return render(
        request, "monitoring/measurement_form.html", context, status=409 if locked else 400
    )


@require_http_methods(["GET", "POST"])
def measurement_create(request: HttpRequest, pk: int) -> HttpResponse:
    indicator = _indicator_or_404(request.user, pk, "change")
    if request.method == "POST":
        return _save_measurement(request, indicator)
    form = _measurement_form(request, indicator)
    period = request.GET.get("periode", "")
    if period:
        form.initial["period"] = period[:7]
    return render(request, "monitoring/measurement_form.html", _context(indicator, form=form))


@require_http_methods(["GET", "POST"])
def measurement_edit(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = _measurement_or_404(request.user, pk, "change")
    indicator = measurement.indicator
    if measurement.is_locked:
        context = _context(indicator, measurement=measurement, locked=True, form=None)
        status = 409 if request.method == "POST" else 200
        return render(request, "monitoring/measurement_form.html", context, status=status)
    if request.method == "POST":
        return _save_measurement(request, indicator, measurement)
    form = _measurement_form(request, indicator, measurement)
    context = _context(indicator, form=form, measurement=measurement)
    return render(request, "monitoring/measurement_form.html", context)


@require_POST
def measurement_submit(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = _measurement_or_404(request.user, pk, "change")
    try:
        services.submit_measurement(measurement)
    except services.MeasurementLocked as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("La mesure de %(period)s a été soumise.") % {"period": measurement.period}
        )
    return redirect("indicator_detail", measurement.indicator_id)


@require_POST
def measurement_delete(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = _measurement_or_404(request.user, pk, "change")
    try:
        services.delete_measurement(measurement)
    except services.MeasurementLocked as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request,
            _("La mesure de %(period)s a été supprimée.") % {"period": measurement.period},
        )
    return redirect("indicator_detail", measurement.indicator_id)


@require_http_methods(["GET", "POST"])
def measurement_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    measurement = _measurement_or_404(request.user, pk)
    indicator = measurement.indicator
    convention = indicator.action.plan.convention
    if not perms.can_validate_measurements(request.user, convention):
        raise Http404
    form = ReasonForm(request.POST or None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.reopen_measurement(measurement, reason=form.cleaned_data["reason"])
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("La mesure de %(period)s a été rouverte.") % {"period": measurement.period},
                )
                return redirect("indicator_detail", indicator.pk)
    context = _context(indicator, form=form, measurement=measurement)
    return render(request, "monitoring/measurement_reopen.html", context, status=status)


# --- the convention's indicators: list, periods to validate, reopen, secrecy ----------------


@require_GET
def convention_indicators(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk)
    data = selectors.convention_indicators(convention)
    role = perms.role_on(request.user, convention)
    superuser = request.user.is_superuser
    can_import = superuser or perms.role_grants(role, "change")
    if not can_import and perms.is_lead_role(role):  # only if their institution leads one
        can_import = _editable(request.user, convention).exists()
    context = {
        "convention": convention,
        "data": data,
        "can_validate": superuser or perms.role_grants(role, "validate"),
        "can_manage": superuser or perms.role_grants(role, "manage"),
        "can_import": can_import,
    }
    return render(request, "monitoring/convention_indicators.html", context)


@require_POST
def period_validate(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk, "validate")
    form = PeriodForm(request.POST)
    if form.is_valid():
        period = form.cleaned_data["period"]
        count = services.validate_period(convention, period, by=request.user)
        if count:
            messages.success(
                request,
                _("Période %(period)s : %(count)s mesure(s) validée(s).")
                % {"period": period, "count": count},
            )
        else:
            messages.info(
                request, _("Période %(period)s : aucune mesure soumise.") % {"period": period}
            )
    else:
        messages.error(request, " ".join(form.errors["period"]))
    return redirect("convention_indicators", convention.pk)


@require_http_methods(["GET", "POST"])
def period_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk, "validate")
    if request.method == "POST":
        form = PeriodReopenForm(request.POST)
        if form.is_valid():
            try:
                count = services.reopen_period(
                    convention, form.cleaned_data["period"], reason=form.cleaned_data["reason"]
                )
            except ValidationError as exc:
                _add_errors(form, exc)
            else:
                messages.success(
                    request,
                    _("Période %(period)s rouverte : %(count)s mesure(s).")
                    % {"period": form.cleaned_data["period"], "count": count},
                )
                return redirect("convention_indicators", convention.pk)
        status = 400
    else:
        form = PeriodReopenForm(initial={"period": request.GET.get("periode", "")[:7]})
        status = 200
    context = {"convention": convention, "form": form}
    return render(request, "monitoring/period_reopen.html", context, status=status)


@require_http_methods(["GET", "POST"])
def secrecy_edit(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk, "manage")
    if request.method == "POST":
        form = SecrecyForm(request.POST)
        if form.is_valid():
            services.set_secrecy_threshold(convention, form.cleaned_data["secrecy_threshold"])
            messages.success(request, _("Le seuil de secret statistique a été enregistré."))
            return redirect("convention_indicators", convention.pk)
        status = 400
    else:
        form = SecrecyForm(initial={"secrecy_threshold": convention.secrecy_threshold})
        status = 200
    return render(
        request, "monitoring/secrecy.html", {"convention": convention, "form": form}, status=status
    )


# --- CSV ------------------------------------------------------------------------------------


@require_GET
def measurements_csv(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk)
    response = HttpResponse(csvfiles.export_csv(convention), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="mesures-convention-{convention.pk}.csv"'
    )
    return response


@require_http_methods(["GET", "POST"])
def measurements_import(request: HttpRequest, pk: int) -> HttpResponse:
    """Upload -> preview (every line checked, nothing written) -> confirm (atomic)."""
    convention = perms.get_convention_or_404(request.user, pk)
    if not _editable(request.user, convention).exists():
        raise Http404
    context: dict = {"convention": convention, "plan": None, "content": ""}
    if request.method == "GET":
        context["form"] = ImportForm()
        return render(request, "monitoring/import.html", context)
    if "content" in request.POST:  # the confirmation of a preview
        form = ImportForm()
        try:
            data = base64.b64decode(request.POST["content"].encode("ascii"), validate=True)
        except (binascii.Error, ValueError, UnicodeEncodeError):
            message = _("Le fichier à confirmer est illisible : déposez-le à nouveau.")
            context |= {"form": form, "errors": [(0, message)]}
            return render(request, "monitoring/import.html", context, status=400)
        try:
            plan = services.import_measurements(convention, data, user=request.user)
        except services.MeasurementImportError as exc:
            context |= {"form": form, "errors": exc.errors}
            return render(request, "monitoring/import.html", context, status=400)
        messages.success(
            request,
            _(
                "Import terminé : %(created)s mesure(s) créée(s), %(updated)s modifiée(s), "
                "%(unchanged)s inchangée(s)."
            )
            % {"created": plan.created, "updated": plan.updated, "unchanged": plan.unchanged},
        )
        return redirect("convention_indicators", convention.pk)
    form = ImportForm(request.POST, request.FILES)
    if not form.is_valid():
        context["form"] = form
        return render(request, "monitoring/import.html", context, status=400)
    data = form.cleaned_data["file"].read()
    plan = csvfiles.plan_import(convention, data, user=request.user)
    context |= {
        "form": ImportForm(),
        "plan": plan,
        "errors": plan.errors,
        "content": base64.b64encode(data).decode("ascii") if not plan.errors else "",
    }
    return render(request, "monitoring/import.html", context, status=400 if plan.errors else 200)
