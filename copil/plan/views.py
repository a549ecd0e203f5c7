"""Thin views: the permission funnel, a selector or a service, a template.

Writes go through copil.plan.services; who may do what is asked of copil.accounts.perms.
An object the user may not see, or may not change, is a 404 for GET and POST alike.
"""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.cache import patch_vary_headers
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from copil.accounts import perms
from copil.audit import selectors as audit_selectors
from copil.conventions.models import Convention
from copil.governance import selectors as governance_selectors
from copil.plan import selectors, services
from copil.plan.forms import (
    PART_FORMSETS,
    ActionForm,
    AttachmentForm,
    CommentForm,
    NoteForm,
    PlanFilterForm,
)
from copil.plan.models import Action, Attachment


def is_htmx(request: HttpRequest) -> bool:
    """A request of htmx that swaps part of the page (a history restore wants the page)."""
    return (
        request.headers.get("HX-Request") == "true"
        and request.headers.get("HX-History-Restore-Request") != "true"
    )


def plan_detail(request: HttpRequest, pk: int) -> HttpResponse:
    """The plan tree and its filters; to htmx (the filters changed), the tree alone."""
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
    partial = plan is not None and is_htmx(request)
    response = render(request, "plan/_plan_results.html" if partial else "plan/plan.html", context)
    patch_vary_headers(response, ["HX-Request"])  # one URL, two bodies: never cache one
    return response


# --- the action page, and what is posted from it -----------------------------------------


def _render_action(request: HttpRequest, action: Action, status: int = 200, **forms):
    user = request.user
    convention = action.plan.convention
    rights = perms.action_rights(user, action)
    can_edit, can_comment = rights.edit, rights.comment
    context = {
        "action": action,
        "convention": convention,
        "budget": selectors.budget_summary(action),
        "decisions": governance_selectors.decisions_for_actions([action.pk]).get(action.pk, []),
        "can_edit": can_edit,
        "can_comment": can_comment,
        "can_delete": rights.edit_plan,
        "note_form": forms.get("note_form") or (NoteForm() if can_edit else None),
        "attachment_form": forms.get("attachment_form") or (AttachmentForm() if can_edit else None),
        "comment_form": forms.get("comment_form") or (CommentForm() if can_comment else None),
    }
    return render(request, "plan/action.html", context, status=status)


@require_GET
def action_detail(request: HttpRequest, pk: int) -> HttpResponse:
    action = perms.get_action_or_404(request.user, pk, queryset=selectors.action_page_queryset())
    return _render_action(request, action)


def _render_section(request: HttpRequest, pk: int, template: str, status: int = 200, **context):
    """One section of the action page (notes, comments), for htmx to swap in place."""
    action = perms.get_action_or_404(request.user, pk, queryset=selectors.action_page_queryset())
    return render(request, template, {"action": action, **context}, status=status)


@require_POST
def action_note_add(request: HttpRequest, pk: int) -> HttpResponse:
    action = perms.get_action_or_404(request.user, pk, "change", queryset=Action.objects.all())
    form = NoteForm(request.POST)
    if form.is_valid():
        services.add_note(action, author=request.user, **form.cleaned_data)
        done = _("La note de suivi a été ajoutée.")
        if is_htmx(request):
            return _render_section(request, pk, "plan/_notes.html", note_form=NoteForm(), done=done)
        messages.success(request, done)
        return redirect(f"{action.get_absolute_url()}#notes-title")
    if is_htmx(request):
        return _render_section(request, pk, "plan/_notes.html", status=400, note_form=form)
    action = perms.get_action_or_404(request.user, pk, queryset=selectors.action_page_queryset())
    return _render_action(request, action, status=400, note_form=form)


@require_POST
def action_comment_add(request: HttpRequest, pk: int) -> HttpResponse:
    action = perms.get_action_or_404(request.user, pk, queryset=selectors.action_header_queryset())
    if not perms.can_comment_action(request.user, action):
        raise Http404
    form = CommentForm(request.POST)
    if form.is_valid():
        services.add_comment(action, author=request.user, text=form.cleaned_data["text"])
        done = _("Votre commentaire a été publié.")
        if is_htmx(request):
            return _render_section(
                request, pk, "plan/_comments.html", comment_form=CommentForm(), done=done
            )
        messages.success(request, done)
        return redirect(f"{action.get_absolute_url()}#comments-title")
    if is_htmx(request):
        return _render_section(request, pk, "plan/_comments.html", status=400, comment_form=form)
    action = perms.get_action_or_404(request.user, pk, queryset=selectors.action_page_queryset())
    return _render_action(request, action, status=400, comment_form=form)


@require_POST
def action_attachment_add(request: HttpRequest, pk: int) -> HttpResponse:
    action = perms.get_action_or_404(request.user, pk, "change", queryset=Action.objects.all())
    form = AttachmentForm(request.POST, request.FILES)
    if form.is_valid():
        services.add_attachment(
            action,
            uploaded_by=request.user,
            upload=form.cleaned_data["file"],
            content_type=form.kind.content_type,
        )
        messages.success(request, _("La pièce jointe a été déposée."))
        return redirect(f"{action.get_absolute_url()}#attachments-title")
    action = perms.get_action_or_404(request.user, pk, queryset=selectors.action_page_queryset())
    return _render_action(request, action, status=400, attachment_form=form)


