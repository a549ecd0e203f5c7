"""Institutions are found by any of their names; unknown names become new ones."""

from __future__ import annotations

from django.db import transaction

from copil.audit.models import AuditAction
from copil.audit.services import record
from copil.core.names import fold_key
from copil.institutions.enums import InstitutionKind
from copil.institutions.models import Institution, InstitutionAlias


def find_institution(name: str) -> Institution | None:
    key = fold_key(name)
    if not key:
        return None
    alias = InstitutionAlias.objects.select_related("institution").filter(key=key).first()
    if alias:
        return alias.institution
    return Institution.objects.filter(name__iexact=name.strip()).first()


@transaction.atomic
def get_or_create_institution(
    name: str,
    *,
    aliases: tuple[str, ...] | list[str] = (),
    kind: str = InstitutionKind.OTHER,
    short_name: str = "",
) -> Institution:
    """The institution known under `name` (or one of `aliases`), created if needed.

    New aliases are attached to the institution found, so the registry learns
    every spelling a document uses.
    """
    names = [name, *aliases]
    institution = next((i for i in map(find_institution, names) if i is not None), None)
    if institution is None:
        institution = Institution.objects.create(
            name=name.strip(), kind=kind, short_name=short_name
        )
        record(institution, AuditAction.CREATE)
    known = set(
        InstitutionAlias.objects.filter(key__in=[fold_key(n) for n in names]).values_list(
            "key", flat=True
        )
    )
    for alias in names:
        key = fold_key(alias)
        if key and key not in known:
            InstitutionAlias.objects.create(institution=institution, alias=alias.strip())
            known.add(key)
    return institution
