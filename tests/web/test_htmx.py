"""htmx, an enhancement only: the same URLs answer a part of the page to htmx (HX-Request)
and the whole page otherwise, so that everything works without JavaScript."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.contrib.staticfiles import finders
from django.templatetags.static import static

from copil.plan.models import Comment, FollowUpNote

pytestmark = pytest.mark.django_db

HX = {"HX-Request": "true"}
ROOT = Path(__file__).resolve().parents[2]


def _login(client, world, role="admin"):
    client.force_login(world.users[role])
    return client


# --- the plan filters ----------------------------------------------------------------------


def test_the_plan_page_is_whole_without_htmx(client, world):
    url = f"/conventions/{world.shared.pk}/plan/?status=planned"
    response = _login(client, world).get(url)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" in html and 'id="plan-results"' in html and "Filtrer les actions" in html
    assert "HX-Request" in response["Vary"]


def test_the_plan_filters_answer_the_tree_alone_to_htmx(client, world):
    url = f"/conventions/{world.shared.pk}/plan/?lead={world.cd.pk}"
    response = _login(client, world).get(url, headers=HX)
    html = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in html and "<form" not in html
    assert 'class="tree"' in html
    # The count (inside the page's live region) and the reset link, out of band.
    assert 'id="plan-count" hx-swap-oob="innerHTML"' in html
    assert "2 actions correspondant aux filtres" in html  # 1.1 (CD) and 1.3 (both)
    assert 'id="plan-reset" hx-swap-oob="innerHTML"' in html and "Tout afficher" in html
    assert world.actions["caf"].title not in html
    assert "HX-Request" in response["Vary"]


def test_a_history_restore_gets_the_whole_page(client, world):
    url = f"/conventions/{world.shared.pk}/plan/?lead={world.cd.pk}"
    headers = HX | {"HX-History-Restore-Request": "true"}
    html = _login(client, world).get(url, headers=headers).content.decode()
    assert "<html" in html and "Filtrer les actions" in html


def test_htmx_gets_the_same_404_for_a_convention_it_may_not_see(client, world):
    response = _login(client, world).get(f"/conventions/{world.other.pk}/plan/", headers=HX)
    assert response.status_code == 404


def test_the_filter_form_works_without_javascript_and_with_htmx(client, world):
    html = _login(client, world).get(f"/conventions/{world.shared.pk}/plan/").content.decode()
    assert f'action="/conventions/{world.shared.pk}/plan/"' in html  # plain GET form
    assert f'hx-get="/conventions/{world.shared.pk}/plan/"' in html
    assert 'hx-push-url="true"' in html and 'hx-target="#plan-results"' in html


# --- notes and comments, added in place ------------------------------------------------


def test_a_note_posted_by_htmx_answers_the_notes_section(client, world):
    action = world.actions["cd"]
    response = _login(client, world).post(
        f"/actions/{action.pk}/notes/",
        {"note-date": "2025-03-01", "note-text": "Comité technique tenu."},
        headers=HX,
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert html.lstrip().startswith('<section aria-labelledby="notes-title" id="notes">')
    assert "Comité technique tenu." in html and "La note de suivi a été ajoutée." in html
    assert FollowUpNote.objects.filter(action=action).count() == 1
    # A fresh, empty form for the next note; no message left for the next page.
    assert "Comité technique tenu.</textarea>" not in html
    page = client.get(f"/actions/{action.pk}/").content.decode()
    assert page.count("La note de suivi a été ajoutée.") == 0


def test_a_bad_note_posted_by_htmx_answers_the_section_with_the_errors(client, world):
    action = world.actions["cd"]
    response = _login(client, world).post(
        f"/actions/{action.pk}/notes/", {"note-date": "31/02/2025", "note-text": ""}, headers=HX
    )
    html = response.content.decode()
    assert response.status_code == 400  # swapped too: see responseHandling in base.html
    assert "<html" not in html and 'id="notes"' in html
    assert 'aria-invalid="true"' in html and "Erreur" in html
    assert not FollowUpNote.objects.filter(action=action).exists()


def test_a_note_without_htmx_still_redirects_to_the_page(client, world):
    action = world.actions["cd"]
    response = _login(client, world).post(
        f"/actions/{action.pk}/notes/", {"note-date": "2025-03-01", "note-text": "Vu."}
    )
    assert response.status_code == 302 and response.url.endswith("#notes-title")


def test_a_comment_posted_by_htmx_answers_the_comments_section(client, world):
    action = world.actions["both"]
    response = _login(client, world, "lead_caf").post(
        f"/actions/{action.pk}/commentaires/", {"comment-text": "À voir en comité."}, headers=HX
    )
    html = response.content.decode()
    assert response.status_code == 200
    assert 'id="comments"' in html and "À voir en comité." in html
    assert "Votre commentaire a été publié." in html
    assert Comment.objects.filter(action=action).count() == 1
    bad = client.post(f"/actions/{action.pk}/commentaires/", {"comment-text": ""}, headers=HX)
    assert bad.status_code == 400 and 'aria-invalid="true"' in bad.content.decode()


@pytest.mark.parametrize("role", ["reader", "non_member"])
def test_htmx_does_not_open_a_door_the_page_keeps_shut(client, world, role):
    """A reader may not add notes; a non-member sees nothing: 404 with or without htmx."""
    action = world.actions["cd"]
    response = _login(client, world, role).post(
        f"/actions/{action.pk}/notes/", {"note-date": "2025-03-01", "note-text": "x"}, headers=HX
    )
    assert response.status_code == 404
    assert not FollowUpNote.objects.exists()


# --- the vendored file -----------------------------------------------------------------


def test_htmx_is_vendored_and_loaded_by_every_page(client, world):
    path = finders.find("vendor/htmx.min.js")
    assert path, "copil/static/vendor/htmx.min.js is missing (make vendor)"
    assert Path(path).read_bytes().startswith(b"var htmx=function(){")
    html = _login(client, world).get("/").content.decode()
    assert f'<script src="{static("vendor/htmx.min.js")}" defer></script>' in html


def test_the_vendored_htmx_is_the_pinned_npm_package():
    """package.json pins htmx.org; copil/static/vendor/ holds that very file (when
    node_modules is installed: `make vendor` copies it)."""
    import json

    pinned = json.loads((ROOT / "package.json").read_text())["dependencies"]["htmx.org"]
    installed = ROOT / "node_modules" / "htmx.org"
    if not installed.exists():
        pytest.skip("node_modules/htmx.org is not installed (npm ci)")
    assert json.loads((installed / "package.json").read_text())["version"] == pinned
    vendored = ROOT / "copil" / "static" / "vendor" / "htmx.min.js"
    assert vendored.read_bytes() == (installed / "dist" / "htmx.min.js").read_bytes()
