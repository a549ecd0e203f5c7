"""Who may edit what: every role x every edit view x objects they may and may not change.

Allowed: the page (200) or, for a POST, the redirection after the write (302 to the
action); not allowed: 404, for GET and POST alike; anonymous: the login page.
"""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from copil.plan import services
from tests.web.edit_helpers import PDF, action_data, parts_data

pytestmark = pytest.mark.django_db

ROLES = ["admin", "editor", "lead_cd", "lead_caf", "reader", "non_member", "anonymous", "superuser"]
OBJECTS = ["cd", "caf", "both", "other", "deleted"]
#: The URL names this module's matrices check (see tests/web/test_url_coverage.py).
MATRIX_URL_NAMES = {
    "action_edit",
    "action_parts",
    "action_note_add",
    "action_comment_add",
    "action_attachment_add",
    "action_delete",
    "action_restore",
    "action_history",
    "attachment_download",
}

#: action key -> who may change it (perms.can_edit_action)
EDITORS = {
    "cd": {"admin", "editor", "lead_cd", "superuser"},
    "caf": {"admin", "editor", "lead_caf", "superuser"},
    "both": {"admin", "editor", "lead_cd", "lead_caf", "superuser"},
    "other": {"superuser"},
    "deleted": {"superuser"},
}
#: action key -> who may comment (every member but readers)
COMMENTERS = {
    key: (
        {"admin", "editor", "lead_cd", "lead_caf", "superuser"}
        if key in ("cd", "caf", "both")
        else {"superuser"}
    )
    for key in OBJECTS
}
#: action key -> who may delete and restore (perms.can_edit_plan)
PLAN_EDITORS = {
    key: ({"admin", "editor", "superuser"} if key in ("cd", "caf", "both") else {"superuser"})
    for key in OBJECTS
}
VIEWERS = {
    key: (
        {"admin", "editor", "lead_cd", "lead_caf", "reader", "superuser"}
        if key in ("cd", "caf", "both")
        else {"superuser"}
    )
    for key in OBJECTS
}


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _client(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client


def _check(response, role, allowed, ok_status, url):
    if role == "anonymous":
        assert response.status_code == 302, url
        assert response.url == f"/connexion/?next={url}"
    elif allowed:
        assert response.status_code == ok_status, (url, response.content[:500])
    else:
        assert response.status_code == 404, url


def _request(client, world, role, key, view):
    action = world.actions[key]
    base = f"/actions/{action.pk}/"
    match view:
        case "edit_get":
            return base + "modifier/", EDITORS, 200, client.get(base + "modifier/")
        case "edit_post":
            data = action_data(action, progress=30)
            return base + "modifier/", EDITORS, 302, client.post(base + "modifier/", data)
        case "parts_get":
            return base + "moyens/", EDITORS, 200, client.get(base + "moyens/")
        case "parts_post":
            return base + "moyens/", EDITORS, 302, client.post(base + "moyens/", parts_data(action))
        case "note":
            data = {"note-date": "2025-03-01", "note-text": "Comité technique tenu."}
            return base + "notes/", EDITORS, 302, client.post(base + "notes/", data)
        case "attachment":
            upload = SimpleUploadedFile("bilan.pdf", PDF)
            url = base + "pieces-jointes/"
            return url, EDITORS, 302, client.post(url, {"attachment-file": upload})
        case "comment":
            url = base + "commentaires/"
            return url, COMMENTERS, 302, client.post(url, {"comment-text": "Vu."})
        case "delete_get":
            return base + "supprimer/", PLAN_EDITORS, 200, client.get(base + "supprimer/")
        case "delete_post":
            return base + "supprimer/", PLAN_EDITORS, 302, client.post(base + "supprimer/")
        case "restore":
            services.delete_action(action)
            return base + "restaurer/", PLAN_EDITORS, 302, client.post(base + "restaurer/")
        case "history":
            return base + "historique/", VIEWERS, 200, client.get(base + "historique/")
    raise AssertionError(view)


#: In this order, each write leaves the action usable by the next (the world is built once
#: per role and object: building it per view would make this matrix slow).
VIEWS = [
    "edit_get",
    "parts_get",
    "history",
    "delete_get",
    "edit_post",
    "parts_post",
    "note",
    "attachment",
    "comment",
    "delete_post",
    "restore",
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", OBJECTS)
def test_edit_matrix(client, world, media, role, key):
    client = _client(client, world, role)
    for view in VIEWS:
        world.actions[key].refresh_from_db()
        url, rule, ok_status, response = _request(client, world, role, key, view)
        _check(response, role, role in rule[key], ok_status, url)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("key", OBJECTS)
def test_attachments_are_downloaded_through_the_funnel(client, world, media, role, key):
    attachment = services.add_attachment(
        world.actions[key],
        uploaded_by=None,
        upload=SimpleUploadedFile("bilan CD.pdf", PDF),
        content_type="application/pdf",
    )
    url = f"/pieces-jointes/{attachment.pk}/"
    response = _client(client, world, role).get(url)
    _check(response, role, role in VIEWERS[key], 200, url)
    if response.status_code == 200:
        assert b"".join(response.streaming_content) == PDF
        assert response["Content-Disposition"] == 'attachment; filename="bilan CD.pdf"'
        assert response["Content-Type"] == "application/pdf"


@pytest.mark.parametrize("role", ROLES)
def test_a_deleted_action_is_404_for_everybody(client, world, role):
    action = world.actions["cd"]
    services.delete_action(action)
    for url in (f"/actions/{action.pk}/", f"/actions/{action.pk}/modifier/"):
        response = _client(client, world, role).get(url)
        assert response.status_code == (302 if role == "anonymous" else 404)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", ["shared", "other", "deleted"])
def test_the_bin_is_shown_to_those_who_restore(client, world, role, obj):
    convention = getattr(world, obj)
    services.delete_action(world.actions["cd" if obj == "shared" else obj])
    url = f"/conventions/{convention.pk}/historique/"
    response = _client(client, world, role).get(url)
    members = {"admin", "editor", "lead_cd", "lead_caf", "reader"}
    visible = role == "superuser" or (obj == "shared" and role in members)
    _check(response, role, visible, 200, url)
    if response.status_code == 200:
        restorers = {"admin", "editor", "superuser"}
        assert response.context["can_restore"] is (role in restorers)
        assert len(response.context["trash"]) == (1 if role in restorers else 0)
        assert ("Corbeille" in response.content.decode()) is (role in restorers)


def test_a_note_date_is_a_date(client, world):
    client.force_login(world.users["editor"])
    action = world.actions["cd"]
    response = client.post(f"/actions/{action.pk}/notes/", {"note-date": "hier", "note-text": "x"})
    assert response.status_code == 400
    assert "Saisissez une date valide" in response.content.decode()
