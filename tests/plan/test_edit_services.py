"""Editing an action: one service per write, audited, versioned, refusing stale writes."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from copil.accounts import perms
from copil.audit.context import acting_as, actor_for_user
from copil.audit.models import AuditAction, AuditEntry
from copil.plan import services
from copil.plan.enums import ActionStatus
from copil.plan.models import Action, Comment, FollowUpNote
from tests.factories import CommentFactory, FollowUpNoteFactory

pytestmark = pytest.mark.django_db


def _entries(action):
    return AuditEntry.objects.filter(object_id=str(action.pk), content_type__model="action")


def test_update_writes_the_fields_a_new_version_and_one_audit_entry(world):
    action = world.actions["cd"]
    old_title = action.title
    with acting_as(actor_for_user(world.users["editor"])):
        updated = services.update_action(
            action, expected_version=1, title="Nouvel intitulé", progress=40, status="in_progress"
        )
    action.refresh_from_db()
    assert (action.title, action.progress, action.status, action.version) == (
        "Nouvel intitulé",
        40,
        ActionStatus.IN_PROGRESS,
        2,
    )
    assert updated.version == 2
    entry = _entries(action).get()
    assert entry.action == AuditAction.UPDATE
    assert entry.actor == world.users["editor"]
    assert entry.convention_id == world.shared.pk
    assert entry.changes == {
        "title": [old_title, "Nouvel intitulé"],
        "progress": [0, 40],
        "status": ["planned", "in_progress"],
        "version": [1, 2],
    }


def test_an_update_that_changes_nothing_writes_nothing(world):
    action = world.actions["cd"]
    services.update_action(action, expected_version=1, title=action.title)
    action.refresh_from_db()
    assert action.version == 1
    assert not _entries(action).exists()


def test_a_stale_version_is_refused_with_what_changed_and_nothing_is_overwritten(world):
    action = world.actions["cd"]
    services.update_action(action, expected_version=1, title="Leur intitulé", progress=50)
    with pytest.raises(services.StaleVersionError) as refused:
        services.update_action(
            action,
            expected_version=1,
            title="Mon intitulé",
            progress=0,  # untouched by me, changed by them: listed, or my save would undo it
            description="Ma description",  # touched by me only: not a conflict
        )
    action.refresh_from_db()
    assert (action.title, action.progress, action.description, action.version) == (
        "Leur intitulé",
        50,
        "",
        2,
    )
    assert [(c.label, c.theirs, c.yours) for c in refused.value.conflicts] == [
        ("Intitulé", "Leur intitulé", "Mon intitulé"),
        ("Avancement (%)", "50", "0"),
    ]
    assert "modifiée par quelqu'un d'autre" in refused.value.messages[0]
    assert _entries(action).count() == 1


def test_without_history_every_differing_field_is_listed(world):
    action = world.actions["cd"]
    Action.objects.filter(pk=action.pk).update(version=5, title="Importé")
    with pytest.raises(services.StaleVersionError) as refused:
        services.update_action(action, expected_version=1, title="Mien", status="done")
    assert [c.field for c in refused.value.conflicts] == ["title", "status"]
    assert refused.value.conflicts[1].theirs == "À venir"
    assert refused.value.conflicts[1].yours == "Réalisé"


def test_the_database_rules_are_checked(world):
    action = world.actions["cd"]
    with pytest.raises(ValidationError):
        services.update_action(action, start_date=dt.date(2025, 1, 1), end_date=dt.date(2024, 1, 1))
    with pytest.raises(ValueError, match="not editable"):
        services.update_action(action, number="9.9")


def test_delete_hides_the_action_and_restore_brings_it_back_both_audited(world):
    action = world.actions["cd"]
    editor = world.users["editor"]
    services.delete_action(action)
    assert not perms.actions_for(editor).filter(pk=action.pk).exists()
    assert not perms.actions_for(world.users["superuser"]).filter(pk=action.pk).exists()
    action.refresh_from_db()
    assert not perms.can_edit_action(editor, action)
    with pytest.raises(ValidationError):
        services.update_action(action, title="Fantôme")
    services.restore_action(action)
    assert perms.actions_for(editor, "change").filter(pk=action.pk).exists()
    actions = list(_entries(action).order_by("id").values_list("action", flat=True))
    assert actions == [AuditAction.DELETE, AuditAction.RESTORE]
    assert Action.objects.get(pk=action.pk).version == 3


def test_notes_and_comments_are_stored_and_audited_on_the_action(world):
    action = world.actions["cd"]
    user = world.users["lead_cd"]
    services.add_note(action, author=user, date=dt.date(2025, 3, 1), text="Comité tenu.")
    services.add_comment(action, author=user, text="À relancer.")
    assert FollowUpNote.objects.get().author == user
    assert Comment.objects.get().text == "À relancer."
    changes = list(_entries(action).order_by("id").values_list("changes", flat=True))
    assert changes == [
        {"notes": [None, "01/03/2025 : Comité tenu."]},
        {"comments": [None, "À relancer."]},
    ]


def test_deleting_twice_writes_one_entry(world):
    action = world.actions["cd"]
    services.delete_action(action)
    services.delete_action(action)  # twice: idempotent, one entry
    assert _entries(action).count() == 1


def test_parts_take_known_parts_only(world):
    with pytest.raises(ValueError, match="unknown parts"):
        services.save_action_parts(world.actions["cd"], {"territories": None})


def test_factories_for_the_follow_up(world):
    note, comment = FollowUpNoteFactory(), CommentFactory(action=world.actions["cd"])
    assert note.action.plan and comment.author.username


def test_a_version_the_history_cannot_explain_lists_every_differing_field(world):
    action = world.actions["cd"]
    services.update_action(action, expected_version=1, progress=10)  # audited: v2
    Action.objects.filter(pk=action.pk).update(version=3, title="Réimporté")  # no span: v3
    with pytest.raises(services.StaleVersionError) as refused:
        services.update_action(action, expected_version=1, title="Mien", progress=0)
    assert [c.field for c in refused.value.conflicts] == ["title", "progress"]
