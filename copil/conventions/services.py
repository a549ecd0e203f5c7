"""Every write to a convention goes through here, with its audit entry, in one transaction."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from copil.audit.models import AuditAction
from copil.audit.services import diff, record, snapshot
from copil.conventions.models import Convention, Party, Signatory, Termination
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
