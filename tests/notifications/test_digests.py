"""What each member finds in their digest (no SMTP needed: plan_digests only)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from copil.notifications import services
from copil.notifications.enums import ReminderKind
from copil.notifications.models import SentReminder
from tests.factories import (
    FollowUpTaskFactory,
    GovernanceBodyFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    MeasurementFactory,
    MeetingFactory,
    MilestoneFactory,
)

pytestmark = pytest.mark.django_db

MONDAY = dt.date(2024, 3, 11)


def digests(on):
    return {d.user.username: d for d in services.plan_digests(on)[0]}


def titles(digest, kind):
    return [i.title for i in digest.items if i.kind == kind]


def test_milestones_go_to_whoever_edits_the_action(world):
    MilestoneFactory(
        action=world.actions["cd"], label="Guide publié", due_date=MONDAY + dt.timedelta(days=7)
    )
    MilestoneFactory(
        action=world.actions["caf"], label="Formation", due_date=MONDAY - dt.timedelta(days=10)
    )
    MilestoneFactory(action=world.actions["other"], label="Ailleurs", due_date=MONDAY)
    MilestoneFactory(
        action=world.actions["both"], label="Atteint", due_date=MONDAY, reached_on=MONDAY
    )
    got = digests(MONDAY)
    assert titles(got["admin"], ReminderKind.MILESTONE) == [
        "Action 1.2 — Formation",
        "Action 1.1 — Guide publié",
    ]
    assert titles(got["editor"], ReminderKind.MILESTONE) == titles(got["admin"], "milestone")
    assert titles(got["lead_cd"], ReminderKind.MILESTONE) == ["Action 1.1 — Guide publié"]
    assert titles(got["lead_caf"], ReminderKind.MILESTONE) == ["Action 1.2 — Formation"]
    assert "reader" not in got and "non_member" not in got and "root" not in got
    late = next(i for i in got["admin"].items if i.title.endswith("Formation"))
    assert late.late and late.detail == "échéance le 01/03/2024, en retard de 10 jours."


def test_tasks_go_to_their_owner_when_a_member_else_to_those_who_govern(world):
    meeting = MeetingFactory(body=GovernanceBodyFactory(convention=world.shared, frequency=""))
    FollowUpTaskFactory(
        meeting=meeting,
        title="Envoyer le relevé",
        owner=world.users["reader"],
        due_date=MONDAY - dt.timedelta(days=1),
    )
    FollowUpTaskFactory(
        meeting=meeting, title="Réserver la salle", due_date=MONDAY + dt.timedelta(days=7)
    )
    FollowUpTaskFactory(meeting=meeting, title="Faite", due_date=MONDAY, done_on=MONDAY)
    got = digests(MONDAY)
    assert titles(got["reader"], ReminderKind.TASK) == ["Envoyer le relevé"]
    assert titles(got["admin"], ReminderKind.TASK) == ["Réserver la salle"]
    assert titles(got["editor"], ReminderKind.TASK) == ["Réserver la salle"]
    assert "lead_cd" not in got


def test_an_overdue_steering_committee_is_reminded_to_admins_and_editors(world):
    body = GovernanceBodyFactory(convention=world.shared, name="Comité de pilotage")
    MeetingFactory(body=body, date=dt.date(2022, 11, 20))  # yearly: due 2023-11-20
    GovernanceBodyFactory(
        convention=world.shared, name="Groupe ad hoc", frequency="en tant que de besoin"
    )
    got = digests(MONDAY)
    assert titles(got["admin"], ReminderKind.STEERING_DUE) == [
        "Comité de pilotage (annuelle) : à réunir au plus tard le 20/11/2023"
    ]
    assert "dernière réunion le 20/11/2022" in got["editor"].items[0].detail
    assert "reader" not in got


def test_a_planned_meeting_silences_the_body_reminder(world):
    body = GovernanceBodyFactory(convention=world.shared)
    MeetingFactory(body=body, date=dt.date(2022, 11, 20))
    MeetingFactory(body=body, date=dt.date(2023, 11, 1))  # planned before the due date
    assert "admin" not in digests(dt.date(2023, 10, 21))  # 30 days before 2023-11-20


def test_years_with_a_target_and_no_value_are_to_fill_on_the_first_of_the_month(world):
    indicator = IndicatorFactory(action=world.actions["caf"], label="Familles accompagnées")
    IndicatorTargetFactory(indicator=indicator, year=2022, value=Decimal("10"))
    IndicatorTargetFactory(indicator=indicator, year=2023, value=Decimal("12"))
    MeasurementFactory(
        indicator=indicator,
        period="2022-T1",
        period_start=dt.date(2022, 1, 1),
        period_end=dt.date(2022, 3, 31),
    )
    IndicatorTargetFactory(indicator=IndicatorFactory(action=world.actions["cd"]), year=2024)
    got = digests(dt.date(2024, 3, 1))
    assert titles(got["lead_caf"], ReminderKind.MEASUREMENT) == [
        "Action 1.2 — Familles accompagnées"
    ]
    (item,) = got["lead_caf"].items
    assert item.detail.startswith("aucune valeur saisie pour 2023 alors qu'une cible est fixée")
    assert "lead_cd" not in got
    for digest in got.values():  # as if sent: the next day has nothing new
        SentReminder.objects.create(user=digest.user, sent_on=dt.date(2024, 3, 1))
    assert digests(dt.date(2024, 3, 2)) == {}
    assert "lead_caf" in digests(dt.date(2024, 4, 1))


def test_each_user_window_starts_after_their_last_digest(world):
    MilestoneFactory(action=world.actions["cd"], due_date=MONDAY + dt.timedelta(days=7))
    SentReminder.objects.create(user=world.users["admin"], sent_on=MONDAY)
    got = digests(MONDAY + dt.timedelta(days=1))
    assert "admin" not in got  # its window is the day after its last digest only
    assert "editor" in got  # never had a digest: the last week is caught up


def test_deleted_actions_and_conventions_are_never_reminded(world):
    MilestoneFactory(action=world.actions["deleted"], due_date=MONDAY)
    world.actions["cd"].deleted_at = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)
    world.actions["cd"].save(update_fields=["deleted_at"])
    MilestoneFactory(action=world.actions["cd"], due_date=MONDAY - dt.timedelta(days=1))
    assert digests(MONDAY) == {}


def test_plan_digests_costs_a_fixed_number_of_queries(world, django_assert_num_queries):
    for n in range(5):
        MilestoneFactory(action=world.actions["cd"], due_date=MONDAY - dt.timedelta(days=n + 1))
    with django_assert_num_queries(10):
        services.plan_digests(MONDAY)
