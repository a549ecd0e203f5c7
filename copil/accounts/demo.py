"""Demo accounts: one user per role in the Département and in the CAF of a convention.

Development only (`make run` serves on localhost): every account shares the password of
COPIL_DEMO_PASSWORD (default "copil-demo-67").
"""

from __future__ import annotations

import os

from django.db import transaction

from copil.accounts import services
from copil.accounts.enums import Role
from copil.accounts.models import Membership, User
from copil.conventions.models import Convention
from copil.core.names import fold_key
from copil.institutions.enums import InstitutionKind
from copil.institutions.models import Institution

DEFAULT_DEMO_PASSWORD = "copil-demo-67"
#: username suffix -> role
ROLE_SUFFIXES: tuple[tuple[str, str], ...] = (
    ("admin", Role.ADMIN),
    ("editeur", Role.EDITOR),
    ("pilote", Role.LEAD_EDITOR),
    ("lecteur", Role.READER),
)


def demo_password() -> str:
    return os.environ.get("COPIL_DEMO_PASSWORD", DEFAULT_DEMO_PASSWORD)


def demo_email(username: str) -> str:
    """A reserved domain (RFC 2606): `copil remind` has someone to write to, nobody real."""
    return f"{username}@demo.copil.invalid"


def _prefix(institution: Institution) -> str | None:
    """ "cd" for the Département, "caf" for the CAF, None for the other parties."""
    key = fold_key(institution.name)
    if institution.kind == InstitutionKind.DEPARTEMENT or key.startswith(
        ("departement", "conseildepartemental", "conseilgeneral")
    ):
        return "cd"
    if institution.kind == InstitutionKind.CAF or key.startswith(("caf", "caissedallocations")):
        return "caf"
    return None


@transaction.atomic
def create_demo_accounts(
    convention: Convention, *, department_code: str = "67"
) -> list[tuple[str, str, Institution]]:
    """Users ``cd67-admin``, ``cd67-editeur``, ``cd67-pilote``, ``cd67-lecteur``,
    ``caf67-admin``…, members of ``convention`` with the matching role. Idempotent: an
    existing user keeps its password; a changed role is set back through the services."""
    password = demo_password()
    accounts = []
    seen: set[str] = set()
    for party in convention.parties.select_related("institution"):
        prefix = _prefix(party.institution)
        if prefix is None or prefix in seen:  # one Département, one CAF
            continue
        seen.add(prefix)
        for suffix, role in ROLE_SUFFIXES:
            username = f"{prefix}{department_code}-{suffix}"
            user, created = User.objects.get_or_create(
                username=username,
                defaults={"institution": party.institution, "email": demo_email(username)},
            )
            if created:
                user.set_password(password)
                user.save(update_fields=["password"])
            elif user.institution_id != party.institution_id:
                user.institution = party.institution
                user.save(update_fields=["institution"])
            membership = Membership.objects.filter(user=user, convention=convention).first()
            if membership is None:
                services.add_member(convention, user, role)
            elif membership.role != role:
                services.change_role(membership, role)
            accounts.append((username, str(role), party.institution))
    return accounts
