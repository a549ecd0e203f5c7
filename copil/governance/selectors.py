"""Read-side queries of governance: a fixed number of queries whatever the data size.

Callers pass objects that already went through the permission funnel
(copil.accounts.perms); nothing here filters by user.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.db.models import Max, Min, Prefetch, Q, QuerySet

from copil.conventions.models import Amendment, Convention
from copil.core.governance import BodyStatus, body_status
from copil.governance.models import (
    AgendaItem,
    Attendee,
    BodyMember,
    Decision,
    FollowUpTask,
    GovernanceBody,
    Meeting,
)
from copil.institutions.models import Institution
from copil.plan.models import Action


@dataclass(frozen=True)
class BodyRow:
    body: GovernanceBody  # with .members prefetched
    status: BodyStatus | None  # None: neither an effective date nor a meeting to count from
    next_meeting: dt.date | None  # the next meeting already scheduled, if any

    @property
    def late(self) -> bool:
        return bool(self.status and self.status.late)


def bodies_with_dates(convention: Convention, on: dt.date) -> QuerySet[GovernanceBody]:
    """The convention's bodies, each with ``last_meeting`` (the last one held by ``on``)
    and ``next_meeting`` (the first one after): one query."""
    return (
        GovernanceBody.objects.filter(convention=convention)
        .annotate(
            last_meeting=Max("meetings__date", filter=Q(meetings__date__lte=on)),
            next_meeting=Min("meetings__date", filter=Q(meetings__date__gt=on)),
        )
        .order_by("position", "id")
    )


def _row(body: GovernanceBody, since: dt.date | None, on: dt.date) -> BodyRow:
    last = body.last_meeting
    start = since or last
    status = body_status(body.frequency, last, start, on) if start else None
    return BodyRow(body, status, body.next_meeting)


def body_rows(convention: Convention, on: dt.date, *, members: bool = True) -> list[BodyRow]:
    """Every body with its status on ``on``; with ``members``, its seats (+institution).
    1 query, 2 with members."""
    bodies = bodies_with_dates(convention, on)
    if members:
        bodies = bodies.prefetch_related(
            Prefetch("members", queryset=BodyMember.objects.select_related("institution"))
        )
    return [_row(body, convention.effective_date, on) for body in bodies]


def body_alerts(convention: Convention, on: dt.date) -> list[BodyRow]:
    """The bodies whose rule is not met on ``on`` (late: overdue or a missed quarter), for
    the dashboard and reminders. 1 query."""
    return [row for row in body_rows(convention, on, members=False) if row.late]


@dataclass(frozen=True)
class GovernancePage:
    convention: Convention
    on: dt.date
    bodies: list[BodyRow]
    meetings: list[Meeting]  # most recent first, each with .body
    open_tasks: list[FollowUpTask]  # not done, by due date, each with .owner, .meeting

    @property
    def late_bodies(self) -> list[BodyRow]:
        return [row for row in self.bodies if row.late]


def governance_page(convention: Convention, on: dt.date) -> GovernancePage:
    """The governance page of a convention: 4 queries (bodies, their members, meetings,
    open tasks)."""
    meetings = list(
        Meeting.objects.filter(convention=convention)
        .select_related("body")
        .order_by("-date", "-id")
    )
    tasks = list(
        FollowUpTask.objects.filter(meeting__convention=convention, done_on__isnull=True)
        .select_related("owner", "meeting__body")
        .order_by("due_date", "meeting__date", "position", "id")
    )
    return GovernancePage(convention, on, body_rows(convention, on), meetings, tasks)


def meeting_page_queryset() -> QuerySet[Meeting]:
    """A meeting with everything its page shows: 6 queries (meeting with body, convention
    and approver; attendees; agenda with actions; decisions with amendments; the actions of
    the decisions; tasks with owners and decisions)."""
    return Meeting.objects.select_related("body", "convention", "approved_by").prefetch_related(
        Prefetch("attendees", queryset=Attendee.objects.select_related("institution")),
        Prefetch("agenda_items", queryset=AgendaItem.objects.select_related("action")),
        Prefetch(
            "decisions",
            queryset=Decision.objects.select_related("amendment").prefetch_related(
                Prefetch("actions", queryset=Action.objects.order_by("position", "pk"))
            ),
        ),
        Prefetch("tasks", queryset=FollowUpTask.objects.select_related("owner", "decision")),
    )


def meeting_header_queryset() -> QuerySet[Meeting]:
    """What the breadcrumb of a meeting's sub-pages shows: one query."""
    return Meeting.objects.select_related("body", "convention")


def decisions_for_actions(action_ids: Iterable[int]) -> dict[int, list[Decision]]:
    """action id -> the decisions that concern it (most recent meeting first), each with
    ``.meeting`` and ``.meeting.body``. One query."""
    ids = list(action_ids)
    found: dict[int, list[Decision]] = defaultdict(list)
    if not ids:
        return {}
    links = (
        Decision.actions.through.objects.filter(action_id__in=ids)
        .select_related("decision__meeting__body")
        .order_by("-decision__meeting__date", "decision__position", "decision_id")
    )
    for link in links:
        found[link.action_id].append(link.decision)
    return dict(found)


# --- choices of the meeting forms (one query each, once per page) -------------------------


class ConventionChoices:
    """The actions, amendments, members and institutions a meeting's forms may point to:
    each read once per page (lazily) and shared by every row of every formset."""

    def __init__(self, convention: Convention, meeting: Meeting | None = None) -> None:
        self.convention = convention
        self.meeting = meeting
        self._cache: dict[str, list] = {}

    def _get(self, key: str, load) -> list:
        if key not in self._cache:
            self._cache[key] = list(load())
        return self._cache[key]

    def actions(self) -> list[Action]:
        return self._get(
            "actions",
            lambda: Action.objects.filter(
                plan__convention=self.convention, deleted_at__isnull=True
            ).order_by("position", "pk"),
        )

    def amendments(self) -> list[Amendment]:
        return self._get("amendments", lambda: self.convention.amendments.order_by("number"))

    def members(self) -> list:
        return self._get(
            "members",
            lambda: (
                get_user_model()
                .objects.filter(memberships__convention=self.convention)
                .select_related("institution")
                .order_by("last_name", "first_name", "username")
            ),
        )

    def institutions(self) -> list:
        return self._get("institutions", lambda: Institution.objects.order_by("name"))

    def decisions(self) -> list[Decision]:
        """The decisions of the meeting being edited (a task may come from one)."""
        if self.meeting is None:
            return []
        return self._get("decisions", lambda: Decision.objects.filter(meeting=self.meeting))
