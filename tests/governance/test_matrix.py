"""Who may do what in governance: every role x every governance view x an object of a
convention they may and may not see.

Every member sees governance pages; admins and editors record meetings ("govern"); only
admins approve minutes. What may not be seen, and a form that may not be used, is a 404.
"""

import datetime as dt

import pytest

from tests.factories import FollowUpTaskFactory, GovernanceBodyFactory, MeetingFactory

pytestmark = pytest.mark.django_db

ROLES = ["admin", "editor", "lead_cd", "lead_caf", "reader", "non_member", "superuser"]
MEMBERS = {"admin", "editor", "lead_cd", "lead_caf", "reader"}
GOVERN = {"admin", "editor"}
APPROVE = {"admin"}
OBJECTS = ["shared", "other", "deleted"]


@pytest.fixture
def objects(world):
    """A body, a past draft meeting with minutes and an open task per convention."""
    found = {}
    for key in OBJECTS:
        convention = getattr(world, key)
        body = GovernanceBodyFactory(convention=convention)
        meeting = MeetingFactory(body=body, date=dt.date(2020, 11, 20), minutes="Relevé.")
        task = FollowUpTaskFactory(meeting=meeting, due_date=dt.date(2021, 1, 31))
        found[key] = {"convention": convention, "body": body, "meeting": meeting, "task": task}
    return found


# view -> (method, url from the objects of one convention, the roles that may, POST data)
VIEWS = {
    "governance_page": (
        "get",
        lambda o: f"/conventions/{o['convention'].pk}/gouvernance/",
        MEMBERS,
    ),
    "meeting_detail": ("get", lambda o: f"/reunions/{o['meeting'].pk}/", MEMBERS),
    "meeting_create": (
        "get",
        lambda o: f"/conventions/{o['convention'].pk}/gouvernance/reunions/nouvelle/",
        GOVERN,
    ),
    "body_create": (
        "get",
        lambda o: f"/conventions/{o['convention'].pk}/gouvernance/instances/nouvelle/",
        GOVERN,
    ),
    "body_edit": ("get", lambda o: f"/instances/{o['body'].pk}/modifier/", GOVERN),
    "meeting_edit": ("get", lambda o: f"/reunions/{o['meeting'].pk}/modifier/", GOVERN),
    "meeting_approve": ("post", lambda o: f"/reunions/{o['meeting'].pk}/approuver/", APPROVE),
    "task_complete": ("post", lambda o: f"/taches/{o['task'].pk}/faite/", GOVERN),
}
POST_DATA = {"task_complete": {"done_on": "2021-01-15"}}
#: Read by tests/web/test_url_coverage.py: every governance URL is in this matrix.
MATRIX_URL_NAMES = {
    "governance_page",
    "meeting_detail",
    "meeting_create",
    "body_create",
    "body_edit",
    "meeting_edit",
    "meeting_approve",
    "task_complete",
}


def test_the_matrix_covers_every_governance_view():
    assert set(VIEWS) == MATRIX_URL_NAMES


def expected(view: str, role: str, obj: str) -> int:
    method, _url, allowed = VIEWS[view]
    ok = 302 if method == "post" else 200
    if role == "superuser":
        return ok
    return ok if obj == "shared" and role in allowed else 404


@pytest.mark.parametrize("obj", OBJECTS)
@pytest.mark.parametrize("view", VIEWS)
@pytest.mark.parametrize("role", ROLES)
def test_matrix(client, world, objects, role, view, obj):
    method, url, _allowed = VIEWS[view]
    client.force_login(world.users[role])
    response = getattr(client, method)(url(objects[obj]), POST_DATA.get(view, {}))
    assert response.status_code == expected(view, role, obj), (role, view, obj)


@pytest.mark.parametrize("view", VIEWS)
def test_anonymous_visitors_are_sent_to_the_login_page(client, objects, view):
    method, url, _allowed = VIEWS[view]
    response = getattr(client, method)(url(objects["shared"]))
    assert response.status_code == 302 and response.url.startswith("/connexion/?next=")


@pytest.mark.parametrize("role", ["editor", "lead_cd", "reader"])
def test_who_may_not_approve_changes_nothing(client, world, objects, role):
    client.force_login(world.users[role])
    client.post(f"/reunions/{objects['shared']['meeting'].pk}/approuver/")
    objects["shared"]["meeting"].refresh_from_db()
    assert not objects["shared"]["meeting"].is_locked


@pytest.mark.parametrize("role", ROLES)
def test_the_governance_page_shows_edit_links_only_to_who_governs(client, world, objects, role):
    client.force_login(world.users[role])
    shared = objects["shared"]
    response = client.get(f"/conventions/{shared['convention'].pk}/gouvernance/")
    if role == "non_member":
        assert response.status_code == 404
        return
    html = response.content.decode()
    may = role in GOVERN or role == "superuser"
    assert ("/gouvernance/reunions/nouvelle/" in html) is may
    assert (f"/instances/{shared['body'].pk}/modifier/" in html) is may
    detail = client.get(f"/reunions/{shared['meeting'].pk}/").content.decode()
    assert (f"/reunions/{shared['meeting'].pk}/modifier/" in detail) is may
    assert (f"/reunions/{shared['meeting'].pk}/approuver/" in detail) is (
        role in APPROVE or role == "superuser"
    )
