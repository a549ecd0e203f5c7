"""Every write to memberships, with its audit entry, in one transaction."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from copil.accounts.enums import Role
from copil.accounts.models import Membership, User
from copil.audit.models import AuditAction
from copil.audit.services import diff, record, snapshot
from copil.conventions.models import Convention


def _check_role(role: str) -> None:
    if role not in Role.values:
        raise ValidationError(_("Rôle inconnu : « %(role)s ».") % {"role": role})


@transaction.atomic
def add_member(convention: Convention, user: User, role: str) -> Membership:
    _check_role(role)
    if Membership.objects.filter(convention=convention, user=user).exists():
        raise ValidationError(
            _("%(user)s est déjà membre de cette convention.") % {"user": user.get_username()}
        )
    membership = Membership.objects.create(convention=convention, user=user, role=role)
    record(membership, AuditAction.CREATE, convention_id=convention.pk)
    return membership


@transaction.atomic
def change_role(membership: Membership, role: str) -> Membership:
    _check_role(role)
    current = Membership.objects.select_for_update().get(pk=membership.pk)
    if current.role == role:
        return current
    before = snapshot(current)
    current.role = role
    current.save(update_fields=["role"])
    record(
        current,
        AuditAction.UPDATE,
        diff(before, snapshot(current)),
        convention_id=current.convention_id,
    )
    return current


@transaction.atomic
def remove_member(membership: Membership) -> None:
    record(
        membership,
        AuditAction.DELETE,
        diff(snapshot(membership), {}),
        convention_id=membership.convention_id,
    )
    membership.delete()
