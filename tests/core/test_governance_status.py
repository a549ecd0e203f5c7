"""The status of a governance body on a given day: due date, overdue, missed quarter."""

import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from copil.core.governance import Quarter, body_status, parse_frequency

SINCE = dt.date(2019, 7, 1)


def test_a_yearly_committee_never_met_is_due_a_year_after_the_effective_date():
    status = body_status("au moins une fois par an", None, SINCE, dt.date(2020, 7, 1))
    assert status.due_on == dt.date(2020, 7, 1) and not status.overdue and not status.late
    status = body_status("au moins une fois par an", None, SINCE, dt.date(2020, 7, 2))
    assert status.overdue and status.late and status.missed_quarter is None


def test_a_meeting_moves_the_due_date():
    status = body_status(
        "au moins une fois par an", dt.date(2020, 11, 20), SINCE, dt.date(2021, 6, 1)
    )
    assert status.due_on == dt.date(2021, 11, 20) and not status.late
    assert status.last_meeting == dt.date(2020, 11, 20)


def test_as_needed_is_never_late():
    status = body_status("en tant que de besoin", None, SINCE, dt.date(2030, 1, 1))
    assert status.due_on is None and not status.late and status.missed_quarter is None


def test_a_quarterly_body_that_skipped_a_quarter():
    rule = parse_frequency("réunion trimestrielle")
    # Met in Q1 2020; on 1 July Q2 has ended without a meeting.
    status = body_status(rule, dt.date(2020, 2, 10), SINCE, dt.date(2020, 7, 1))
    assert status.missed_quarter == Quarter(2020, 2) and status.late
    assert status.missed_quarter.label == "T2 2020"
    assert status.missed_quarter.start == dt.date(2020, 4, 1)
    assert status.missed_quarter.end == dt.date(2020, 6, 30)
    # Met on the last day of Q1: Q2 is still running on 30 June.
    assert (
        body_status(rule, dt.date(2020, 3, 31), SINCE, dt.date(2020, 6, 30)).missed_quarter is None
    )


def test_a_quarterly_body_owes_the_first_whole_quarter_of_the_convention():
    rule = parse_frequency("trimestrielle")
    assert body_status(rule, None, SINCE, dt.date(2019, 9, 30)).missed_quarter is None
    assert body_status(rule, None, SINCE, dt.date(2019, 10, 1)).missed_quarter == Quarter(2019, 3)
    # In effect on 15 July: the quarter begun before is not owed.
    late_start = dt.date(2019, 7, 15)
    assert body_status(rule, None, late_start, dt.date(2019, 10, 1)).missed_quarter is None
    assert body_status(rule, None, late_start, dt.date(2020, 1, 1)).missed_quarter == Quarter(
        2019, 4
    )


DATES = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2040, 12, 31))


@settings(max_examples=300, deadline=None)
@given(DATES, DATES, st.integers(min_value=0, max_value=2000))
def test_a_missed_quarter_lies_between_the_last_meeting_and_today(last, since, days):
    on = last + dt.timedelta(days=days)
    status = body_status("trimestrielle", last, since, on)
    quarter = status.missed_quarter
    if quarter is not None:
        assert last < quarter.start and quarter.end < on
        assert status.overdue  # after a meeting, a missed quarter is also a gap too long
    if Quarter.of(on) in (Quarter.of(last), Quarter.of(last).next()):
        assert quarter is None


@settings(max_examples=300, deadline=None)
@given(
    st.sampled_from(["au moins une fois par an", "semestrielle", "trimestrielle", "mensuelle"]),
    DATES,
)
def test_never_late_on_the_day_of_a_meeting(words, last):
    status = body_status(words, last, dt.date(1999, 1, 1), last)
    assert not status.late
    assert status.due_on is not None and status.due_on > last
