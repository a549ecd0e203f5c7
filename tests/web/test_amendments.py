"""Amendment pages and plan versions: draft -> signed (locked), versions compared."""

import datetime as dt
import html as html_lib
import re

import pytest

from copil.conventions import services
from copil.conventions.models import Amendment, PlanVersion
from copil.importers.model import to_json
from copil.plan.documents import convention_to_document, load_convention
from tests.web.test_queries import build_plan

pytestmark = pytest.mark.django_db


def _text(response) -> str:
    text = html_lib.unescape(re.sub(r"<[^>]+>", " ", response.content.decode()))
    return re.sub(r"\s+", " ", text.replace("\u202f", " ").replace("\xa0", " "))


def _plan(convention):
    return to_json(convention_to_document(load_convention(convention.pk)))


def test_draft_edit_sign_then_locked(client, world):
    client.force_login(world.users["admin"])
    url = f"/conventions/{world.shared.pk}/avenants/"
    response = client.post(
        f"{url}nouveau/",
        {"title": "Ajout d'une action", "description": "Action 1.4", "effective_date": ""},
    )
    amendment = Amendment.objects.get(convention=world.shared)
    assert response.url == f"{url}1/"
    assert (amendment.number, amendment.status) == (1, "draft")

    response = client.post(
        f"{url}1/modifier/",
        {"title": "Ajout de l'action 1.4", "description": "", "effective_date": "2025-03-01"},
    )
    assert response.url == f"{url}1/"
    amendment.refresh_from_db()
    assert (amendment.title, amendment.effective_date) == (
        "Ajout de l'action 1.4",
        dt.date(2025, 3, 1),
    )
    text = _text(client.get(f"{url}1/"))
    assert "Signer l'avenant" in text and "Modifier le projet d'avenant" in text

    response = client.post(f"{url}1/signer/", {"signed_on": "2025-02-15"}, follow=True)
    assert "L'avenant est signé ; le projet de coopération est figé en version 1." in _text(
        response
    )
    amendment.refresh_from_db()
    assert (amendment.status, amendment.signed_on) == ("signed", dt.date(2025, 2, 15))
    version = PlanVersion.objects.get(convention=world.shared)
    assert (version.amendment, version.data) == (amendment, _plan(world.shared))

    text = _text(client.get(f"{url}1/"))
    assert "Signé — verrouillé" in text and "Signer l'avenant" not in text
    response = client.post(f"{url}1/modifier/", {"title": "Autre", "description": ""}, follow=True)
    assert "Cet avenant est signé : il ne peut plus être modifié." in _text(response)
    amendment.refresh_from_db()
    assert amendment.title == "Ajout de l'action 1.4"
    page = _text(client.get(f"/conventions/{world.shared.pk}/"))
    assert (
        "Avenant n° 1 — Ajout de l'action 1.4 (Signé, signé le 15/02/2025, effet le 01/03/2025)"
        in page
    )


def test_errors_are_shown_next_to_the_fields_in_french(client, world):
    client.force_login(world.users["admin"])
    url = f"/conventions/{world.shared.pk}/avenants/"
    response = client.post(f"{url}nouveau/", {"title": "", "description": ""})
    assert "Erreur : Indiquez l'objet de l'avenant." in _text(response)
    services.create_amendment(world.shared, title="A", effective_date=dt.date(2025, 1, 1))
    response = client.post(f"{url}1/signer/", {"signed_on": "2025-02-01"})
    assert "ne peut pas être postérieure à la date d'effet" in _text(response)
    response = client.post(f"{url}1/signer/", {"signed_on": ""})
    assert "Erreur : Indiquez la date de signature." in _text(response)
    assert not PlanVersion.objects.exists()


def test_an_editor_drafts_but_only_an_admin_signs(client, world):
    services.create_amendment(world.shared, title="A")
    url = f"/conventions/{world.shared.pk}/avenants/1/"
    client.force_login(world.users["editor"])
    assert "Signer l'avenant" not in _text(client.get(url))
    assert client.post(f"{url}signer/", {"signed_on": "2025-01-01"}).status_code == 404
    assert client.get(f"{url}modifier/").status_code == 200


