"""Who sees which page: every role x every page x an object they may and may not see.

200: shown; 404: may not be seen (never 403, which would leak existence); login: the
anonymous visitor is sent to the login page.
"""

import pytest

from copil.conventions import services

pytestmark = pytest.mark.django_db

ROLES = ["admin", "editor", "lead_caf", "lead_cd", "reader", "non_member", "anonymous"]
MEMBERS = {"admin", "editor", "lead_caf", "lead_cd", "reader"}

#: The URL names this module's matrices check (see tests/web/test_url_coverage.py).
MATRIX_URL_NAMES = {
    "home",
    "convention_detail",
    "plan_detail",
    "action_detail",
    "action_history",
    "convention_history",
}

# page -> how to build its URL from the world, for the object a member may see
# ("shared") and objects nobody but a superuser may see ("other", "deleted").
PAGES = {
    "convention": lambda w, obj: f"/conventions/{getattr(w, obj).pk}/",
    "plan": lambda w, obj: f"/conventions/{getattr(w, obj).pk}/plan/",
    "action": lambda w, obj: f"/actions/{w.actions['cd' if obj == 'shared' else obj].pk}/",
    "action_history": lambda w, obj: (
        f"/actions/{w.actions['cd' if obj == 'shared' else obj].pk}/historique/"
    ),
    "convention_history": lambda w, obj: f"/conventions/{getattr(w, obj).pk}/historique/",
}
# The edit pages have their own rules: see test_edit_matrix.py.


def _get(client, world, role, url):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client.get(url)


def _expected(role, obj):
    if role == "anonymous":
        return 302
    if role == "superuser":
        return 200
    return 200 if obj == "shared" and role in MEMBERS else 404


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
@pytest.mark.parametrize("page", PAGES)
@pytest.mark.parametrize("obj", ["shared", "other", "deleted"])
def test_matrix(client, world, role, page, obj):
    url = PAGES[page](world, obj)
    response = _get(client, world, role, url)
    assert response.status_code == _expected(role, obj)
    if response.status_code == 302:
        assert response.url == f"/connexion/?next={url}"


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
@pytest.mark.parametrize("action", ["cd", "caf", "both"])
def test_every_member_sees_every_action_of_their_convention(client, world, role, action):
    url = f"/actions/{world.actions[action].pk}/"
    assert _get(client, world, role, url).status_code == _expected(role, "shared")


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_the_list_shows_only_what_the_funnel_allows(client, world, role):
    response = _get(client, world, role, "/")
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == "/connexion/?next=/"
        return
    assert response.status_code == 200
    shown = {row.convention for row in response.context["rows"]}
    if role == "superuser":
        assert shown == {world.shared, world.other, world.deleted}
    elif role in MEMBERS:
        assert shown == {world.shared}
    else:
        assert shown == set()
    html = response.content.decode()
    assert ("CTG Pays de Saverne" in html) is (role == "superuser")


def test_unknown_objects_are_404_too(client, world):
    client.force_login(world.users["admin"])
    for url in ("/conventions/999999/", "/conventions/999999/plan/", "/actions/999999/"):
        assert client.get(url).status_code == 404


@pytest.mark.parametrize("role", ["reader", "non_member"])
def test_related_conventions_are_listed_only_if_visible(client, world, role):
    services.set_predecessor(world.shared, world.other)  # 2013-2017 precedes 2019
    client.force_login(world.users[role])
    response = client.get(f"/conventions/{world.shared.pk}/")
    if role == "non_member":
        assert response.status_code == 404
        return
    assert response.context["page"].predecessor is None
    assert "CTG Pays de Saverne" not in response.content.decode()
