"""Which reminders are due on a day: the rules behind ``copil remind``.

Pure Python (no Django): dates in, frozen dataclasses out. The Django side
(copil.notifications) reads the dates from the database, asks here which reminders are
due, and emails one digest per user per day.

The rules (the product's contract):

1. A run of ``copil remind`` covers a *window* of days: from the day after the user's
   previous digest (or ``CATCH_UP_DAYS`` ago, whichever is later) to today, both
   included. Cron running daily makes that window one day long; when cron missed a
   day (server down, a weekend without cron), the next run catches up on the days it
   missed, at most ``CATCH_UP_DAYS`` back. A run is idempotent per day: the same day
   and the same previous run give the same window, hence the same reminders.
2. Each reminder has *trigger days*; it is due when one of them falls in the window
   and the thing is still open (not reached, not done, deadline not past):

   - notice deadline: exactly 90, 30 and 7 days before it (``NOTICE_DAYS_BEFORE``),
     never after it; when a run covers several trigger days (catch-up), one reminder
     is sent, the most urgent;
   - milestones and follow-up tasks: 7 days before their due date (``SOON_DAYS``),
     then, once late, the day after the due date and every Monday while late;
   - a governance body whose frequency rule applies: 30 days before the date by
     which it must have met (``BODY_SOON_DAYS``), then the day after and every Monday
     while overdue (copil.core.governance tells the date);
   - indicator values to fill: a year with a target that has ended without any
     measurement is announced on the first day of every month until it is filled.
3. Reminders never fire before their first trigger day: nothing is sent about a notice
   deadline 91 days away, or a milestone due in 8 days.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Hashable, Iterable
from dataclasses import dataclass

KIND_NOTICE_DEADLINE = "notice_deadline"
KIND_STEERING_DUE = "steering_due"
KIND_MILESTONE = "milestone"
KIND_MEASUREMENT = "measurement"
KIND_TASK = "task"
KINDS = (KIND_NOTICE_DEADLINE, KIND_STEERING_DUE, KIND_MILESTONE, KIND_MEASUREMENT, KIND_TASK)

NOTICE_DAYS_BEFORE = (90, 30, 7)
SOON_DAYS = 7
BODY_SOON_DAYS = 30
CATCH_UP_DAYS = 7
MONDAY = 0

ONE_DAY = dt.timedelta(days=1)

#: The state of what a reminder is about, on the day of the run.
SOON = "soon"  # due later (or today)
LATE = "late"  # past its date and still open


@dataclass(frozen=True)
class Window:
    """The days one run covers, ``first`` to ``today`` both included."""

    first: dt.date
    today: dt.date

    def __post_init__(self) -> None:
        if self.first > self.today:
            raise ValueError("a window starts on or before its last day")

    def __contains__(self, day: object) -> bool:
        return isinstance(day, dt.date) and self.first <= day <= self.today

    def days(self) -> Iterable[dt.date]:
        day = self.first
        while day <= self.today:
            yield day
            day += ONE_DAY


def run_window(today: dt.date, previous_run: dt.date | None = None) -> Window:
    """The window of a run on ``today`` after a digest sent on ``previous_run`` (rule 1).

    A previous run on or after ``today`` (a backfill with ``--date``) counts as
    yesterday: a run always covers at least its own day.
    """
    earliest = today - dt.timedelta(days=CATCH_UP_DAYS - 1)
    if previous_run is None:
        return Window(earliest, today)
    first = min(max(previous_run + ONE_DAY, earliest), today)
    return Window(first, today)


@dataclass(frozen=True)
class Subject:
    """Something dated worth a reminder.

    ``on`` is the notice deadline, the due date of a milestone, task or meeting, or the
    last day of the period to fill; ``done`` closes it (milestone reached, task done,
    values entered). ``key`` is the caller's identity for it (a primary key...).
    """

    kind: str
    key: Hashable
    on: dt.date
    done: bool = False

    def __post_init__(self) -> None:
        if self.kind not in KINDS:
            raise ValueError(f"unknown reminder kind {self.kind!r}")


@dataclass(frozen=True)
class Reminder:
    subject: Subject
    trigger: dt.date  # the trigger day that fell in the window
    today: dt.date

    @property
    def kind(self) -> str:
        return self.subject.kind

    @property
    def days_left(self) -> int:
        """Days from today to the subject's date (negative once late)."""
        return (self.subject.on - self.today).days

    @property
    def state(self) -> str:
        return LATE if self.days_left < 0 else SOON

    @property
    def when(self) -> str:
        """ "dans 30 jours", "demain", "aujourd'hui", "en retard de 3 jours"."""
        days = self.days_left
        if self.subject.kind == KIND_MEASUREMENT:
            return "période close depuis " + _days(-days)
        if days == 0:
            return "aujourd'hui"
        if days == 1:
            return "demain"
        if days > 1:
            return f"dans {days} jours"
        return "en retard de " + _days(-days)


def _days(n: int) -> str:
    return "1 jour" if n == 1 else f"{n} jours"


def _latest(days: Iterable[dt.date], window: Window) -> dt.date | None:
    """The latest of ``days`` in the window (the most urgent trigger), or None."""
    inside = [d for d in days if d in window]
    return max(inside) if inside else None


def _late_trigger(on: dt.date, window: Window) -> dt.date | None:
    """The day after ``on``, and every Monday after that, while late (rule 2)."""
    if window.today <= on:
        return None
    return _latest(
        (d for d in window.days() if d > on and (d == on + ONE_DAY or d.weekday() == MONDAY)),
        window,
    )


def _soon_then_late(subject: Subject, window: Window, soon_days: int) -> dt.date | None:
    if window.today > subject.on:
        return _late_trigger(subject.on, window)
    return _latest([subject.on - dt.timedelta(days=soon_days)], window)


def _notice(subject: Subject, window: Window) -> dt.date | None:
    if window.today > subject.on:  # never after the deadline (rule 2)
        return None
    return _latest((subject.on - dt.timedelta(days=n) for n in NOTICE_DAYS_BEFORE), window)


def _measurement(subject: Subject, window: Window) -> dt.date | None:
    """The first of each month after the period ended (``on``: its last day)."""
    return _latest((d for d in window.days() if d.day == 1 and d > subject.on), window)


def trigger_for(subject: Subject, window: Window) -> dt.date | None:
    """The trigger day that makes ``subject`` due in ``window``, or None (rule 2)."""
    if subject.done:
        return None
    if subject.kind == KIND_NOTICE_DEADLINE:
        return _notice(subject, window)
    if subject.kind == KIND_STEERING_DUE:
        return _soon_then_late(subject, window, BODY_SOON_DAYS)
    if subject.kind in (KIND_MILESTONE, KIND_TASK):
        return _soon_then_late(subject, window, SOON_DAYS)
    return _measurement(subject, window)


def due_reminders(window: Window, subjects: Iterable[Subject]) -> tuple[Reminder, ...]:
    """The reminders due in ``window``, in kind order then date order."""
    result = []
    for subject in subjects:
        trigger = trigger_for(subject, window)
        if trigger is not None:
            result.append(Reminder(subject, trigger, window.today))
    order = {kind: i for i, kind in enumerate(KINDS)}
    result.sort(key=lambda r: (order[r.kind], r.subject.on, str(r.subject.key)))
    return tuple(result)


def measurement_period_end(year: int) -> dt.date:
    """The last day of a yearly target's period."""
    return dt.date(year, 12, 31)
