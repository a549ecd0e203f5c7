"""Calendar feeds (iCalendar, RFC 5545) of meetings, milestones, legal deadlines and
follow-up tasks, written with the icalendar library.

Every event is an all-day event (DTSTART a date, DTEND the day after) with a UID that
stays the same from one fetch to the next (``<kind>-<id>@copil``, legal deadlines by
convention, kind and date), so calendar applications update events instead of
duplicating them.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.urls import NoReverseMatch, reverse
from icalendar import Calendar, Event

from copil.conventions.models import Convention
from copil.core.lifecycle import KIND_END, KIND_NOTICE_DEADLINE, KIND_RENEWAL
from copil.notifications.selectors import FeedData

PRODID = "-//copil//Calendrier des conventions//FR"
UID_DOMAIN = "copil"
ONE_DAY = dt.timedelta(days=1)

_DEADLINE_TITLES = {
    KIND_NOTICE_DEADLINE: "Date limite de dénonciation",
    KIND_RENEWAL: "Fin de période (reconduction)",
    KIND_END: "Fin de la convention",
}


@dataclass(frozen=True)
class FeedEvent:
    uid: str
    on: dt.date
    summary: str
    description: str = ""
    url: str = ""
    location: str = ""
    categories: tuple[str, ...] = ()


def _url(name: str, *args: object) -> str:
    try:
        return settings.COPIL_BASE_URL + reverse(name, args=args)
    except NoReverseMatch:
        return ""


def _uid(*parts: object) -> str:
    return "-".join(str(p) for p in parts) + f"@{UID_DOMAIN}"


def legal_events(convention: Convention, on: dt.date) -> list[FeedEvent]:
    """Notice deadline, end of the current (and next) period, end of the convention and
    the effective end of a termination, as the lifecycle engine computes them on ``on``."""
    state = convention.lifecycle(on)
    if state is None:
        return []
    url = _url("convention_detail", convention.pk)
    events = {}
    for deadline in state.upcoming_deadlines:
        uid = _uid("convention", convention.pk, deadline.kind, deadline.on.isoformat())
        events[uid] = FeedEvent(
            uid=uid,
            on=deadline.on,
            summary=f"{_DEADLINE_TITLES.get(deadline.kind, deadline.label)} — {convention.title}",
            description=deadline.label,
            url=url,
            categories=("Échéance légale",),
        )
    if state.termination_effective_end is not None:
        uid = _uid("convention", convention.pk, "termination")
        events[uid] = FeedEvent(
            uid=uid,
            on=state.termination_effective_end,
            summary=f"Fin de la convention dénoncée — {convention.title}",
            description="Date de fin après dénonciation.",
            url=url,
            categories=("Échéance légale",),
        )
    return list(events.values())


def feed_events(data: FeedData, on: dt.date) -> list[FeedEvent]:
    titles = {c.pk: c.title for c in data.conventions}
    events: list[FeedEvent] = []
    for convention in data.conventions:
        events.extend(legal_events(convention, on))
    for meeting in data.meetings:
        name = meeting.title or meeting.body.name
        events.append(
            FeedEvent(
                uid=_uid("meeting", meeting.pk),
                on=meeting.date,
                summary=f"{name} — {titles[meeting.convention_id]}",
                description=f"Réunion : {meeting.body.name}.",
                url=_url("meeting_detail", meeting.pk)
                or _url("convention_detail", meeting.convention_id),
                location=meeting.location,
                categories=("Réunion",),
            )
        )
    for milestone in data.milestones:
        action = milestone.action
        reached = f" (atteint le {milestone.reached_on:%d/%m/%Y})" if milestone.reached_on else ""
        events.append(
            FeedEvent(
                uid=_uid("milestone", milestone.pk),
                on=milestone.due_date,
                summary=f"Jalon : {milestone.label} (action {action.number}){reached}",
                description=f"{titles[action.plan.convention_id]} — action {action.number} : "
                f"{action.title}",
                url=_url("action_detail", action.pk),
                categories=("Jalon",),
            )
        )
    for task in data.tasks:
        meeting = task.meeting
        done = f" (faite le {task.done_on:%d/%m/%Y})" if task.done_on else ""
        owner = f" — {task.owner_label}" if task.owner_label else ""
        events.append(
            FeedEvent(
                uid=_uid("task", task.pk),
                on=task.due_date,
                summary=f"Tâche : {task.title}{done}",
                description=f"{titles[meeting.convention_id]} — décidée en réunion du "
                f"{meeting.date:%d/%m/%Y} ({meeting.body.name}){owner}.",
                url=_url("meeting_detail", meeting.pk)
                or _url("convention_detail", meeting.convention_id),
                categories=("Tâche de suivi",),
            )
        )
    events.sort(key=lambda e: (e.on, e.uid))
    return events


def to_ics(events: Iterable[FeedEvent], name: str, stamp: dt.datetime) -> bytes:
    """The calendar as bytes; ``stamp`` (an aware datetime) becomes every DTSTAMP."""
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("method", "PUBLISH")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", "Europe/Paris")
    stamp = stamp.astimezone(dt.UTC)
    for item in events:
        event = Event()
        event.add("uid", item.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", item.on)
        event.add("dtend", item.on + ONE_DAY)
        event.add("summary", item.summary)
        event.add("transp", "TRANSPARENT")
        if item.description:
            event.add("description", item.description)
        if item.url:
            event.add("url", item.url)
        if item.location:
            event.add("location", item.location)
        if item.categories:
            event.add("categories", list(item.categories))
        calendar.add_component(event)
    return calendar.to_ical()
