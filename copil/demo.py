"""The demo of `make run`: the 2019-2022 Bas-Rhin convention, imported from its document."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path

from django.contrib.auth import get_user_model
from django.db import transaction

from copil.accounts.demo import create_demo_accounts, demo_password
from copil.accounts.enums import Role
from copil.audit.context import Actor, acting_as
from copil.conventions import services as convention_services
from copil.importers.api import parse_file, sha256_of
from copil.institutions.enums import TerritoryKind
from copil.institutions.models import Territory
from copil.plan.services import import_document

DEMO_USERNAME = "demo"
#: The Bas-Rhin's action territories (the Département's own split), so that measurements
#: can be broken down by territory in the demo. Reference data, shared by conventions.
DEMO_ACTION_TERRITORIES = ("Eurométropole", "Nord", "Ouest", "Sud")


def _demo_territories() -> Territory:
    """The Bas-Rhin and its action territories; returns the Département's territory."""
    department, _ = Territory.objects.get_or_create(
        kind=TerritoryKind.DEPARTEMENT, name="Bas-Rhin", defaults={"code": "67"}
    )
    for name in DEMO_ACTION_TERRITORIES:
        Territory.objects.get_or_create(
            kind=TerritoryKind.ACTION_TERRITORY, name=name, defaults={"parent": department}
        )
    return department


@transaction.atomic
def load_demo(document: Path, *, effective_date: dt.date) -> Iterator[str]:
    """Import the demo document (idempotent) and make sure the demo account exists.

    The document does not state its effective date; the demo uses 1 July 2019, the
    start of the 2019–2022 period, so that the lifecycle has something to show.
    """
    lines = []
    with acting_as(Actor(label="démo")):
        doc = parse_file(document)
        result = import_document(
            doc, source_name=document.name, source_sha256=sha256_of(document.read_bytes())
        )
        convention = result.convention
        if convention.effective_date is None:
            convention = convention_services.update_convention(
                convention, effective_date=effective_date
            )
        verb = "importée" if result.created else "déjà présente"
        lines.append(
            f"Convention de démonstration {verb} : n° {convention.pk} « {convention.title} » "
            f"({len(doc.actions())} actions)."
        )
        department = _demo_territories()
        if convention.territory_id is None:  # the document names the Bas-Rhin, not a code
            convention = convention_services.update_convention(convention, territory=department)
        lines.append("Territoire : le Bas-Rhin et ses territoires d'action (Nord, Ouest, Sud,")
        lines.append("  Eurométropole), pour ventiler les mesures des indicateurs.")
        lines.append(f"Comptes de démonstration (mot de passe : {demo_password()}) :")
        for username, role, institution in create_demo_accounts(convention):
            lines.append(f"  {username:<14} {Role(role).label}, {institution}")
    user_model = get_user_model()
    user, created = user_model.objects.get_or_create(
        username=DEMO_USERNAME, defaults={"is_staff": True, "is_superuser": True}
    )
    if created:
        user.set_password(demo_password())
        user.save(update_fields=["password"])
    lines.append(
        f"Compte de démonstration : {DEMO_USERNAME} / {demo_password()} "
        "(administration : http://127.0.0.1:8000/admin/)"
    )
    return iter(lines)
