"""Thin views: the permission funnel, a selector or a service, a template.

Every member sees governance; admins and editors record it ("govern"); admins approve
minutes. A page the user may not see, and a form they may not use, is a 404.
"""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from copil.accounts import perms
from copil.conventions import selectors as convention_selectors
from copil.governance import selectors, services
from copil.governance.forms import (
    MEETING_FORMSETS,
    BodyForm,
    MeetingCreateForm,
    MeetingForm,
    MembersFormSet,
    TaskDoneForm,
)
from copil.governance.models import FollowUpTask, GovernanceBody, Meeting


def _meeting_or_404(
    request: HttpRequest, pk: int, perm: perms.ConventionPerm = "view", queryset=None
) -> Meeting:
    queryset = selectors.meeting_header_queryset() if queryset is None else queryset
    allowed = perms.conventions_for(request.user, perm)
    return get_object_or_404(queryset.filter(convention__in=allowed), pk=pk)


def _body_or_404(request: HttpRequest, pk: int, perm: perms.ConventionPerm) -> GovernanceBody:
    allowed = perms.conventions_for(request.user, perm)
    queryset: QuerySet[GovernanceBody] = GovernanceBody.objects.select_related("convention")
    return get_object_or_404(queryset.filter(convention__in=allowed), pk=pk)


# --- the governance page of a convention ----------------------------------------------------


def governance_page(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk)
    page = selectors.governance_page(convention, convention_selectors.today())
    context = {
        "convention": convention,
        "page": page,
        "can_govern": perms.can_govern(request.user, convention),
    }
    return render(request, "governance/page.html", context)


# --- bodies ---------------------------------------------------------------------------------


def _body_form_page(request, convention, body, form, members, status=200):
    context = {"convention": convention, "body": body, "form": form, "members": members}
    return render(request, "governance/body_form.html", context, status=status)


@require_http_methods(["GET", "POST"])
def body_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk, "govern")
    data = request.POST if request.method == "POST" else None
    form = BodyForm(data)
    if data is not None and form.is_valid():
        try:
            body = services.create_body(convention, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("L'instance « %(name)s » a été créée.") % {"name": body.name}
            )
            return redirect("governance_page", convention.pk)
    return _body_form_page(request, convention, None, form, None, 400 if data else 200)


@require_http_methods(["GET", "POST"])
def body_edit(request: HttpRequest, pk: int) -> HttpResponse:
    body = _body_or_404(request, pk, "govern")
    convention = body.convention
    data = request.POST if request.method == "POST" else None
    form = BodyForm(data, instance=body)
    choices = selectors.ConventionChoices(convention)
    members = MembersFormSet(data, instance=body, prefix="members", choices=choices)
    if data is not None and form.is_valid() and members.is_valid():
        try:
            services.update_body(
                body, members=members, **{f: form.cleaned_data[f] for f in services.BODY_FIELDS}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'instance a été enregistrée."))
            return redirect(f"{reverse('governance_page', args=[convention.pk])}#body-{body.pk}")
    return _body_form_page(request, convention, body, form, members, 400 if data else 200)


# --- meetings -------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def meeting_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk, "govern")
    data = request.POST if request.method == "POST" else None
    initial = {"body": request.GET.get("instance")} if request.GET.get("instance") else None
    form = MeetingCreateForm(data, convention=convention, initial=initial)
    if data is not None and form.is_valid():
        fields = dict(form.cleaned_data)
        body = fields.pop("body")
        try:
            meeting = services.create_meeting(body, **fields)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request,
                _(
                    "La réunion a été créée : ajoutez les participants, l'ordre du jour et "
                    "les décisions."
                ),
            )
            return redirect("meeting_edit", meeting.pk)
    context = {"convention": convention, "form": form}
    return render(request, "governance/meeting_create.html", context, status=400 if data else 200)


def meeting_detail(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk, queryset=selectors.meeting_page_queryset())
    convention = meeting.convention
    context = {
        "meeting": meeting,
        "convention": convention,
        "can_govern": not meeting.is_locked and perms.can_govern(request.user, convention),
        "can_approve": not meeting.is_locked
        and perms.can_approve_minutes(request.user, convention),
        "done_form": TaskDoneForm(initial={"done_on": convention_selectors.today()}),
    }
    if meeting.is_locked:
        # Tasks are still marked done once the minutes are approved.
        context["can_complete"] = perms.can_govern(request.user, convention)
    else:
        context["can_complete"] = context["can_govern"]
    return render(request, "governance/meeting_detail.html", context)


