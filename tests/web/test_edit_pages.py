"""The edit pages, as their users see them (in French)."""

import html as html_lib
import re
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from copil.audit.models import AuditEntry
from copil.plan import services
from copil.plan.models import Action, Attachment, BudgetLine
from tests.factories import BudgetLineFactory, IndicatorFactory
from tests.web.edit_helpers import PDF, action_data, parts_data

pytestmark = pytest.mark.django_db


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _text(response) -> str:
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def _as(client, world, role):
    client.force_login(world.users[role])
    return client


@pytest.mark.parametrize(
    ("role", "buttons"),
    [("editor", True), ("lead_cd", True), ("lead_caf", False), ("reader", False)],
)
def test_the_action_page_offers_editing_to_those_allowed(client, world, role, buttons):
    action = world.actions["cd"]
    html = _as(client, world, role).get(f"/actions/{action.pk}/").content.decode()
    assert (f'href="/actions/{action.pk}/modifier/"' in html) is buttons
    assert (f'href="/actions/{action.pk}/moyens/"' in html) is buttons
    assert (f'action="/actions/{action.pk}/notes/"' in html) is buttons
    assert (f'action="/actions/{action.pk}/pieces-jointes/"' in html) is buttons
    assert (f'action="/actions/{action.pk}/commentaires/"' in html) is (role != "reader")
    assert (f'href="/actions/{action.pk}/supprimer/"' in html) is (role == "editor")
    assert f'href="/actions/{action.pk}/historique/"' in html


def test_edit_saves_and_goes_back_to_the_action(client, world):
    action = world.actions["cd"]
    client = _as(client, world, "lead_cd")
    response = client.post(
        f"/actions/{action.pk}/modifier/",
        action_data(action, title="Accueil du jeune enfant", progress=60, status="in_progress"),
    )
    assert response.status_code == 302
    assert response.url == f"/actions/{action.pk}/"
    text = _text(client.get(response.url))
    assert "L'action a été enregistrée." in text
    assert "Accueil du jeune enfant" in text and "60 %" in text and "En cours" in text


