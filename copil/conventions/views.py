"""Thin views: the permission funnel, a selector or a service, a template."""

from __future__ import annotations

import logging
from typing import Any

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from copil.accounts import perms
from copil.accounts import services as account_services
from copil.accounts.enums import Role
from copil.conventions import selectors, services
from copil.conventions.enums import AmendmentStatus
from copil.conventions.forms import AmendmentForm, SignForm, UploadForm, VersionsForm
from copil.conventions.models import Amendment, Convention, PendingImport
from copil.importers.api import parse_bytes, sha256_of
from copil.importers.compare import compare_documents
from copil.importers.model import CopilImportError, ImportedDocument, to_json
from copil.plan.documents import convention_to_document, load_convention
from copil.plan.services import ImportResult, import_document

logger = logging.getLogger(__name__)

UNREADABLE = (
    "Le document n'a pas pu être lu. Vérifiez qu'il s'agit bien d'une convention au format "
    "Word, OpenDocument, PDF, texte, Markdown ou JSON, puis recommencez."
)


def home(request: HttpRequest) -> HttpResponse:
    rows = selectors.convention_rows(conventions=perms.conventions_for(request.user))
    return render(request, "conventions/home.html", {"rows": rows})


def convention_detail(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(
        request.user, pk, queryset=selectors.convention_detail_queryset()
    )
    page = selectors.convention_page(convention, visible=perms.conventions_for(request.user))
    return render(request, "conventions/detail.html", {"page": page, "convention": convention})


# --- import: upload -> preview -> confirm --------------------------------------------------


def _plan_data(convention_pk: int) -> dict[str, Any]:
    """The stored plan (and terms) as JSON, as plan versions keep it."""
    return to_json(convention_to_document(load_convention(convention_pk)))


def _parse(data: bytes, filename: str) -> ImportedDocument:
    """parse_bytes, with any unexpected failure turned into a French CopilImportError."""
    try:
        return parse_bytes(data, filename)
    except CopilImportError:
        raise
    except Exception as exc:  # noqa: BLE001 - a damaged file must never be a 500
        logger.exception("unexpected failure while parsing %s", filename)
        raise CopilImportError(UNREADABLE) from exc


def _import_target(request: HttpRequest, pending: PendingImport) -> Convention | None:
    """The convention a pending import updates (None: a new one), permissions checked again."""
    if pending.convention_id is not None:
        return perms.get_convention_or_404(request.user, pending.convention_id, "import")
    if not perms.can_import(request.user):
        raise Http404
    return None


def _pending_or_404(request: HttpRequest, pending_pk: int) -> PendingImport:
    # Only the uploader ever sees an upload: the id alone gives nothing away.
    return get_object_or_404(PendingImport, pk=pending_pk, uploader=request.user)


def import_upload(request: HttpRequest, pk: int | None = None) -> HttpResponse:
    """Upload a document, for a new convention (/importer/) or into one (pk)."""
    user = request.user
    convention = None
    if pk is not None:
        convention = perms.get_convention_or_404(user, pk, "import")
        form_kwargs: dict[str, Any] = {"targets": None}
    else:
        may_create = perms.can_import(user)
        targets = perms.conventions_for(user, "import").order_by("title")
        has_targets = targets.exists()
        if not may_create and not has_targets:
            raise Http404
        # Staff members of no convention only create: no choice to offer.
        form_kwargs = {"targets": targets if has_targets else None, "may_create": may_create}
    if request.method != "POST":
        form = UploadForm(**form_kwargs)
    else:
        form = UploadForm(request.POST, request.FILES, **form_kwargs)
        if form.is_valid():
            upload = form.cleaned_data["document"]
            data = upload.read()
            try:
                _parse(data, upload.name)
            except CopilImportError as exc:
                form.add_error("document", str(exc))
            else:
                pending = services.create_pending_import(
                    uploader=user,
                    filename=upload.name,
                    content=data,
                    sha256=sha256_of(data),
                    convention=convention or form.cleaned_data.get("convention"),
                )
                return redirect("import_preview", pending.pk)
    return render(
        request, "conventions/import_upload.html", {"form": form, "convention": convention}
    )


def _preview_context(pending: PendingImport, convention: Convention | None) -> dict[str, Any]:
    context: dict[str, Any] = {"pending": pending, "convention": convention}
    try:
        doc = _parse(bytes(pending.content), pending.filename)
    except CopilImportError as exc:  # the importer changed since the upload
        return context | {"error": str(exc)}
    if convention is not None:
        already = convention.source_sha256 == pending.sha256
        differences = compare_documents(convention_to_document(load_convention(convention.pk)), doc)
    else:
        already = Convention.objects.alive().filter(source_sha256=pending.sha256).exists()
        differences = []
        # import_document would take a namesake for the same convention: say so now.
        context["namesake"] = (
            not already
            and Convention.objects.alive().filter(title__iexact=doc.title.strip()).exists()
        )
    return context | {
        "doc": doc,
        "actions_count": len(doc.actions()),
        "terms": selectors.document_terms_in_words(doc),
        "already_imported": already,
        "differences": differences,
    }


def import_preview(request: HttpRequest, pending_pk: int) -> HttpResponse:
    pending = _pending_or_404(request, pending_pk)
    convention = _import_target(request, pending)
    if pending.is_expired():
        services.discard_pending_import(pending)
        messages.error(request, _("Cet aperçu a expiré : déposez à nouveau le document."))
        return redirect(*_upload_url_args(convention))
    return render(request, "conventions/import_preview.html", _preview_context(pending, convention))


def _upload_url_args(convention: Convention | None) -> tuple[Any, ...]:
    return ("convention_import", convention.pk) if convention else ("import_upload",)


def _store(doc: ImportedDocument, pending: PendingImport, convention: Convention | None, user):
    """One transaction: the import, the uploader's membership, the plan versions."""
    if convention is not None:
        services.snapshot_initial_plan(convention, _plan_data(convention.pk))
    result = import_document(
        doc,
        source_name=pending.filename,
        source_sha256=pending.sha256,
        convention=convention,
        apply_changes=convention is not None,  # a new import never rewrites a namesake
    )
    if result.created:
        account_services.add_member(result.convention, user, Role.ADMIN)
        services.snapshot_initial_plan(result.convention, _plan_data(result.convention.pk))
    elif result.applied:
        services.snapshot_plan(
            result.convention,
            _plan_data(result.convention.pk),
            label=_("Mise à jour par l'import de %(name)s") % {"name": pending.filename},
        )
    services.discard_pending_import(pending)
    return result


def _after_import(request: HttpRequest, result: ImportResult, doc: ImportedDocument):
    convention = result.convention
    visible = perms.can_view_convention(request.user, convention)
    if result.created:
        messages.success(
            request,
            _(
                "La convention « %(title)s » a été importée : %(actions)d actions, "
                "%(warnings)d avertissements à vérifier."
            )
            % {
                "title": convention.title,
                "actions": len(doc.actions()),
                "warnings": len(doc.warnings),
            },
        )
    elif result.unchanged and visible:
        messages.info(
            request,
            _("Ce document a déjà été importé (convention « %(title)s ») : rien n'a changé.")
            % {"title": convention.title},
        )
    elif result.unchanged:  # into a convention the user may not see: not even its title
        messages.info(request, _("Ce document a déjà été importé : rien n'a changé."))
    elif result.applied:
        messages.success(
            request,
            _("La convention a été mise à jour : %(count)d différences appliquées.")
            % {"count": len(result.differences)},
        )
    else:
        messages.warning(
            request,
            _(
                "Une convention du même intitulé existe déjà : rien n'a été importé. Pour la "
                "mettre à jour, importez ce document depuis la page de cette convention."
            ),
        )
    if visible:
        return redirect("convention_detail", convention.pk)
    return redirect("home")


@require_POST
def import_confirm(request: HttpRequest, pending_pk: int) -> HttpResponse:
    pending = _pending_or_404(request, pending_pk)
    convention = _import_target(request, pending)
    if pending.is_expired():
        services.discard_pending_import(pending)
        messages.error(request, _("Cet aperçu a expiré : déposez à nouveau le document."))
        return redirect(*_upload_url_args(convention))
    try:
        doc = _parse(bytes(pending.content), pending.filename)
        with transaction.atomic():
            result = _store(doc, pending, convention, request.user)
    except CopilImportError as exc:
        messages.error(request, str(exc))
        return redirect("import_preview", pending.pk)
    except Exception:  # noqa: BLE001 - rolled back above; the user gets words, not a 500
        logger.exception("import of pending upload %s failed", pending.pk)
        messages.error(
            request,
            _(
                "L'import a échoué et rien n'a été enregistré. Réessayez ; si le problème "
                "persiste, transmettez le document à l'équipe copil."
            ),
        )
        return redirect("import_preview", pending.pk)
    return _after_import(request, result, doc)


# --- amendments ---------------------------------------------------------------------------


def _amendment_or_404(convention: Convention, number: int) -> Amendment:
    return get_object_or_404(Amendment, convention=convention, number=number)


def amendment_list(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk)
    return render(
        request,
        "conventions/amendment_list.html",
        {
            "convention": convention,
            "amendments": list(convention.amendments.all()),
            "can_change": perms.can_edit_plan(request.user, convention),
        },
    )


def amendment_create(request: HttpRequest, pk: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk, "change")
    form = AmendmentForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            amendment = services.create_amendment(convention, **form.cleaned_data)
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(
                request, _("L'avenant n° %(number)d a été créé.") % {"number": amendment.number}
            )
            return redirect("amendment_detail", convention.pk, amendment.number)
    return render(
        request, "conventions/amendment_form.html", {"convention": convention, "form": form}
    )


def _amendment_page(request, convention, amendment, sign_form=None, status=200):
    return render(
        request,
        "conventions/amendment_detail.html",
        {
            "convention": convention,
            "amendment": amendment,
            "versions": list(amendment.plan_versions.defer("data").order_by("number")),
            "can_change": perms.can_edit_plan(request.user, convention),
            "can_sign": perms.can_manage_convention(request.user, convention),
            "sign_form": sign_form or SignForm(initial={"signed_on": timezone.localdate()}),
        },
        status=status,
    )


def amendment_detail(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk)
    return _amendment_page(request, convention, _amendment_or_404(convention, number))


def amendment_update(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk, "change")
    amendment = _amendment_or_404(convention, number)
    if amendment.status == AmendmentStatus.SIGNED:
        messages.error(request, services.SIGNED_AMENDMENT_LOCKED)
        return redirect("amendment_detail", convention.pk, amendment.number)
    form = AmendmentForm(request.POST or None, instance=amendment)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_amendment(
                amendment, **{f: form.cleaned_data[f] for f in services.AMENDMENT_FIELDS}
            )
        except ValidationError as exc:
            form.add_error(None, exc)
        else:
            messages.success(request, _("L'avenant a été enregistré."))
            return redirect("amendment_detail", convention.pk, amendment.number)
    return render(
        request,
        "conventions/amendment_form.html",
        {"convention": convention, "amendment": amendment, "form": form},
    )


@require_POST
def amendment_sign(request: HttpRequest, pk: int, number: int) -> HttpResponse:
    convention = perms.get_convention_or_404(request.user, pk, "manage")
    amendment = _amendment_or_404(convention, number)
    form = SignForm(request.POST)
    if form.is_valid():
        try:
            amendment, version = services.sign_amendment(
                amendment,
                signed_on=form.cleaned_data["signed_on"],
                plan_data=_plan_data(convention.pk),
            )
        except ValidationError as exc:
            form.add_error("signed_on", exc)
        else:
            messages.success(
                request,
                _("L'avenant est signé ; le projet de coopération est figé en version %(n)d.")
                % {"n": version.number},
            )
            return redirect("amendment_detail", convention.pk, amendment.number)
    return _amendment_page(request, convention, amendment, sign_form=form)


# --- plan versions ------------------------------------------------------------------------


def plan_versions(request: HttpRequest, pk: int) -> HttpResponse:
    """The versions of the plan, and what changed between two of them (?de=1&a=2)."""
    convention = perms.get_convention_or_404(request.user, pk)
    versions = selectors.plan_versions(convention)
    data = request.GET
    if not {"de", "a"} & data.keys() and len(versions) >= 2:
        data = {"de": versions[-2].number, "a": versions[-1].number}
    form = VersionsForm(data or None, versions=versions)
    comparison = None
    if form.is_bound and form.is_valid():
        comparison = selectors.compare_versions(
            convention, form.cleaned_data["de"], form.cleaned_data["a"]
        )
    return render(
        request,
        "conventions/plan_versions.html",
        {
            "convention": convention,
            "versions": versions,
            "form": form,
            "comparison": comparison,
        },
    )
