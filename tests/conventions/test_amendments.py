"""Amendments (avenants): draft -> signed, locked after; plan versions frozen at signature."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from copil.audit.context import Actor, acting_as
from copil.audit.models import AuditEntry
from copil.conventions import selectors, services
from copil.conventions.models import PlanVersion
from tests.factories import ConventionFactory, UserFactory

pytestmark = pytest.mark.django_db

PLAN = {"title": "Convention", "themes": []}


def test_amendments_are_numbered_per_convention_and_audited():
    convention, other = ConventionFactory(), ConventionFactory()
    with acting_as(Actor(label="marie.dupont")):
        first = services.create_amendment(convention, title="Ajout d'une thématique")
        second = services.create_amendment(convention, title="Prolongation")
    assert (first.number, second.number, first.status) == (1, 2, "draft")
    assert services.create_amendment(other, title="Autre").number == 1
    entry = AuditEntry.objects.get(
        object_id=str(first.pk), action="create", object_repr__startswith="Avenant"
    )
    assert (entry.actor_label, entry.changes["title"]) == ("marie.dupont", "Ajout d'une thématique")


def test_a_draft_is_edited_with_before_and_after_in_the_audit():
    amendment = services.create_amendment(ConventionFactory(), title="Projet")
    services.update_amendment(amendment, title="Avenant n° 1", effective_date=dt.date(2025, 1, 1))
    entry = AuditEntry.objects.get(action="update")
    assert entry.changes == {
        "effective_date": [None, "2025-01-01"],
        "title": ["Projet", "Avenant n° 1"],
    }


def test_signing_locks_the_amendment_and_freezes_the_plan():
    user = UserFactory()
    convention = ConventionFactory()
    amendment = services.create_amendment(
        convention, title="Avenant", effective_date=dt.date(2025, 3, 1)
    )
    with acting_as(Actor(label=user.username, user=user)):
        signed, version = services.sign_amendment(
            amendment, signed_on=dt.date(2025, 2, 1), plan_data=PLAN
        )
    assert (signed.status, signed.signed_on) == ("signed", dt.date(2025, 2, 1))
    assert (version.number, version.amendment, version.created_by) == (1, signed, user)
    assert version.label == "Avenant n° 1 signé le 01/02/2025"
    assert version.data == PLAN
    with pytest.raises(ValidationError, match="Cet avenant est signé"):
        services.update_amendment(signed, title="Autre chose")
    with pytest.raises(ValidationError, match="Cet avenant est signé"):
        services.sign_amendment(signed, signed_on=dt.date(2025, 2, 2), plan_data=PLAN)
    assert PlanVersion.objects.count() == 1


def test_a_signature_after_the_effective_date_is_refused_in_french():
    amendment = services.create_amendment(
        ConventionFactory(), title="Avenant", effective_date=dt.date(2025, 1, 1)
    )
    with pytest.raises(ValidationError, match="ne peut pas être postérieure"):
        services.sign_amendment(amendment, signed_on=dt.date(2025, 2, 1), plan_data=PLAN)
    amendment.refresh_from_db()
    assert amendment.status == "draft"
    assert not PlanVersion.objects.exists()


def test_the_initial_version_is_taken_once():
    convention = ConventionFactory()
    first = services.snapshot_initial_plan(convention, PLAN)
    assert (first.number, first.label) == (1, "Version initiale")
    assert services.snapshot_initial_plan(convention, PLAN) is None


def test_word_diff_keeps_the_words_in_order():
    segments = selectors.word_diff(
        "Réunir le comité deux fois par an", "Réunir le comité chaque trimestre"
    )
    assert [(s.op, s.text) for s in segments] == [
        ("equal", "Réunir le comité "),
        ("delete", "deux fois par an"),
        ("insert", "chaque trimestre"),
    ]


def test_action_changes_per_field():
    def plan(description, partners):
        action = {
            "number": "1.1",
            "title": "Action",
            "description": description,
            "partners": partners,
            "leads": [],
            "milestones": [],
            "deliverables": [],
            "budget": [],
            "indicators": [],
        }
        return {"themes": [{"orientations": [{"actions": [action]}]}]}

    changes = selectors.action_changes(plan("Avant", ["MSA"]), plan("Après", ["MSA", "ARS"]))
    assert [(c.number, c.status) for c in changes] == [("1.1", "changed")]
    assert [f.label for f in changes[0].fields] == [
        "Descriptif de l'action",
        "Partenaires associés",
    ]
    added = selectors.action_changes({"themes": []}, plan("Nouveau", []))
    assert added[0].status == "added"