def test_errors_are_shown_next_to_their_field(client, world):
    action = world.actions["cd"]
    response = _as(client, world, "editor").post(
        f"/actions/{action.pk}/modifier/",
        action_data(action, progress=150, start_date="2025-06-01", end_date="2025-01-01"),
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_progress_error"' in html
    assert re.search(r'<input[^>]*aria-describedby="id_progress_help id_progress_error"', html)
    assert 'aria-invalid="true"' in html
    text = _text(response)
    assert "Le formulaire contient 2 erreurs" in text
    assert "L'avancement ne peut pas dépasser 100 %." in text
    assert "La date de fin (01/01/2025) précède la date de début (01/06/2025)." in text
    action.refresh_from_db()
    assert action.progress == 0


def test_a_concurrent_save_is_refused_and_shows_what_changed(client, world):
    action = world.actions["cd"]
    client = _as(client, world, "editor")
    loaded = action_data(action)  # the form as it was loaded, at version 1
    services.update_action(action, expected_version=1, title="Titre de la collègue")
    response = client.post(
        f"/actions/{action.pk}/modifier/", loaded | {"title": "Mon titre", "progress": 20}
    )
    assert response.status_code == 409
    text = _text(response)
    assert "Quelqu'un a modifié cette action pendant que vous l'éditiez" in text
    assert "Rien n'a été enregistré" in text
    assert "Intitulé Titre de la collègue Mon titre" in text  # field: theirs, yours
    html = response.content.decode()
    assert 'value="Mon titre"' in html  # the user's input is kept
    assert 'name="version" value="2"' in html  # a second save, once checked, replaces theirs
    action.refresh_from_db()
    assert (action.title, action.progress) == ("Titre de la collègue", 0)
    again = client.post(
        f"/actions/{action.pk}/modifier/", loaded | {"version": 2, "title": "Mon titre"}
    )
    assert again.status_code == 302
    action.refresh_from_db()
    assert action.title == "Mon titre"


def test_the_parts_are_edited_with_formsets_and_audited(client, world):
    action = world.actions["cd"]
    BudgetLineFactory(action=action, institution=world.cd, amount_eur=Decimal("1000"))
    IndicatorFactory(action=action, label="Nombre de RAM")
    client = _as(client, world, "lead_cd")
    data = parts_data(action)
    data |= {
        "budget_lines-0-amount_eur": "2500.50",
        "indicators-0-DELETE": "on",
        "deliverables-TOTAL_FORMS": 1,
        "deliverables-0-label": "Guide des modes d'accueil",
        "partner_links-TOTAL_FORMS": 1,
        "partner_links-0-institution": world.caf.pk,
    }
    response = client.post(f"/actions/{action.pk}/moyens/", data)
    assert response.status_code == 302, _text(response)
    assert BudgetLine.objects.get(action=action).amount_eur == Decimal("2500.50")
    assert not action.indicators.exists()
    assert list(action.deliverables.values_list("label", flat=True)) == [
        "Guide des modes d'accueil"
    ]
    assert list(action.partner_links.values_list("institution", flat=True)) == [world.caf.pk]
    entry = AuditEntry.objects.get(object_id=str(action.pk), content_type__model="action")
    assert entry.changes["indicators"] == [["Nombre de RAM — Indicateur de réalisation"], []]
    assert entry.changes["partner_links"] == [[], ["Caf du Bas-Rhin"]]
    text = _text(client.get(f"/actions/{action.pk}/historique/"))
    assert "Budget prévisionnel" in text and "2500.50 €" in text
    assert "Livrables : — → devient Guide des modes d'accueil" in text


def test_parts_errors_keep_everything_unsaved(client, world):
    action = world.actions["cd"]
    data = parts_data(action) | {"deliverables-TOTAL_FORMS": 1, "deliverables-0-label": "x"}
    data |= {"milestones-TOTAL_FORMS": 1, "milestones-0-due_date": "2025-01-01"}  # no label
    response = _as(client, world, "editor").post(f"/actions/{action.pk}/moyens/", data)
    assert response.status_code == 400
    assert "Rien n'a été enregistré" in _text(response)
    assert not action.deliverables.exists()


def test_upload_and_download_an_attachment(client, world, media):
    action = world.actions["cd"]
    client = _as(client, world, "editor")
    response = client.post(
        f"/actions/{action.pk}/pieces-jointes/",
        {"attachment-file": SimpleUploadedFile("Bilan 2024.pdf", PDF)},
    )
    assert response.status_code == 302
    attachment = Attachment.objects.get()
    assert (attachment.original_name, attachment.size, attachment.content_type) == (
        "Bilan 2024.pdf",
        len(PDF),
        "application/pdf",
    )
    stored = media / attachment.file.name
    assert stored.read_bytes() == PDF
    assert "Bilan" not in attachment.file.name  # a random name on disk
    reader = _as(client, world, "reader")
    text = _text(reader.get(f"/actions/{action.pk}/"))
    assert "Bilan 2024.pdf" in text
    download = reader.get(f"/pieces-jointes/{attachment.pk}/")
    assert b"".join(download.streaming_content) == PDF


def test_a_disguised_file_is_refused_next_to_the_field(client, world, media):
    action = world.actions["cd"]
    response = _as(client, world, "editor").post(
        f"/actions/{action.pk}/pieces-jointes/",
        {"attachment-file": SimpleUploadedFile("rapport.pdf", b"MZ\x90\x00" + b"\x00" * 64)},
    )
    assert response.status_code == 400
    html = response.content.decode()
    assert 'id="id_attachment-file_error"' in html
    assert "Ce type de fichier n&#x27;est pas accepté" in html
    assert not Attachment.objects.exists()
    assert not list(media.rglob("*.*"))


def test_notes_and_comments_appear_on_the_action_page(client, world):
    action = world.actions["cd"]
    client = _as(client, world, "lead_caf")
    assert (
        client.post(f"/actions/{action.pk}/commentaires/", {"comment-text": "À voir en COPIL"})
    ).status_code == 302
    editor = _as(client, world, "editor")
    editor.post(
        f"/actions/{action.pk}/notes/", {"note-date": "2025-03-01", "note-text": "Réunion faite."}
    )
    text = _text(editor.get(f"/actions/{action.pk}/"))
    assert "À voir en COPIL" in text and "lead_caf" in text
    assert "01/03/2025" in text and "Réunion faite." in text


def test_delete_then_restore_from_the_bin(client, world):
    action = world.actions["cd"]
    client = _as(client, world, "editor")
    response = client.post(f"/actions/{action.pk}/supprimer/")
    assert response.url == f"/conventions/{world.shared.pk}/plan/"
    plan = _text(client.get(response.url))
    assert action.title not in plan
    history = client.get(f"/conventions/{world.shared.pk}/historique/")
    text = _text(history)
    assert f"{action.number} — {action.title}" in text
    assert "Suppression" in text and "Supprimée le" in text
    restored = client.post(f"/actions/{action.pk}/restaurer/")
    assert restored.url == f"/actions/{action.pk}/"
    assert Action.objects.get(pk=action.pk).deleted_at is None
    assert "La corbeille est vide." in _text(
        client.get(f"/conventions/{world.shared.pk}/historique/")
    )


def test_history_pages_say_who_when_what(client, world):
    action = world.actions["cd"]
    client = _as(client, world, "editor")
    client.post(
        f"/actions/{action.pk}/modifier/",
        action_data(action, status="done", end_date="2025-06-30"),
    )
    for url in (f"/actions/{action.pk}/historique/", f"/conventions/{world.shared.pk}/historique/"):
        text = _text(_as(client, world, "reader").get(url))
        assert "editor" in text and "Modification" in text
        assert "État : À venir → devient Réalisé" in text
        assert "Fin : — → devient 30/06/2025" in text


def test_history_is_paginated(client, world):
    action = world.actions["cd"]
    for i in range(55):
        services.update_action(action, progress=i + 1)
    client = _as(client, world, "reader")
    first = client.get(f"/actions/{action.pk}/historique/")
    assert len(first.context["rows"]) == 50
    assert "Page 1 sur 2" in _text(first)
    second = client.get(f"/actions/{action.pk}/historique/?page=2")
    assert len(second.context["rows"]) == 5


def test_saving_the_parts_does_not_make_an_open_fiche_form_stale(client, world):
    action = world.actions["cd"]
    client = _as(client, world, "editor")
    loaded = action_data(action)
    data = parts_data(action) | {"deliverables-TOTAL_FORMS": 1, "deliverables-0-label": "Guide"}
    assert client.post(f"/actions/{action.pk}/moyens/", data).status_code == 302
    response = client.post(f"/actions/{action.pk}/modifier/", loaded | {"progress": 80})
    assert response.status_code == 302
    action.refresh_from_db()
    assert (action.progress, action.version) == (80, 2)


def test_an_unchanged_parts_form_says_so(client, world):
    action = world.actions["cd"]
    client = _as(client, world, "editor")
    response = client.post(f"/actions/{action.pk}/moyens/", parts_data(action), follow=True)
    assert "Aucun changement à enregistrer." in _text(response)
    assert not AuditEntry.objects.filter(object_id=str(action.pk)).exists()


def test_a_row_deleted_meanwhile_is_reported_and_nothing_is_saved(client, world):
    action = world.actions["cd"]
    client = _as(client, world, "editor")
    data = parts_data(action) | {"leads-0-unit": "PMI"}
    action.leads.all().delete()  # someone else removed the lead meanwhile
    response = client.post(f"/actions/{action.pk}/moyens/", data)
    assert response.status_code == 400
    assert "modifiée ou supprimée par quelqu'un d'autre entre-temps" in _text(response)
    assert not action.leads.exists()
