"""Reads behind reminders, preferences and calendar feeds: a fixed number of queries
whatever the number of conventions, users, meetings or milestones.

Selectors never decide who may see what: the calendar feeds take their conventions from
the permission funnel (copil.accounts.perms); reminders are for members only, by the
rules of copil.notifications.services.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Exists, Max, Min, OuterRef, Q, QuerySet
from django.utils import timezone

from copil.accounts import perms
from copil.accounts.models import Membership
from copil.conventions.models import Convention
from copil.core.lifecycle import EXPIRED, TERMINATED
from copil.governance.models import FollowUpTask, GovernanceBody, Meeting
from copil.monitoring.models import IndicatorTarget, Measurement
from copil.notifications.models import CalendarToken, ReminderOptOut, SentReminder
from copil.plan.models import ActionLead, Milestone

SOON_HORIZON = dt.timedelta(days=31)  # farther than any "soon" trigger of core.reminders


def today() -> dt.date:
    return timezone.localdate()


# --- reminders ------------------------------------------------------------------------------


@dataclass
class ReminderData:
    """Everything one run of ``copil remind`` needs, read in 9 queries."""

    on: dt.date
    conventions: dict[int, Convention] = field(default_factory=dict)
    members: dict[int, list[Membership]] = field(default_factory=dict)  # by convention
    bodies: list[GovernanceBody] = field(default_factory=list)  # with last_held, next_planned
    milestones: list[Milestone] = field(default_factory=list)
    lead_institutions: dict[int, set[int]] = field(default_factory=dict)  # action -> inst.
    tasks: list[FollowUpTask] = field(default_factory=list)
    targets: list[IndicatorTarget] = field(default_factory=list)  # years to fill, one each
    opt_outs: dict[int, set[str]] = field(default_factory=dict)  # user -> kinds turned off
    previous_run: dict[int, dt.date] = field(default_factory=dict)  # user -> last digest
    sent_today: set[int] = field(default_factory=set)  # users already sent on ``on``


def _still_running(convention: Convention, on: dt.date) -> bool:
    state = convention.lifecycle(on)
    return state is None or state.status not in (EXPIRED, TERMINATED)


def reminder_data(on: dt.date) -> ReminderData:
    """Live conventions that have members and have not ended on ``on``, with what may be
    worth a reminder: bodies, open milestones and tasks due within a month or late,
    yearly targets of ended years without any measurement. 9 queries."""
    data = ReminderData(on=on)
    with_members = Membership.objects.values("convention_id")
    candidates = (
        Convention.objects.alive().filter(pk__in=with_members).select_related("termination")
    )
    data.conventions = {c.pk: c for c in candidates if _still_running(c, on)}
    ids = list(data.conventions)

    for membership in (
        Membership.objects.filter(convention_id__in=ids, user__is_active=True)
        .select_related("user")
        .order_by("convention_id", "user__username")
    ):
        data.members.setdefault(membership.convention_id, []).append(membership)

    data.bodies = list(
        GovernanceBody.objects.filter(convention_id__in=ids)
        .exclude(frequency="")
        .annotate(
            last_held=Max("meetings__date", filter=Q(meetings__date__lte=on)),
            next_planned=Min("meetings__date", filter=Q(meetings__date__gt=on)),
        )
        .order_by("convention_id", "position", "pk")
    )

    horizon = on + SOON_HORIZON
    data.milestones = list(
        Milestone.objects.filter(
            action__plan__convention_id__in=ids,
            action__deleted_at__isnull=True,
            due_date__isnull=False,
            due_date__lte=horizon,
            reached_on__isnull=True,
        )
        .select_related("action__plan")
        .order_by("due_date", "pk")
    )
    data.tasks = list(
        FollowUpTask.objects.filter(
            meeting__convention_id__in=ids,
            due_date__isnull=False,
            due_date__lte=horizon,
            done_on__isnull=True,
        )
        .select_related("meeting__body")
        .order_by("due_date", "pk")
    )
    measured = Measurement.objects.filter(
        indicator=OuterRef("indicator"), period_start__year=OuterRef("year")
    )
    seen: set[tuple[int, int]] = set()
    for target in (
        IndicatorTarget.objects.filter(
            indicator__action__plan__convention_id__in=ids,
            indicator__action__deleted_at__isnull=True,
            year__lt=on.year,
        )
        .filter(~Exists(measured))
        .select_related("indicator__action__plan")
        .order_by("year", "indicator_id", "pk")
    ):
        key = (target.indicator_id, target.year)
        convention = data.conventions[target.indicator.action.plan.convention_id]
        started = convention.effective_date is None or target.year >= convention.effective_date.year
        if key not in seen and started:
            seen.add(key)
            data.targets.append(target)

    action_ids = {m.action_id for m in data.milestones} | {
        t.indicator.action_id for t in data.targets
    }
    for action_id, institution_id in ActionLead.objects.filter(
        action_id__in=action_ids
    ).values_list("action_id", "institution_id"):
        data.lead_institutions.setdefault(action_id, set()).add(institution_id)

    for user_id, kind in ReminderOptOut.objects.values_list("user_id", "kind"):
        data.opt_outs.setdefault(user_id, set()).add(kind)
    for row in (
        SentReminder.objects.filter(sent_on__lt=on).values("user_id").annotate(last=Max("sent_on"))
    ):
        data.previous_run[row["user_id"]] = row["last"]
    data.sent_today = set(SentReminder.objects.filter(sent_on=on).values_list("user_id", flat=True))
    return data


# --- preferences page -----------------------------------------------------------------------


def turned_off_kinds(user: Any) -> set[str]:
    return set(ReminderOptOut.objects.filter(user=user).values_list("kind", flat=True))


def active_token(user: Any) -> CalendarToken | None:
    return CalendarToken.objects.filter(user=user, revoked_at__isnull=True).first()


def feed_conventions(user: Any) -> QuerySet[Convention]:
    """The conventions in a user's calendar: those the funnel shows them *and* that they
    are a member of (a superuser's feed is not every convention of the country)."""
    member_of = Membership.objects.filter(user=user).values("convention_id")
    return (
        perms.conventions_for(user)
        .filter(deleted_at__isnull=True, pk__in=member_of)
        .order_by("-effective_date", "title")
    )


# --- calendar feeds -------------------------------------------------------------------------


def token_or_none(token: str) -> CalendarToken | None:
    """The active token of an active user, with the user. 1 query."""
    return (
        CalendarToken.objects.filter(token=token, revoked_at__isnull=True, user__is_active=True)
        .select_related("user")
        .first()
    )


@dataclass
class FeedData:
    conventions: list[Convention]
    meetings: list[Meeting]
    milestones: list[Milestone]
    tasks: list[FollowUpTask]


def feed_data(conventions: QuerySet[Convention]) -> FeedData:
    """What the calendar of ``conventions`` shows. 4 queries."""
    listed = list(conventions.select_related("termination"))
    ids = [c.pk for c in listed]
    by_id = {c.pk: c for c in listed}
    meetings = list(
        Meeting.objects.filter(convention_id__in=ids).select_related("body").order_by("date", "pk")
    )
    milestones = list(
        Milestone.objects.filter(
            action__plan__convention_id__in=ids,
            action__deleted_at__isnull=True,
            due_date__isnull=False,
        )
        .select_related("action__plan")
        .order_by("due_date", "pk")
    )
    tasks = list(
        FollowUpTask.objects.filter(meeting__convention_id__in=ids, due_date__isnull=False)
        .select_related("meeting__body")
        .order_by("due_date", "pk")
    )
    # Attach the conventions already read, so that nothing queries them again.
    for meeting in meetings:
        meeting.convention = by_id[meeting.convention_id]
    for task in tasks:
        task.meeting.convention = by_id[task.meeting.convention_id]
    return FeedData(listed, meetings, milestones, tasks)
