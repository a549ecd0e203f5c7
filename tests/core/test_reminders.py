"""Which reminders are due on a day (copil.core.reminders), without a database."""

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from copil.core.reminders import (
    CATCH_UP_DAYS,
    KIND_MEASUREMENT,
    KIND_MILESTONE,
    KIND_NOTICE_DEADLINE,
    KIND_STEERING_DUE,
    KIND_TASK,
    KINDS,
    LATE,
    NOTICE_DAYS_BEFORE,
    SOON,
    Subject,
    Window,
    due_reminders,
    measurement_period_end,
    run_window,
    trigger_for,
)

SETTINGS = settings(max_examples=200, deadline=None)
D = dt.date
DAY = dt.timedelta(days=1)
DEADLINE = D(2024, 12, 31)


def daily(today):
    """The window of a cron that ran yesterday."""
    return run_window(today, today - DAY)


def notice(on=DEADLINE):
    return Subject(KIND_NOTICE_DEADLINE, "c1", on)


# --- windows ------------------------------------------------------------------------------


def test_a_daily_run_covers_its_own_day():
    assert run_window(D(2024, 3, 2), D(2024, 3, 1)) == Window(D(2024, 3, 2), D(2024, 3, 2))


def test_a_missed_day_is_caught_up_at_the_next_run():
    assert run_window(D(2024, 3, 4), D(2024, 3, 1)) == Window(D(2024, 3, 2), D(2024, 3, 4))


def test_catch_up_goes_back_a_week_at_most():
    window = run_window(D(2024, 3, 31), D(2024, 1, 1))
    assert window.first == D(2024, 3, 31) - dt.timedelta(days=CATCH_UP_DAYS - 1)
    assert run_window(D(2024, 3, 31)) == window  # never sent anything: the same week


def test_a_backfill_before_the_last_run_still_covers_its_day():
    assert run_window(D(2024, 3, 1), D(2024, 3, 5)) == Window(D(2024, 3, 1), D(2024, 3, 1))


def test_a_window_cannot_end_before_it_starts():
    with pytest.raises(ValueError):
        Window(D(2024, 3, 2), D(2024, 3, 1))


def test_unknown_kind_is_refused():
    with pytest.raises(ValueError):
        Subject("birthday", 1, D(2024, 1, 1))


# --- notice deadline: 90, 30 and 7 days before -----------------------------------------------


@pytest.mark.parametrize("before", NOTICE_DAYS_BEFORE)
def test_notice_deadline_fires_exactly_90_30_and_7_days_before(before):
    today = DEADLINE - dt.timedelta(days=before)
    (reminder,) = due_reminders(daily(today), [notice()])
    assert reminder.days_left == before
    assert reminder.when == f"dans {before} jours"
    assert reminder.state == SOON
    assert trigger_for(notice(), daily(today + DAY)) is None
    assert trigger_for(notice(), daily(today - DAY)) is None


def test_notice_deadline_never_fires_after_the_deadline_even_when_catching_up():
    # The run the day after the deadline covers the 7-day trigger, yet sends nothing.
    assert (
        due_reminders(run_window(DEADLINE + DAY, DEADLINE - dt.timedelta(days=8)), [notice()]) == ()
    )
    window = run_window(DEADLINE + 2 * DAY, DEADLINE - dt.timedelta(days=8))
    assert trigger_for(notice(), window) is None


def test_catching_up_sends_the_most_urgent_notice_reminder_once():
    # cron down from 33 to 28 days before: the 30-day reminder goes out at 28 days.
    window = run_window(DEADLINE - dt.timedelta(days=28), DEADLINE - dt.timedelta(days=33))
    (reminder,) = due_reminders(window, [notice()])
    assert reminder.trigger == DEADLINE - dt.timedelta(days=30)
    assert reminder.when == "dans 28 jours"


# --- milestones and tasks -----------------------------------------------------------------


@pytest.mark.parametrize("kind", [KIND_MILESTONE, KIND_TASK])
def test_due_within_seven_days_then_late_the_day_after_and_on_mondays(kind):
    due = D(2024, 3, 6)  # a Wednesday
    subject = Subject(kind, 1, due)
    assert trigger_for(subject, daily(D(2024, 2, 28))) == D(2024, 2, 28)  # 7 days before
    assert trigger_for(subject, daily(D(2024, 2, 29))) is None
    assert trigger_for(subject, daily(due)) is None
    late = due_reminders(daily(D(2024, 3, 7)), [subject])
    assert [r.state for r in late] == [LATE] and late[0].when == "en retard de 1 jour"
    assert trigger_for(subject, daily(D(2024, 3, 8))) is None
    assert trigger_for(subject, daily(D(2024, 3, 11))) == D(2024, 3, 11)  # Monday
    assert trigger_for(Subject(kind, 1, due, done=True), daily(D(2024, 3, 11))) is None


