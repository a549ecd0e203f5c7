"""Every write to a convention goes through here, with its audit entry, in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Max
from django.utils import timezone

from copil.audit.context import current_actor
from copil.audit.models import AuditAction
from copil.audit.services import diff, record, snapshot
from copil.conventions.enums import AmendmentStatus
from copil.conventions.models import (
    Amendment,
    Convention,
    Party,
    PendingImport,
    PlanVersion,
    Signatory,
    Termination,
)
from copil.core.lifecycle import LifecycleError, TermRules, compute_state, termination_end
from copil.core.lifecycle import Termination as TerminationRule
from copil.institutions.models import Institution

TERM_FIELDS = (
    "effective_date",
    "initial_term_months",
    "renewal_period_months",
    "tacit_renewal",
    "max_total_term_months",
    "notice_period_months",
    "notice_form",
    "term_clause",
)


def _check_rules(fields: dict[str, Any]) -> None:
    if fields.get("initial_term_months") is None:
        return  # term not known yet: nothing to check
    try:
        TermRules(
            initial_term_months=fields["initial_term_months"],
            renewal_period_months=fields.get("renewal_period_months"),
            tacit_renewal=fields.get("tacit_renewal", False),
            max_total_term_months=fields.get("max_total_term_months"),
            notice_period_months=fields.get("notice_period_months") or 0,
        ).validate()
    except LifecycleError as exc:
        raise ValidationError(str(exc)) from exc


@transaction.atomic
def create_convention(**fields: Any) -> Convention:
    _check_rules(fields)
    convention = Convention(**fields)
    convention.full_clean()
    convention.save()
    record(convention, AuditAction.CREATE, convention_id=convention.pk)
    return convention


@transaction.atomic
def update_convention(convention: Convention, expected_version: int | None = None, **fields):
    """Update fields; refuses (ValidationError) when someone saved a newer version meanwhile."""
    current = Convention.objects.select_for_update().get(pk=convention.pk)
    if expected_version is not None and current.version != expected_version:
        raise ValidationError(
            "Cette convention a été modifiée par quelqu'un d'autre entre-temps "
            f"(version {current.version}, vous éditiez la version {expected_version})."
        )
    before = snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value)
    _check_rules({f: getattr(current, f) for f in TERM_FIELDS})
    current.version += 1
    current.full_clean()
    current.save(update_fields=[*fields, "version", "updated_at"])
    record(current, AuditAction.UPDATE, diff(before, snapshot(current)), convention_id=current.pk)
    return current


@transaction.atomic
def add_party(
    convention: Convention,
    institution: Institution,
    *,
    name_as_written: str = "",
    address: str = "",
    representative_name: str = "",
    representative_title: str = "",
    signed_on: dt.date | None = None,
) -> Party:
    party = Party.objects.create(
        convention=convention,
        institution=institution,
        name_as_written=name_as_written,
        address=address,
        position=convention.parties.count(),
    )
    record(party, AuditAction.CREATE, convention_id=convention.pk)
    if representative_name:
        signatory = Signatory.objects.create(
            party=party,
            representative_name=representative_name,
            representative_title=representative_title,
            signed_on=signed_on,
        )
        record(signatory, AuditAction.CREATE, convention_id=convention.pk)
    return party


@transaction.atomic
def record_termination(
    convention: Convention, party: Party, notice_received_on: dt.date, notice_form: str = ""
) -> Termination:
    """Store a party's notice; the end date follows the convention's own rules."""
    if convention.effective_date is None or convention.initial_term_months is None:
        raise ValidationError("La date d'effet ou la durée de la convention est inconnue.")
    if party.convention_id != convention.pk:
        raise ValidationError("Cette partie n'est pas signataire de la convention.")
    if hasattr(convention, "termination"):
        raise ValidationError("Cette convention a déjà été dénoncée.")
    state = compute_state(convention.effective_date, convention.term_rules(), notice_received_on)
    if state.status in ("expired", "terminated"):
        raise ValidationError(
            f"La convention a pris fin le {state.ends_on:%d/%m/%Y} : "
            "elle ne peut plus être dénoncée."
        )
    end = termination_end(
        convention.effective_date,
        convention.term_rules(),
        TerminationRule(notice_received_on=notice_received_on),
    )
    termination = Termination.objects.create(
        convention=convention,
        party=party,
        notice_received_on=notice_received_on,
        notice_form=notice_form,
        effective_end=end,
    )
    record(termination, AuditAction.CREATE, convention_id=convention.pk)
    return termination


@transaction.atomic
def set_predecessor(convention: Convention, predecessor: Convention) -> Convention:
    """Link a renewal to the convention it follows; their periods may not overlap."""
    if predecessor.pk == convention.pk:
        raise ValidationError("Une convention ne peut pas se succéder à elle-même.")
    if convention.effective_date and predecessor.effective_date:
        far = convention.effective_date
        state = predecessor.lifecycle(far)
        if state is not None and (state.ends_on is None or state.ends_on >= far):
            raise ValidationError(
                "Les périodes se chevauchent : la convention précédente est encore en vigueur "
                f"le {far:%d/%m/%Y}."
            )
    return update_convention(convention, predecessor=predecessor)


@transaction.atomic
def soft_delete(convention: Convention) -> Convention:
    return update_convention(convention, deleted_at=timezone.now())


@transaction.atomic
def restore(convention: Convention) -> Convention:
    return update_convention(convention, deleted_at=None)


# --- amendments and plan versions ---------------------------------------------------------

AMENDMENT_FIELDS = ("title", "description", "effective_date")
SIGNED_AMENDMENT_LOCKED = "Cet avenant est signé : il ne peut plus être modifié."


@transaction.atomic
def create_amendment(
    convention: Convention,
    *,
    title: str,
    description: str = "",
    effective_date: dt.date | None = None,
) -> Amendment:
    """A draft amendment, numbered after the convention's last one."""
    Convention.objects.select_for_update().filter(pk=convention.pk).first()  # numbering lock
    last = convention.amendments.aggregate(last=Max("number"))["last"] or 0
    amendment = Amendment(
        convention=convention,
        number=last + 1,
        title=title,
        description=description,
        effective_date=effective_date,
    )
    amendment.full_clean()
    amendment.save()
    record(amendment, AuditAction.CREATE, convention_id=convention.pk)
    return amendment


