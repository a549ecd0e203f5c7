"""Actions in the bin (soft-deleted) are not part of the plan as it stands: exports, plan
versions and the comparison before a re-import leave them out; a re-import restores one the
document still holds and leaves the others in the bin."""

from __future__ import annotations

import copy

import pytest

from copil.audit.models import AuditAction, AuditEntry
from copil.exporters import export_document
from copil.exporters.json import to_json
from copil.importers.model import ImportedAction, ImportedOrientation
from copil.plan import services
from copil.plan.documents import convention_to_document, load_convention
from copil.plan.models import Action, FollowUpNote
from copil.plan.services import import_document
from tests.factories import UserFactory
from tests.plan.test_import_service import make_document

pytestmark = pytest.mark.django_db


def _two_action_document():
    doc = make_document()
    orientation = doc.themes[1].orientations[0]
    orientation.actions.append(
        ImportedAction(number="5.4", title="Soutenir les relais petite enfance")
    )
    return doc


def _numbers(doc) -> list[str]:
    return [a.number for a in doc.actions()]


@pytest.fixture
def stored():
    result = import_document(_two_action_document(), source_name="v1.md", source_sha256="a" * 64)
    return result.convention


def _bin(number: str) -> Action:
    return services.delete_action(Action.objects.get(number=number))


def test_a_binned_action_is_not_in_the_stored_document(stored):
    _bin("5.4")
    doc = convention_to_document(load_convention(stored.pk))
    assert _numbers(doc) == ["5.3"]
    assert "5.4" not in str(to_json(doc))  # nor in plan versions (their JSON)


@pytest.mark.parametrize("fmt", ["markdown", "json", "docx", "odt"])
def test_exports_leave_binned_actions_out(stored, fmt):
    from copil.importers.api import parse_bytes

    _bin("5.4")
    data = export_document(convention_to_document(load_convention(stored.pk)), fmt)
    if fmt == "json":
        assert b"Soutenir les relais" not in data
        return
    extension = {"markdown": "md"}.get(fmt, fmt)
    back = parse_bytes(data, f"export.{extension}")
    assert _numbers(back) == ["5.3"]


def test_the_cli_export_leaves_binned_actions_out(stored, tmp_path):
    from click.testing import CliRunner

    from copil.cli import cli

    _bin("5.4")
    output = tmp_path / "export.md"
    result = CliRunner().invoke(
        cli, ["export", str(stored.pk), "--format", "md", "--output", str(output)]
    )
    assert result.exit_code == 0, result.output
    text = output.read_text(encoding="utf-8")
    assert "Promouvoir l'accueil individuel" in text
    assert "Soutenir les relais" not in text


def test_leaving_binned_actions_out_costs_no_query(stored, django_assert_max_num_queries):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as before:
        convention_to_document(load_convention(stored.pk))
    _bin("5.4")
    with django_assert_max_num_queries(len(before.captured_queries)):
        convention_to_document(load_convention(stored.pk))


# --- re-import ---------------------------------------------------------------------------


def test_reimporting_a_document_that_holds_a_binned_action_restores_it(stored):
    binned = _bin("5.4")
    author = UserFactory()
    FollowUpNote.objects.create(action=binned, author=author, date="2021-01-04", text="Suivi.")
    changed = _two_action_document()
    changed.actions()[1].description = "Nouvelle rédaction."
    report = import_document(changed, source_name="v2.md", source_sha256="b" * 64)
    # The comparison shown before the import: the action comes back.
    assert any("5.4" in d for d in report.differences), report.differences
    applied = import_document(
        changed, source_name="v2.md", source_sha256="b" * 64, apply_changes=True
    )
    assert applied.applied
    action = Action.objects.get(pk=binned.pk)  # the same row: no clash, no duplicate
    assert action.deleted_at is None and action.description == "Nouvelle rédaction."
    assert action.notes.count() == 1  # what users added comes back with it
    assert Action.objects.filter(number="5.4").count() == 1
    entries = AuditEntry.objects.filter(object_id=str(binned.pk), message="import")
    assert AuditAction.RESTORE in set(entries.values_list("action", flat=True))
    # The stored plan is now the document: nothing left to apply.
    stored_doc = convention_to_document(load_convention(stored.pk))
    assert _numbers(stored_doc) == ["5.3", "5.4"]
    again = import_document(changed, source_name="v2.md", source_sha256="c" * 64)
    assert again.unchanged


def test_reimporting_a_document_without_the_binned_action_leaves_it_in_the_bin(stored):
    binned = _bin("5.4")
    doc = make_document()  # 5.3 only, as the stored plan now stands
    doc.actions()[0].description = "Nouvelle rédaction."
    report = import_document(doc, source_name="v2.md", source_sha256="b" * 64)
    assert report.differences == ["Action 5.3 modifiée : descriptif"]  # 5.4: nothing said
    import_document(doc, source_name="v2.md", source_sha256="b" * 64, apply_changes=True)
    action = Action.objects.get(pk=binned.pk)
    assert action.deleted_at == binned.deleted_at  # still in the bin, restorable
    services.restore_action(action)
    assert Action.objects.alive().filter(number="5.4").exists()


def test_a_binned_action_goes_with_its_orientation_when_the_document_drops_it(stored):
    binned = _bin("5.4")
    doc = make_document()
    theme = doc.themes[1]
    # The orientation of 5.3 and 5.4 is renumbered 2: orientation 1 disappears.
    theme.orientations = [
        ImportedOrientation(
            2, "Réponse adaptée", actions=copy.deepcopy(theme.orientations[0].actions)
        )
    ]
    import_document(doc, source_name="v2.md", source_sha256="b" * 64, apply_changes=True)
    assert not Action.objects.filter(pk=binned.pk).exists()
    assert AuditEntry.objects.filter(
        object_id=str(binned.pk), action=AuditAction.DELETE, message="import"
    ).exists()