def test_steering_committee_due_a_month_before_then_overdue():
    due = D(2024, 7, 1)
    subject = Subject(KIND_STEERING_DUE, "body", due)
    assert trigger_for(subject, daily(due - dt.timedelta(days=30))) is not None
    assert trigger_for(subject, daily(due - dt.timedelta(days=29))) is None
    (reminder,) = due_reminders(daily(due + DAY), [subject])
    assert reminder.state == LATE


def test_values_to_fill_on_the_first_of_each_month_after_the_year():
    subject = Subject(KIND_MEASUREMENT, ("indicator", 2023), measurement_period_end(2023))
    assert trigger_for(subject, daily(D(2023, 12, 1))) is None  # the year is not over
    (reminder,) = due_reminders(daily(D(2024, 1, 1)), [subject])
    assert reminder.when == "période close depuis 1 jour"
    assert trigger_for(subject, daily(D(2024, 1, 2))) is None
    assert trigger_for(subject, daily(D(2024, 2, 1))) == D(2024, 2, 1)


def test_reminders_are_listed_by_kind_then_date():
    today = D(2024, 3, 11)
    subjects = [
        Subject(KIND_TASK, 1, D(2024, 3, 1)),
        Subject(KIND_MILESTONE, 2, D(2024, 3, 5)),
        Subject(KIND_MILESTONE, 3, D(2024, 3, 1)),
        Subject(KIND_NOTICE_DEADLINE, 4, today + dt.timedelta(days=7)),
    ]
    keys = [r.subject.key for r in due_reminders(daily(today), subjects)]
    assert keys == [4, 3, 2, 1]


# --- properties ---------------------------------------------------------------------------

dates = st.dates(D(2000, 1, 1), D(2060, 12, 31))
subjects = st.builds(
    Subject,
    kind=st.sampled_from(KINDS),
    key=st.integers(0, 5),
    on=dates,
    done=st.booleans(),
)


@SETTINGS
@given(
    today=dates,
    previous=st.one_of(st.none(), dates),
    items=st.lists(subjects, max_size=8),
)
def test_running_twice_the_same_day_gives_the_same_reminders(today, previous, items):
    first = due_reminders(run_window(today, previous), items)
    again = due_reminders(run_window(today, previous), list(reversed(items)))
    assert set(first) == set(again)
    assert all(r.trigger in run_window(today, previous) for r in first)


@SETTINGS
@given(today=dates, previous=st.one_of(st.none(), dates), deadline=dates)
def test_a_notice_reminder_never_fires_after_its_deadline_nor_too_early(today, previous, deadline):
    reminders = due_reminders(run_window(today, previous), [notice(deadline)])
    for reminder in reminders:
        assert today <= deadline
        assert 0 <= reminder.days_left <= max(NOTICE_DAYS_BEFORE)


@SETTINGS
@given(deadline=dates, gaps=st.lists(st.integers(1, CATCH_UP_DAYS), min_size=1, max_size=60))
def test_with_cron_gaps_of_a_week_at_most_each_threshold_is_announced_once(deadline, gaps):
    """Runs every 1 to 7 days from 100 days before the deadline: every threshold day is
    covered by exactly one run, which sends it; no run sends twice the same threshold."""
    day, runs = deadline - dt.timedelta(days=100), []
    for gap in gaps * 20:
        day += dt.timedelta(days=gap)
        if day > deadline:
            break
        runs.append(day)
    previous, fired = deadline - dt.timedelta(days=100), []
    for run in runs:
        window = run_window(run, previous)
        thresholds = [
            deadline - dt.timedelta(days=n)
            for n in NOTICE_DAYS_BEFORE
            if deadline - dt.timedelta(days=n) in window
        ]
        reminders = due_reminders(window, [notice(deadline)])
        assert bool(reminders) == bool(thresholds)
        if reminders:
            fired.append(reminders[0].trigger)
        previous = run
    expected = [
        deadline - dt.timedelta(days=n)
        for n in sorted(NOTICE_DAYS_BEFORE, reverse=True)
        if runs and deadline - dt.timedelta(days=n) <= runs[-1]
    ]
    # Every threshold reached by the last run was announced, the most urgent when a
    # single run covered two of them.
    assert len(fired) == len(set(fired)) <= len(expected)
    assert set(fired) <= set(expected)


@SETTINGS
@given(due=dates, start=dates, days=st.integers(1, 120), kind=st.sampled_from(KINDS))
def test_daily_runs_never_send_the_same_trigger_twice(due, start, days, kind):
    subject = Subject(kind, 1, due)
    triggers = []
    for offset in range(days):
        today = start + dt.timedelta(days=offset)
        trigger = trigger_for(subject, daily(today))
        if trigger is not None:
            assert trigger == today  # a daily run only ever fires for its own day
            triggers.append(trigger)
    assert len(triggers) == len(set(triggers))


@SETTINGS
@given(due=dates, today=dates, kind=st.sampled_from(KINDS), previous=st.one_of(st.none(), dates))
def test_nothing_closed_is_ever_reminded(due, today, kind, previous):
    assert trigger_for(Subject(kind, 1, due, done=True), run_window(today, previous)) is None
