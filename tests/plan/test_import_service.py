"""Storing an ImportedDocument: atomic, idempotent, differences applied only on request."""

import copy
import datetime as dt
from decimal import Decimal
from unittest import mock

import pytest

from copil.audit.models import AuditEntry
from copil.conventions.models import Convention
from copil.importers.model import (
    BudgetItem,
    ImportedAction,
    ImportedDocument,
    ImportedGovernanceBody,
    ImportedOrientation,
    ImportedParty,
    ImportedTerm,
    ImportedTheme,
    IndicatorItem,
    Lead,
    MilestoneItem,
)
from copil.plan.documents import convention_to_document, load_convention
from copil.plan.models import Action, BudgetLine
from copil.plan.services import import_document

pytestmark = pytest.mark.django_db

CD, CAF = "Département du Bas-Rhin", "Caf du Bas-Rhin"


def make_document() -> ImportedDocument:
    action = ImportedAction(
        number="5.3",
        title="Promouvoir l'accueil individuel sous diverses formes",
        description="Développer la formation continue des assistants maternels.",
        leads=[Lead(CAF, "Direction de l'action territoriale"), Lead(CD, "la PMI")],
        partners=["Ram", "MSA", "MSA"],
        schedule="Juin 2019",
        milestones=[MilestoneItem("Juin 2019", dt.date(2019, 6, 30))],
        deliverables=["Guide"],
        budget=[
            BudgetItem(CD, Decimal("45000"), Decimal("1"), "45 000 € : poste : 1 ETP"),
            BudgetItem(CAF, None, None, "Mobilisation de moyens humains."),
        ],
        indicators=[IndicatorItem("nombre de Mam", "output")],
    )
    return ImportedDocument(
        title="Convention territoriale globale pour la période 2019-2022",
        parties=[
            ImportedParty(CD, "Le Département du Bas-Rhin", representative_name="Frédéric BIERRY"),
            ImportedParty(CAF, "La Caisse d'Allocations Familiales du Bas-Rhin"),
        ],
        term=ImportedTerm(36, 12, True, None, 6, "registered_letter"),
        governance_bodies=[ImportedGovernanceBody("steering", "Comité de pilotage", "annuel")],
        cooperation_principles=["s'informer mutuellement"],
        themes=[
            ImportedTheme(4, "Veille et innovation", "transverse"),
            ImportedTheme(
                5,
                "Petite enfance",
                orientations=[ImportedOrientation(1, "Réponse adaptée", actions=[action])],
            ),
        ],
    )


def test_import_creates_the_convention_and_its_plan():
    result = import_document(make_document(), source_name="ctg.docx", source_sha256="a" * 64)
    assert result.created
    convention = result.convention
    assert (convention.initial_term_months, convention.notice_form) == (36, "registered_letter")
    assert [p.institution.name for p in convention.parties.all()] == [CD, CAF]
    action = Action.objects.get(number="5.3")
    assert [lead.institution.name for lead in action.leads.all()] == [CAF, CD]
    assert action.partner_links.count() == 2  # MSA once
    assert BudgetLine.objects.get(action=action, institution__name=CD).fte == Decimal("1")
    assert AuditEntry.objects.filter(convention_id=convention.pk, action="import").exists()


def test_round_trip_through_the_database():
    doc = make_document()
    result = import_document(doc, source_name="ctg.docx", source_sha256="a" * 64)
    back = convention_to_document(load_convention(result.convention.pk))
    from copil.importers.compare import compare_documents

    expected = copy.deepcopy(doc)
    expected.themes[1].orientations[0].actions[0].partners = ["Ram", "MSA"]
    assert compare_documents(expected, back) == []


def test_the_same_document_twice_creates_nothing():
    import_document(make_document(), source_name="ctg.docx", source_sha256="a" * 64)
    again = import_document(make_document(), source_name="ctg.docx", source_sha256="a" * 64)
    assert again.unchanged and Convention.objects.count() == 1 and Action.objects.count() == 1


def test_a_changed_document_is_reported_then_applied_on_request():
    first = import_document(make_document(), source_name="v1.docx", source_sha256="a" * 64)
    Action.objects.filter(number="5.3").update(status="in_progress", progress=40)
    changed = make_document()
    changed.themes[1].orientations[0].actions[0].description = "Nouvelle rédaction."
    report = import_document(changed, source_name="v2.docx", source_sha256="b" * 64)
    assert report.differences == ["Action 5.3 modifiée : descriptif"]
    assert not report.applied
    assert Action.objects.get(number="5.3").description.startswith("Développer")
    applied = import_document(
        changed, source_name="v2.docx", source_sha256="b" * 64, apply_changes=True
    )
    assert applied.applied and applied.convention.pk == first.convention.pk
    action = Action.objects.get(number="5.3")
    assert (action.description, action.status, action.progress) == (
        "Nouvelle rédaction.",
        "in_progress",
        40,
    )
    assert AuditEntry.objects.filter(action="update", object_repr__startswith="Action 5.3").exists()


def test_a_failure_half_way_changes_nothing():
    with (
        mock.patch("copil.plan.services.Indicator.objects.bulk_create", side_effect=RuntimeError),
        pytest.raises(RuntimeError),
    ):
        import_document(make_document(), source_name="ctg.docx", source_sha256="a" * 64)
    assert Convention.objects.count() == 0 and Action.objects.count() == 0
    assert AuditEntry.objects.count() == 0
