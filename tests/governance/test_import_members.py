"""The import fills each body's seats from the document's composition sentence."""

from pathlib import Path

import pytest

from copil.governance.models import BodyMember
from copil.importers.api import parse_bytes, sha256_of
from copil.plan.services import import_document

pytestmark = pytest.mark.django_db

DOCUMENT = (
    Path(__file__).parents[1] / "fixtures" / "documents" / "convention-cd67-caf67-2019-2022.txt"
)


def _import():
    data = DOCUMENT.read_bytes()
    return import_document(
        parse_bytes(data, DOCUMENT.name), source_name=DOCUMENT.name, source_sha256=sha256_of(data)
    )


def test_the_steering_committee_of_2019_gets_its_four_seats_on_the_parties():
    result = _import()
    convention = result.convention
    parties = {p.institution.name: p.institution for p in convention.parties.all()}
    cd, caf = parties["Département du Bas-Rhin"], parties["Caf du Bas-Rhin"]
    steering = convention.governance_bodies.get(kind="steering")
    seats = [(m.role, m.institution) for m in steering.members.select_related("institution")]
    assert seats == [
        ("Président du Conseil Départemental", cd),
        ("Président du Conseil d'Administration de la CAF", caf),
        (
            "Directeur Général des Services du Conseil Départemental (ou de son représentant)",
            cd,
        ),
        ("Directeur de la CAF", caf),
    ]
    technical = convention.governance_bodies.get(kind="technical")
    assert [m.institution for m in technical.members.all()] == [
        cd,
        caf,
    ]


def test_importing_the_same_document_again_adds_no_seat():
    first = _import()
    count = BodyMember.objects.filter(body__convention=first.convention).count()
    second = _import()
    assert second.unchanged and second.convention == first.convention
    assert (
        BodyMember.objects.filter(body__convention=first.convention).count() == count == 7
    )  # 4 + 2 + the bilateral meetings' one seat


def test_a_failing_import_leaves_no_seat(monkeypatch):
    from copil.plan import services as plan_services

    def boom(*args, **kwargs):
        raise RuntimeError("panne au milieu de l'import")

    monkeypatch.setattr(plan_services, "_write_plan", boom)
    with pytest.raises(RuntimeError):
        _import()
    assert not BodyMember.objects.exists()
