"""The preferences page, calendar addresses and the ICS feeds, for every role."""

from __future__ import annotations

import datetime as dt

import pytest
from icalendar import Calendar

from copil.audit.models import AuditEntry
from copil.notifications import services
from copil.notifications.enums import ReminderKind
from copil.notifications.models import CalendarToken, ReminderOptOut
from tests.factories import (
    FollowUpTaskFactory,
    GovernanceBodyFactory,
    MeetingFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db

#: The views this module's matrices cover (tests/web/test_url_coverage.py).
MATRIX_URL_NAMES = {
    "reminder_preferences",
    "calendar_token_create",
    "calendar_token_revoke",
    "calendar_token_regenerate",
    "calendar_feed",
    "convention_calendar_feed",
}

ROLES = ["admin", "editor", "lead_caf", "lead_cd", "reader", "non_member", "superuser"]
MEMBERS = {"admin", "editor", "lead_caf", "lead_cd", "reader"}
PREFS = "/compte/rappels/"


def login(client, world, role):
    if role != "anonymous":
        client.force_login(world.users[role])


# --- preferences -----------------------------------------------------------------------------


@pytest.mark.parametrize("role", [*ROLES, "anonymous"])
def test_every_signed_in_user_has_a_preferences_page(client, world, role):
    login(client, world, role)
    response = client.get(PREFS)
    if role == "anonymous":
        assert response.status_code == 302 and response.url == f"/connexion/?next={PREFS}"
        return
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mes rappels et mon calendrier" in html
    for kind in ReminderKind:
        assert f'name="{kind.value}"' in html and "checked" in html
    assert 'href="/compte/rappels/"' in html  # the link in the user menu


@pytest.mark.parametrize(
    "url",
    [
        "/compte/rappels/calendrier/creer/",
        "/compte/rappels/calendrier/revoquer/",
        "/compte/rappels/calendrier/regenerer/",
    ],
)
@pytest.mark.parametrize("role", ["reader", "non_member", "anonymous"])
def test_calendar_address_actions_are_posts_of_a_signed_in_user(client, world, role, url):
    login(client, world, role)
    response = client.post(url)
    if role == "anonymous":
        assert response.status_code == 302 and response.url.startswith("/connexion/")
        assert not CalendarToken.objects.exists()
        return
    assert response.status_code == 302 and response.url == "/compte/rappels/#calendrier"
    assert client.get(url).status_code == 405


def test_unticking_a_kind_stores_an_opt_out_and_ticking_it_back_removes_it(client, world):
    user = world.users["reader"]
    client.force_login(user)
    kept = {k.value: "on" for k in ReminderKind if k != ReminderKind.MILESTONE}
    response = client.post(PREFS, kept, follow=True)
    assert "Vos préférences de rappels sont enregistrées." in response.content.decode()
    assert list(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True)) == [
        "milestone"
    ]
    form = client.get(PREFS).context["form"]
    assert form["milestone"].initial is False and form["task"].initial is True
    client.post(PREFS, {k.value: "on" for k in ReminderKind})
    assert not ReminderOptOut.objects.filter(user=user).exists()
    assert AuditEntry.objects.filter(action="delete", object_repr__startswith="reader").exists()


def test_create_show_revoke_and_regenerate_a_calendar_address(client, world):
    user = world.users["editor"]
    client.force_login(user)
    assert "Créer mon adresse de calendrier" in client.get(PREFS).content.decode()
    client.post("/compte/rappels/calendrier/creer/")
    token = CalendarToken.objects.get(user=user)
    html = client.get(PREFS).content.decode()
    assert f"http://testserver/calendrier/{token.token}.ics" in html
    assert f"/calendrier/{token.token}/conventions/{world.shared.pk}.ics" in html
    assert f"/conventions/{world.other.pk}.ics" not in html
    client.post("/compte/rappels/calendrier/creer/")  # twice: still one address
    assert CalendarToken.objects.filter(user=user).count() == 1

    client.logout()
    assert client.get(f"/calendrier/{token.token}.ics").status_code == 200
    client.force_login(user)
    client.post("/compte/rappels/calendrier/regenerer/")
    new = CalendarToken.objects.get(user=user, revoked_at__isnull=True)
    assert new.token != token.token
    client.logout()
    assert client.get(f"/calendrier/{token.token}.ics").status_code == 404
    assert client.get(f"/calendrier/{new.token}.ics").status_code == 200
    client.force_login(user)
    client.post("/compte/rappels/calendrier/revoquer/")
    assert client.get(f"/calendrier/{new.token}.ics").status_code == 404
    assert "Créer mon adresse de calendrier" in client.get(PREFS).content.decode()


# --- the feeds ---------------------------------------------------------------------------------


def feed(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar):
    return {str(e["UID"]): e for e in calendar.walk("VEVENT")}