@transaction.atomic
def update_amendment(amendment: Amendment, **fields: Any) -> Amendment:
    """Change a draft's title, description or effective date; a signed one is locked."""
    unknown = set(fields) - set(AMENDMENT_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    current = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if current.status == AmendmentStatus.SIGNED:
        raise ValidationError(SIGNED_AMENDMENT_LOCKED)
    before = snapshot(current)
    for name, value in fields.items():
        setattr(current, name, value)
    current.full_clean()
    current.save(update_fields=list(fields))
    changes = diff(before, snapshot(current))
    if changes:
        record(current, AuditAction.UPDATE, changes, convention_id=current.convention_id)
    return current


@transaction.atomic
def sign_amendment(
    amendment: Amendment, *, signed_on: dt.date, plan_data: dict[str, Any]
) -> tuple[Amendment, PlanVersion]:
    """Sign a draft and freeze the plan as amended (``plan_data``: the JSON of
    ``copil.plan.documents.convention_to_document``, read by the caller)."""
    current = Amendment.objects.select_for_update().get(pk=amendment.pk)
    if current.status == AmendmentStatus.SIGNED:
        raise ValidationError(SIGNED_AMENDMENT_LOCKED)
    if current.effective_date is not None and current.effective_date < signed_on:
        raise ValidationError(
            f"La date de signature ({signed_on:%d/%m/%Y}) ne peut pas être postérieure à la "
            f"date d'effet de l'avenant ({current.effective_date:%d/%m/%Y})."
        )
    before = snapshot(current)
    current.status, current.signed_on = AmendmentStatus.SIGNED, signed_on
    current.full_clean()
    current.save(update_fields=["status", "signed_on"])
    record(
        current,
        AuditAction.UPDATE,
        diff(before, snapshot(current)),
        convention_id=current.convention_id,
    )
    version = snapshot_plan(
        current.convention,
        plan_data,
        label=f"Avenant n° {current.number} signé le {signed_on:%d/%m/%Y}",
        amendment=current,
    )
    return current, version


@transaction.atomic
def snapshot_plan(
    convention: Convention,
    plan_data: dict[str, Any],
    *,
    label: str,
    amendment: Amendment | None = None,
) -> PlanVersion:
    """Store ``plan_data`` as the convention's next plan version."""
    Convention.objects.select_for_update().filter(pk=convention.pk).first()  # numbering lock
    last = convention.plan_versions.aggregate(last=Max("number"))["last"] or 0
    version = PlanVersion.objects.create(
        convention=convention,
        number=last + 1,
        label=label[:300],
        amendment=amendment,
        data=plan_data,
        created_by=current_actor().user,
    )
    record(
        version,
        AuditAction.CREATE,
        {"number": version.number, "label": version.label, "amendment": amendment and amendment.pk},
        convention_id=convention.pk,
    )
    return version


INITIAL_VERSION_LABEL = "Version initiale"


@transaction.atomic
def snapshot_initial_plan(convention: Convention, plan_data: dict[str, Any]) -> PlanVersion | None:
    """The "version initiale", unless the convention already has a version."""
    if convention.plan_versions.exists():
        return None
    return snapshot_plan(convention, plan_data, label=INITIAL_VERSION_LABEL)


# --- documents waiting for an import confirmation ----------------------------------------

PENDING_IMPORT_TTL = dt.timedelta(hours=2)


@transaction.atomic
def create_pending_import(
    *, uploader: Any, filename: str, content: bytes, sha256: str, convention: Convention | None
) -> PendingImport:
    """Keep an upload until its preview is confirmed; drops the expired ones on the way.

    Not audited: nothing of the convention changes until the import is confirmed."""
    now = timezone.now()
    PendingImport.objects.filter(expires_at__lte=now).delete()
    return PendingImport.objects.create(
        uploader=uploader,
        convention=convention,
        filename=filename[:300],
        sha256=sha256,
        content=content,
        created_at=now,
        expires_at=now + PENDING_IMPORT_TTL,
    )


@transaction.atomic
def discard_pending_import(pending: PendingImport) -> None:
    PendingImport.objects.filter(pk=pending.pk).delete()
