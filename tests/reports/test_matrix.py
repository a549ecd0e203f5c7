"""Who sees the search page and the dashboard: every role x a convention they may and may
not see. 404 for what may not be seen, the login page for the anonymous visitor."""

import pytest

pytestmark = pytest.mark.django_db

#: The views this module's matrices cover (tests/web/test_url_coverage.py).
MATRIX_URL_NAMES = {"dashboard", "search"}

ROLES = ["admin", "editor", "lead_caf", "lead_cd", "reader", "non_member", "anonymous"]
MEMBERS = {"admin", "editor", "lead_caf", "lead_cd", "reader"}


def _get(client, world, role, url):
    if role != "anonymous":
        client.force_login(world.users[role])
    return client.get(url)


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
@pytest.mark.parametrize("obj", ["shared", "other", "deleted"])
def test_dashboard(client, world, role, obj, frozen_today):
    url = f"/conventions/{getattr(world, obj).pk}/tableau-de-bord/"
    response = _get(client, world, role, url)
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url == f"/connexion/?next={url}"
    elif role == "superuser" or (obj == "shared" and role in MEMBERS):
        assert response.status_code == 200
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("role", [*ROLES, "superuser"])
def test_search(client, world, role):
    response = _get(client, world, role, "/recherche/?q=action")
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith("/connexion/?next=/recherche/")
        return
    assert response.status_code == 200
    conventions = {group.convention for group in response.context["groups"]}
    if role == "superuser":
        assert conventions == {world.shared, world.other, world.deleted}
    elif role in MEMBERS:
        assert conventions == {world.shared}
    else:
        assert conventions == set()
    # the convention filter offers only what the user may see
    offered = set(response.context["conventions"])
    assert (world.other in offered) is (role == "superuser")


def test_unknown_convention_dashboard_is_404(client, world):
    client.force_login(world.users["admin"])
    assert client.get("/conventions/999999/tableau-de-bord/").status_code == 404