@require_GET
def attachment_download(request: HttpRequest, pk: int) -> FileResponse:
    """Files are never served directly: the funnel decides, then the file is streamed."""
    attachment = get_object_or_404(
        Attachment.objects.filter(action__in=perms.actions_for(request.user)), pk=pk
    )
    try:
        handle = attachment.file.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    response = FileResponse(
        handle,
        as_attachment=True,
        filename=attachment.original_name,
        content_type=attachment.content_type,
    )
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    return response


# --- editing ------------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def action_edit(request: HttpRequest, pk: int) -> HttpResponse:
    action = perms.get_action_or_404(
        request.user, pk, "change", queryset=selectors.action_header_queryset()
    )
    convention = action.plan.convention
    conflict = None
    if request.method == "POST":
        form = ActionForm(request.POST, instance=action)
        if form.is_valid():
            try:
                services.update_action(
                    action,
                    expected_version=form.cleaned_data["version"],
                    **form.changed_fields(),
                )
            except services.StaleVersionError as exc:
                # Keep what the user typed; a second save, once checked, replaces theirs.
                data = request.POST.copy()
                data["version"] = str(exc.current.version)
                form = ActionForm(data, instance=exc.current)
                conflict = exc
            except ValidationError as exc:
                form.add_error(None, exc)
            else:
                messages.success(request, _("L'action a été enregistrée."))
                return redirect(action.get_absolute_url())
    else:
        form = ActionForm(instance=action)
    context = {"action": action, "convention": convention, "form": form, "conflict": conflict}
    status = 200 if request.method == "GET" else (409 if conflict else 400)
    return render(request, "plan/action_edit.html", context, status=status)


@require_http_methods(["GET", "POST"])
def action_parts(request: HttpRequest, pk: int) -> HttpResponse:
    action = perms.get_action_or_404(
        request.user, pk, "change", queryset=selectors.action_header_queryset()
    )
    choices = selectors.InstitutionChoices()
    data = request.POST if request.method == "POST" else None
    formsets = {
        part: formset_class(data, instance=action, prefix=part, institution_choices=choices)
        for part, (_title, _row, formset_class) in PART_FORMSETS.items()
    }
    if data is not None:
        valid = [formset.is_valid() for formset in formsets.values()]
        if all(valid):
            try:
                changed = services.save_action_parts(action, formsets)
            except ValidationError as exc:
                messages.error(request, " ".join(exc.messages))
            else:
                if changed:
                    messages.success(request, _("Les moyens et le suivi ont été enregistrés."))
                else:
                    messages.info(request, _("Aucun changement à enregistrer."))
                return redirect(action.get_absolute_url())
    parts = [
        {"name": part, "title": title, "row": row, "formset": formsets[part]}
        for part, (title, row, _class) in PART_FORMSETS.items()
    ]
    context = {
        "action": action,
        "convention": action.plan.convention,
        "parts": parts,
        "has_errors": data is not None,
    }
    return render(request, "plan/action_parts.html", context, status=400 if data else 200)


# --- soft delete and restore ---------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def action_delete(request: HttpRequest, pk: int) -> HttpResponse:
    """Only those who edit the whole plan (admins, editors) put an action in the bin."""
    action = perms.get_action_or_404(
        request.user, pk, "change", queryset=selectors.action_header_queryset()
    )
    convention = action.plan.convention
    if not perms.can_edit_plan(request.user, convention):
        raise Http404
    if request.method == "POST":
        services.delete_action(action)
        messages.success(
            request,
            _("L'action %(number)s a été placée dans la corbeille.") % {"number": action.number},
        )
        return redirect("plan_detail", convention.pk)
    return render(request, "plan/action_delete.html", {"action": action, "convention": convention})


@require_POST
def action_restore(request: HttpRequest, pk: int) -> HttpResponse:
    editable = perms.conventions_for(request.user, "change")
    action = get_object_or_404(
        Action.objects.deleted()
        .filter(plan__convention__in=editable)
        .select_related("plan__convention"),
        pk=pk,
    )
    services.restore_action(action)
    messages.success(request, _("L'action %(number)s a été restaurée.") % {"number": action.number})
    return redirect(action.get_absolute_url())


# --- history (the audit trail, read through the funnel) and the bin ---------------------
# Here rather than in copil.audit: the audit app sits below the apps whose objects it
# records, and imports none of them (tests/test_architecture.py).


@require_GET
def action_history(request: HttpRequest, pk: int) -> HttpResponse:
    action = perms.get_action_or_404(
        request.user,
        pk,
        queryset=Action.objects.select_related("orientation__theme", "plan__convention"),
    )
    page, rows = audit_selectors.history_page(
        audit_selectors.entries_for_object("plan", "action", action.pk), request.GET.get("page")
    )
    context = {"action": action, "convention": action.plan.convention, "page": page, "rows": rows}
    return render(request, "plan/action_history.html", context)


@require_GET
def convention_history(request: HttpRequest, pk: int) -> HttpResponse:
    """The convention's history, and its bin for those who may restore."""
    convention = perms.get_convention_or_404(request.user, pk)
    page, rows = audit_selectors.history_page(
        audit_selectors.entries_for_convention(convention.pk), request.GET.get("page")
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
    return render(request, "plan/convention_history.html", context)
