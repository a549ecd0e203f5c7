"""Governance services: audit entries, the lock of approved minutes, optimistic
concurrency, and what belongs to another convention refused."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from copil.audit.context import acting_as, actor_for_user
from copil.audit.models import AuditAction, AuditEntry
from copil.governance import services
from copil.governance.enums import MinutesStatus
from copil.governance.models import BodyMember, Meeting
from tests.factories import FollowUpTaskFactory, UserFactory

pytestmark = pytest.mark.django_db


def entries(obj):
    return AuditEntry.objects.filter(object_id=str(obj.pk), object_repr=str(obj))


def test_create_meeting_is_audited_on_its_convention(gov):
    with acting_as(actor_for_user(gov.users["editor"])):
        meeting = services.create_meeting(
            gov.body, date=dt.date(2021, 3, 4), title="COPIL 2021", location="Strasbourg"
        )
    assert meeting.convention == gov.shared and meeting.minutes_status == MinutesStatus.DRAFT
    entry = AuditEntry.objects.get(object_id=str(meeting.pk), action=AuditAction.CREATE)
    assert entry.convention_id == gov.shared.pk
    assert entry.actor == gov.users["editor"]
    assert entry.changes["title"] == "COPIL 2021"


def test_update_meeting_bumps_the_version_and_records_what_changed(gov):
    meeting = services.update_meeting(
        gov.meeting, expected_version=1, location="Hôtel du Département"
    )
    assert meeting.version == 2
    entry = AuditEntry.objects.filter(object_id=str(meeting.pk)).latest("id")
    assert entry.changes["location"] == ["", "Hôtel du Département"]
    assert entry.changes["version"] == [1, 2]
    # Nothing changed: no version, no entry.
    count = AuditEntry.objects.count()
    assert (
        services.update_meeting(
            meeting, expected_version=2, location="Hôtel du Département"
        ).version
        == 2
    )
    assert AuditEntry.objects.count() == count


def test_a_stale_save_is_refused_with_what_the_other_person_changed(gov):
    services.update_meeting(gov.meeting, expected_version=1, title="Titre de Marie")
    with pytest.raises(services.StaleMeetingError) as caught:
        services.update_meeting(
            gov.meeting, expected_version=1, title="Titre de Paul", location="Ici"
        )
    assert caught.value.current.version == 2
    assert [(c.field, c.theirs, c.yours) for c in caught.value.conflicts] == [
        ("title", "Titre de Marie", "Titre de Paul")
    ]
    assert "modifiée par quelqu'un d'autre" in caught.value.messages[0]
    assert Meeting.objects.get(pk=gov.meeting.pk).location == ""


def test_approving_minutes_locks_the_meeting_and_everything_under_it(gov):
    admin = gov.users["admin"]
    task = FollowUpTaskFactory(meeting=gov.meeting, due_date=dt.date(2021, 1, 31))
    with acting_as(actor_for_user(admin)):
        meeting = services.approve_minutes(gov.meeting, by=admin)
    assert meeting.is_locked and meeting.approved_by == admin and meeting.approved_at
    entry = AuditEntry.objects.filter(object_id=str(meeting.pk)).latest("id")
    assert entry.changes["minutes_status"] == ["draft", "approved"]
    assert entry.message == "approbation du compte rendu"

    refusals = [
        lambda: services.update_meeting(meeting, minutes="Réécrit"),
        lambda: services.add_attendee(meeting, name="Mme X"),
        lambda: services.add_agenda_item(meeting, title="Point"),
        lambda: services.add_decision(meeting, text="Décision tardive"),
        lambda: services.add_task(meeting, title="Tâche tardive"),
        lambda: services.save_meeting_parts(meeting, {}),
        lambda: services.approve_minutes(meeting, by=admin),
    ]
    for refused in refusals:
        with pytest.raises(services.MeetingLockedError) as caught:
            refused()
        assert "verrouillée" in caught.value.messages[0]
        assert isinstance(caught.value, ValidationError)
    assert Meeting.objects.get(pk=meeting.pk).minutes == "Compte rendu du comité."
    # A task is still marked done after the approval.
    done = services.complete_task(task, dt.date(2021, 1, 15))
    assert done.done_on == dt.date(2021, 1, 15)


def test_minutes_of_a_future_or_empty_meeting_cannot_be_approved(gov):
    future = services.create_meeting(gov.body, date=timezone.localdate() + dt.timedelta(days=3))
    with pytest.raises(ValidationError, match="pas encore eu lieu"):
        services.approve_minutes(future, by=gov.users["admin"])
    empty = services.create_meeting(gov.body, date=dt.date(2021, 5, 5))
    with pytest.raises(ValidationError, match="compte rendu est vide"):
        services.approve_minutes(empty, by=gov.users["admin"])
    assert not Meeting.objects.get(pk=empty.pk).is_locked


def test_decisions_concern_actions_and_amendments_of_the_same_convention_only(gov):
    decision = services.add_decision(
        gov.meeting,
        kind="arbitration",
        text="Le comité arbitre en faveur de l'action 1.1.",
        actions=[gov.actions["cd"], gov.actions["both"]],
        amendment=gov.amendment,
    )
    assert set(decision.actions.all()) == {gov.actions["cd"], gov.actions["both"]}
    entry = AuditEntry.objects.filter(object_id=str(gov.meeting.pk)).latest("id")
    assert "actions 1.1, 1.3" in entry.changes["decisions"][1]
    with pytest.raises(ValidationError) as caught:
        services.add_decision(gov.meeting, text="x", actions=[gov.actions["other"]])
    assert "n'appartiennent pas à cette convention" in caught.value.message_dict["actions"][0]
    with pytest.raises(ValidationError) as caught:
        services.add_decision(gov.meeting, text="x", amendment=gov.other_amendment)
    assert "avenant" in caught.value.message_dict["amendment"][0]
    with pytest.raises(ValidationError):
        services.add_agenda_item(gov.meeting, title="x", action=gov.actions["other"])
    assert gov.meeting.decisions.count() == 1 and gov.meeting.agenda_items.count() == 0


def test_follow_up_tasks_take_a_member_and_a_sensible_due_date(gov):
    task = services.add_task(
        gov.meeting,
        title="Préparer le bilan",
        owner=gov.users["lead_caf"],
        due_date=dt.date(2021, 2, 1),
    )
    assert task.owner == gov.users["lead_caf"]
    with pytest.raises(ValidationError) as caught:
        services.add_task(gov.meeting, title="x", owner=gov.users["non_member"])
    assert "membre" in caught.value.message_dict["owner"][0]
    with pytest.raises(ValidationError) as caught:
        services.add_task(gov.meeting, title="x", due_date=dt.date(2020, 1, 1))
    assert "précède la réunion" in caught.value.message_dict["due_date"][0]
    other_decision = services.add_decision(gov.other_meeting, text="Ailleurs")
    with pytest.raises(ValidationError):
        services.add_task(gov.meeting, title="x", decision=other_decision)
    with pytest.raises(ValidationError, match="avant la réunion"):
        services.complete_task(task, dt.date(2019, 1, 1))
    with pytest.raises(ValidationError, match="futur"):
        services.complete_task(task, timezone.localdate() + dt.timedelta(days=1))


def test_a_meeting_cannot_move_after_its_tasks(gov):
    services.add_task(gov.meeting, title="Relancer", due_date=dt.date(2020, 12, 15))
    with pytest.raises(ValidationError) as caught:
        services.update_meeting(gov.meeting, date=dt.date(2021, 1, 10))
    assert "Relancer" in caught.value.message_dict["date"][0]
    assert Meeting.objects.get(pk=gov.meeting.pk).date == dt.date(2020, 11, 20)


def test_nothing_is_written_on_a_deleted_convention(gov):
    body = gov.body
    gov.shared.deleted_at = timezone.now()
    gov.shared.save(update_fields=["deleted_at"])
    with pytest.raises(ValidationError, match="supprimée"):
        services.create_meeting(body, date=dt.date(2021, 1, 1))
    with pytest.raises(ValidationError, match="supprimée"):
        services.update_body(body, name="Autre nom")


def test_update_body_and_create_body_are_audited(gov):
    with acting_as(actor_for_user(gov.users["admin"])):
        body = services.update_body(
            gov.body, name="Comité de pilotage stratégique", frequency="trimestrielle"
        )
    entry = AuditEntry.objects.filter(object_id=str(body.pk)).latest("id")
    assert entry.changes["name"] == ["Comité de pilotage", "Comité de pilotage stratégique"]
    assert entry.convention_id == gov.shared.pk
    created = services.create_body(
        gov.shared,
        kind="technical",
        name="Comité technique",
        frequency="trimestrielle",
        composition="représentants des services du Département et de la CAF",
    )
    members = list(BodyMember.objects.filter(body=created).select_related("institution"))
    assert [(m.role, m.institution) for m in members] == [
        ("Représentants des services du Département", gov.cd),
        ("Représentants des services de la CAF", gov.caf),
    ]
    entry = AuditEntry.objects.get(object_id=str(created.pk), action=AuditAction.CREATE)
    assert len(entry.changes["members"]) == 2


def test_services_refuse_unknown_fields(gov):
    with pytest.raises(ValueError):
        services.update_meeting(gov.meeting, convention_id=gov.other.pk)
    with pytest.raises(ValueError):
        services.update_body(gov.body, convention=gov.other)
    assert UserFactory  # factories importable alongside
