"""Invariants of the lifecycle engine over random clauses, dates and notices."""

import json
from datetime import date, timedelta
from itertools import islice

from hypothesis import given, settings
from hypothesis import strategies as st

from copil.core.durations import add_months, format_months, parse_duration
from copil.core.lifecycle import (
    Period,
    Termination,
    TermRules,
    compute_state,
    notice_deadline_for,
    periods,
    termination_end,
)

SETTINGS = settings(max_examples=200, deadline=None)
MAX_PERIODS = 60  # bound for open-ended conventions

# Month ends are where month arithmetic goes wrong, so draw them often.
month_ends = st.builds(
    lambda y, m: add_months(date(y, m, 1), 1) - timedelta(days=1),
    st.integers(1990, 2060),
    st.integers(1, 12),
)
effective_dates = st.one_of(st.dates(date(1990, 1, 1), date(2060, 12, 31)), month_ends)


@st.composite
def term_rules(draw: st.DrawFn) -> TermRules:
    initial = draw(st.integers(1, 120))
    tacit = draw(st.booleans())
    renewal = draw(st.integers(1, 60)) if tacit else draw(st.sampled_from([None, 0, 12]))
    maximum = draw(st.one_of(st.none(), st.integers(initial, initial + 240)))
    notice = draw(st.integers(0, 24))
    form = draw(st.sampled_from([None, "registered_letter", "letter", "any"]))
    return TermRules(initial, renewal, tacit, maximum, notice, form)


def bounded_periods(effective: date, rules: TermRules) -> list[Period]:
    return list(islice(periods(effective, rules), MAX_PERIODS))


def is_open_ended(rules: TermRules) -> bool:
    return rules.tacit_renewal and rules.max_total_term_months is None


@SETTINGS
@given(effective_dates, term_rules())
def test_periods_are_contiguous_and_never_overlap(effective: date, rules: TermRules) -> None:
    got = bounded_periods(effective, rules)
    assert got[0].start == effective
    assert got[0].end == add_months(effective, rules.initial_term_months) - timedelta(days=1)
    for index, period in enumerate(got):
        assert period.index == index
        assert period.start <= period.end
    for previous, period in zip(got, got[1:], strict=False):
        assert period.start == previous.end + timedelta(days=1)
    if not rules.tacit_renewal:
        assert len(got) == 1


@SETTINGS
@given(effective_dates, term_rules())
def test_notice_deadline_precedes_period_end(effective: date, rules: TermRules) -> None:
    got = bounded_periods(effective, rules)
    for period in got:
        deadline = notice_deadline_for(period, rules)
        if deadline is None:
            assert period is got[-1] and not is_open_ended(rules)
            continue
        assert deadline <= period.end
        if rules.notice_period_months > 0:
            assert deadline < period.end
        else:
            assert deadline == period.end


@SETTINGS
@given(effective_dates, term_rules())
def test_maximum_total_term_is_never_exceeded(effective: date, rules: TermRules) -> None:
    if rules.max_total_term_months is None:
        return
    cap = add_months(effective, rules.max_total_term_months)
    got = list(periods(effective, rules))  # finite: a maximum term stops renewals
    assert all(period.end < cap for period in got)
    if rules.tacit_renewal:
        assert got[-1].end == cap - timedelta(days=1)


@SETTINGS
@given(effective_dates, term_rules(), st.integers(-800, 12_000))
def test_termination_ends_at_a_period_end(effective: date, rules: TermRules, offset: int) -> None:
    received = effective + timedelta(days=offset)
    end = termination_end(effective, rules, Termination(received))
    ends = {p.end: p for p in periods(effective, rules, until=end)}
    assert end in ends
    ending = ends[end]
    deadline = notice_deadline_for(ending, rules)
    # Rule 5: the deadline of the ending period is met, unless no period follows it...
    assert deadline is None or deadline >= received
    # ... and no earlier period still reachable by the notice would have done.
    for period in ends.values():
        if period.index < ending.index and period.end >= received:
            earlier = notice_deadline_for(period, rules)
            assert earlier is not None and earlier < received
    assert end >= received or deadline is None


@SETTINGS
@given(
    effective_dates,
    term_rules(),
    st.integers(-400, 12_000),
    st.one_of(st.none(), st.integers(-400, 12_000)),
)
def test_state_is_consistent_with_ends_on(
    effective: date, rules: TermRules, on_offset: int, notice_offset: int | None
) -> None:
    on = effective + timedelta(days=on_offset)
    termination = None
    if notice_offset is not None:
        termination = Termination(effective + timedelta(days=notice_offset))
    state = compute_state(effective, rules, on, termination)

    assert state.ends_on is None or state.ends_on >= effective
    notice_known = termination is not None and termination.notice_received_on <= on
    assert (state.ends_on is None) == (is_open_ended(rules) and not notice_known)
    ended = state.ends_on is not None and on > state.ends_on
    assert (state.status in {"terminated", "expired"}) == ended
    assert (state.status == "not_started") == (on < effective)
    if state.status == "notice_given":
        assert termination is not None and termination.notice_received_on <= on
        assert state.notice_deadline is None
    if ended:
        assert (state.period_start, state.period_end, state.notice_deadline) == (None, None, None)
        assert state.upcoming_deadlines == ()
    else:
        assert state.period_start is not None and state.period_end is not None
        if state.status != "not_started":
            assert state.period_start <= on <= state.period_end
        assert state.period_end <= (state.ends_on or state.period_end)
    if state.status == "terminated":
        assert state.ends_on == state.termination_effective_end

    days = [d.on for d in state.upcoming_deadlines]
    assert days == sorted(days)
    assert all(day >= on for day in days)
    assert json.loads(json.dumps(state.as_dict())) == state.as_dict()


@SETTINGS
@given(effective_dates, term_rules(), st.integers(0, 12_000))
def test_arithmetic_period_lookup_matches_iteration(
    effective: date, rules: TermRules, on_offset: int
) -> None:
    on = effective + timedelta(days=on_offset)
    state = compute_state(effective, rules, on)
    if state.period_start is None:  # expired: the last period ended before `on`
        last = list(periods(effective, rules))[-1]
        assert last.end < on and state.renewal_count == last.index
        return
    current = list(periods(effective, rules, until=on))[-1]
    assert (state.period_start, state.period_end) == (current.start, current.end)
    assert state.renewal_count == current.index


@settings(max_examples=300, deadline=None)
@given(st.dates(date(1900, 1, 1), date(2100, 12, 31)), st.integers(-1200, 1200))
def test_add_months_lands_in_the_right_month_and_clamps(start: date, months: int) -> None:
    moved = add_months(start, months)
    assert moved.year * 12 + moved.month == start.year * 12 + start.month + months
    assert moved.day == start.day or (moved.day < start.day and (moved + timedelta(1)).day == 1)


@settings(max_examples=300, deadline=None)
@given(st.integers(0, 100_000))
def test_format_months_round_trips(months: int) -> None:
    assert parse_duration(format_months(months)) == months
    assert parse_duration(f"{months}m") == months
    assert parse_duration(f"{months} ans") == 12 * months