def _meeting_formsets(data, meeting: Meeting, choices: selectors.ConventionChoices) -> dict:
    return {
        part: formset_class(data, instance=meeting, prefix=part, choices=choices)
        for part, (_title, _row, formset_class) in MEETING_FORMSETS.items()
    }


@require_http_methods(["GET", "POST"])
def meeting_edit(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk, "govern")
    if meeting.is_locked:
        messages.error(request, services.LOCKED)
        return redirect(meeting.get_absolute_url())
    convention = meeting.convention
    data = request.POST if request.method == "POST" else None
    choices = selectors.ConventionChoices(convention, meeting)
    form = MeetingForm(data, instance=meeting)
    formsets = _meeting_formsets(data, meeting, choices)
    conflict = None
    if data is not None:
        valid = [form.is_valid()] + [formset.is_valid() for formset in formsets.values()]
        if all(valid):
            try:
                services.save_meeting(
                    meeting, form.cleaned_data["version"], form.changed_fields(), formsets
                )
            except services.StaleMeetingError as exc:
                # Keep what the user typed; a second save, once checked, replaces theirs.
                copy = request.POST.copy()
                copy["version"] = str(exc.current.version)
                form = MeetingForm(copy, instance=exc.current)
                form.is_valid()
                conflict = exc
            except services.MeetingLockedError as exc:
                messages.error(request, " ".join(exc.messages))
                return redirect(meeting.get_absolute_url())
            except ValidationError as exc:
                _spread_error(form, exc)
            else:
                messages.success(request, _("La réunion a été enregistrée."))
                return redirect(meeting.get_absolute_url())
    parts = [
        {"name": part, "title": title, "row": row, "formset": formsets[part]}
        for part, (title, row, _class) in MEETING_FORMSETS.items()
    ]
    has_errors = data is not None and (
        bool(form.errors) or any(not f.is_valid() for f in formsets.values())
    )
    context = {
        "meeting": meeting,
        "convention": convention,
        "form": form,
        "parts": parts,
        "conflict": conflict,
        "has_errors": has_errors,
    }
    status = 200 if data is None else (409 if conflict else 400)
    return render(request, "governance/meeting_edit.html", context, status=status)


def _spread_error(form, exc: ValidationError) -> None:
    """A service's refusal: on the meeting's field it names, else above the form."""
    if hasattr(exc, "error_dict"):
        for name, errors in exc.error_dict.items():
            form.add_error(name if name in form.fields else None, errors)
    else:
        form.add_error(None, exc)


@require_POST
def meeting_approve(request: HttpRequest, pk: int) -> HttpResponse:
    meeting = _meeting_or_404(request, pk)
    if not perms.can_approve_minutes(request.user, meeting.convention):
        raise Http404
    try:
        services.approve_minutes(meeting, by=request.user)
    except ValidationError as exc:
        messages.error(request, " ".join(exc.messages))
    else:
        messages.success(
            request, _("Le compte rendu est approuvé : la réunion est désormais verrouillée.")
        )
    return redirect(meeting.get_absolute_url())


@require_POST
def task_complete(request: HttpRequest, pk: int) -> HttpResponse:
    allowed = perms.conventions_for(request.user, "govern")
    task = get_object_or_404(
        FollowUpTask.objects.filter(meeting__convention__in=allowed).select_related("meeting"),
        pk=pk,
    )
    form = TaskDoneForm(request.POST)
    if form.is_valid():
        try:
            services.complete_task(task, form.cleaned_data["done_on"])
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(
                request, _("La tâche « %(title)s » est faite.") % {"title": task.title}
            )
    else:
        messages.error(request, " ".join(str(e) for errors in form.errors.values() for e in errors))
    back = request.POST.get("next", "")
    if back.startswith("/conventions/") or back.startswith("/reunions/"):
        return redirect(back)
    return redirect(task.meeting.get_absolute_url())