def test_the_versions_page_shows_a_changed_field_word_by_word(client, world):
    action = world.actions["cd"]
    action.description = "Réunir le comité deux fois par an."
    action.save()
    services.snapshot_initial_plan(world.shared, _plan(world.shared))
    action.description = "Réunir le comité chaque trimestre <script>alert(1)</script>."
    action.save()
    amendment = services.create_amendment(world.shared, title="Rythme du comité")
    services.sign_amendment(amendment, signed_on=dt.date(2025, 1, 1), plan_data=_plan(world.shared))

    client.force_login(world.users["reader"])
    response = client.get(f"/conventions/{world.shared.pk}/versions/?de=1&a=2")
    assert response.status_code == 200
    assert f"Action {action.number} modifiée : descriptif" in _text(response)
    html = response.content.decode()
    assert '<del><span class="visually-hidden">retiré : </span>deux fois par an.</del>' in html
    assert "chaque trimestre &lt;script&gt;alert(1)&lt;/script&gt;." in html
    assert "<script>alert" not in html
    # Without parameters, the last two versions are compared.
    default = client.get(f"/conventions/{world.shared.pk}/versions/")
    assert default.context["comparison"].new.number == 2
    bad = client.get(f"/conventions/{world.shared.pk}/versions/?de=1&a=9")
    assert bad.status_code == 200 and bad.context["comparison"] is None
    assert "Cette version n'existe pas." in _text(bad)


# --- who sees what ------------------------------------------------------------------------

ROLES = ["admin", "editor", "lead_caf", "lead_cd", "reader", "non_member", "superuser"]
MEMBERS = {"admin", "editor", "lead_caf", "lead_cd", "reader"}
#: The URL names this module's matrices check (see tests/web/test_url_coverage.py).
MATRIX_URL_NAMES = {
    "amendment_list",
    "amendment_detail",
    "amendment_create",
    "amendment_update",
    "amendment_sign",
    "plan_versions",
    "convention_import",
}
PAGES = {  # page -> (url suffix, roles allowed on "shared")
    "amendments": ("avenants/", MEMBERS),
    "amendment": ("avenants/1/", MEMBERS),
    "amendment_create": ("avenants/nouveau/", {"admin", "editor"}),
    "amendment_update": ("avenants/1/modifier/", {"admin", "editor"}),
    "versions": ("versions/", MEMBERS),
    "import": ("importer/", {"admin", "editor"}),
}


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("obj", ["shared", "other", "deleted"])
def test_matrix(client, world, role, page, obj):
    convention = getattr(world, obj)
    services.create_amendment(convention, title="A")
    url = f"/conventions/{convention.pk}/{PAGES[page][0]}"
    if role != "anonymous":
        client.force_login(world.users[role])
    response = client.get(url)
    if role == "anonymous":
        assert (response.status_code, response.url) == (302, f"/connexion/?next={url}")
    elif role == "superuser" or (obj == "shared" and role in PAGES[page][1]):
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", ROLES)
def test_only_admins_sign(client, world, role):
    services.create_amendment(world.shared, title="A")
    client.force_login(world.users[role])
    url = f"/conventions/{world.shared.pk}/avenants/1/signer/"
    response = client.post(url, {"signed_on": "2025-01-01"})
    assert response.status_code == (302 if role in ("admin", "superuser") else 404)


# --- queries ------------------------------------------------------------------------------

QUERIES = {
    "amendments": 3 + 3,  # convention (funnel); amendments; the user's role
    "amendment": 3 + 5,  # convention; amendment; its versions; role twice (change, manage)
    "versions": 3 + 3,  # convention; versions (+amendment, author); the two versions' data
}


@pytest.mark.parametrize("n_actions", [3, 30])
def test_each_page_costs_a_fixed_number_of_queries(client, n_actions, django_assert_num_queries):
    user, convention, action, cd = build_plan(n_actions)
    services.snapshot_initial_plan(convention, _plan(convention))
    amendment = services.create_amendment(convention, title="A")
    services.sign_amendment(amendment, signed_on=dt.date(2025, 1, 1), plan_data=_plan(convention))
    client.force_login(user)
    pages = {
        "amendments": f"/conventions/{convention.pk}/avenants/",
        "amendment": f"/conventions/{convention.pk}/avenants/1/",
        "versions": f"/conventions/{convention.pk}/versions/?de=1&a=2",
    }
    for name, url in pages.items():
        with django_assert_num_queries(QUERIES[name]):
            response = client.get(url)
        assert response.status_code == 200, name