@pytest.fixture
def dated(world):
    body = GovernanceBodyFactory(convention=world.shared, name="Comité de pilotage")
    meeting = MeetingFactory(body=body, date=dt.date(2024, 11, 20), location="Strasbourg")
    milestone = MilestoneFactory(
        action=world.actions["cd"], label="Guide publié", due_date=dt.date(2024, 6, 30)
    )
    task = FollowUpTaskFactory(
        meeting=meeting, title="Envoyer le relevé", due_date=dt.date(2024, 12, 15)
    )
    hidden = MilestoneFactory(action=world.actions["other"], due_date=dt.date(2024, 6, 1))
    return meeting, milestone, task, hidden


def test_the_personal_feed_lists_meetings_milestones_tasks_and_legal_deadlines(
    client, world, dated
):
    meeting, milestone, task, hidden = dated
    token = services.create_calendar_token(world.users["lead_cd"])
    calendar = feed(client, f"/calendrier/{token.token}.ics")
    assert str(calendar["PRODID"]).startswith("-//copil//")
    assert str(calendar["VERSION"]) == "2.0"
    found = events(calendar)
    assert f"meeting-{meeting.pk}@copil" in found
    assert f"milestone-{milestone.pk}@copil" in found
    assert f"task-{task.pk}@copil" in found
    assert f"milestone-{hidden.pk}@copil" not in found  # not a member of "other"
    event = found[f"meeting-{meeting.pk}@copil"]
    assert event.decoded("DTSTART") == dt.date(2024, 11, 20)  # all day
    assert event.decoded("DTEND") == dt.date(2024, 11, 21)
    assert event.decoded("DTSTAMP").tzinfo is not None
    assert str(event["SUMMARY"]) == "Comité de pilotage — Convention CD-CAF 2019"
    assert str(event["LOCATION"]) == "Strasbourg"
    assert str(found[f"milestone-{milestone.pk}@copil"]["SUMMARY"]) == (
        "Jalon : Guide publié (action 1.1)"
    )
    assert str(found[f"task-{task.pk}@copil"]["SUMMARY"]) == "Tâche : Envoyer le relevé"
    legal = [e for uid, e in found.items() if uid.startswith(f"convention-{world.shared.pk}-")]
    kinds = {str(e["SUMMARY"]).split(" — ")[0] for e in legal}
    assert {"Date limite de dénonciation", "Fin de période (reconduction)"} <= kinds
    # The same UIDs on the next fetch: calendars update events instead of duplicating them.
    assert set(events(feed(client, f"/calendrier/{token.token}.ics"))) == set(found)
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_terminated_convention_shows_its_end(client, world, dated):
    from copil.conventions import services as conventions

    party = world.shared.parties.first()
    termination = conventions.record_termination(world.shared, party, dt.date(2024, 1, 10))
    token = services.create_calendar_token(world.users["reader"])
    found = events(feed(client, f"/calendrier/{token.token}/conventions/{world.shared.pk}.ics"))
    end = found[f"convention-{world.shared.pk}-termination@copil"]
    assert end.decoded("DTSTART") == termination.effective_end


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("obj", ["shared", "other", "deleted"])
def test_convention_feed_matrix(client, world, dated, role, obj):
    token = services.create_calendar_token(world.users[role])
    url = f"/calendrier/{token.token}/conventions/{getattr(world, obj).pk}.ics"
    expected = 200 if role in MEMBERS and obj == "shared" else 404
    assert client.get(url).status_code == expected
    assert client.get(f"/calendrier/{token.token}.ics").status_code == 200


def test_unknown_revoked_or_inactive_tokens_are_404(client, world):
    assert client.get("/calendrier/nimportequoi.ics").status_code == 404
    user = world.users["reader"]
    token = services.create_calendar_token(user)
    user.is_active = False
    user.save(update_fields=["is_active"])
    assert client.get(f"/calendrier/{token.token}.ics").status_code == 404


@pytest.mark.parametrize("n", [1, 6])
def test_feeds_cost_a_fixed_number_of_queries(client, world, n, django_assert_num_queries):
    body = GovernanceBodyFactory(convention=world.shared)
    for i in range(n):
        meeting = MeetingFactory(body=body, date=dt.date(2024, 1, 1) + dt.timedelta(days=i))
        FollowUpTaskFactory(meeting=meeting, due_date=dt.date(2024, 2, 1))
        MilestoneFactory(action=world.actions["both"], due_date=dt.date(2024, 3, 1))
    token = services.create_calendar_token(world.users["reader"])
    with django_assert_num_queries(6):  # token; last used; conventions; meetings;
        # milestones; tasks
        assert client.get(f"/calendrier/{token.token}.ics").status_code == 200
    with django_assert_num_queries(7):  # + the convention itself
        url = f"/calendrier/{token.token}/conventions/{world.shared.pk}.ics"
        assert client.get(url).status_code == 200


def test_preferences_page_costs_a_fixed_number_of_queries(client, world, django_assert_num_queries):
    user = world.users["admin"]
    services.create_calendar_token(user)
    client.force_login(user)
    with django_assert_num_queries(3 + 3):  # opt-outs; token; the conventions of the feeds
        assert client.get(PREFS).status_code == 200
