"""The lifecycle engine on the three real clauses and on month-end edge cases."""

import json
from datetime import date
from itertools import islice

import pytest

from copil.core.lifecycle import (
    LifecycleError,
    Period,
    Termination,
    TermRules,
    compute_state,
    notice_deadline_for,
    periods,
    termination_end,
)

# 2019: 3 years, then tacitly renewed every year, notice 6 months before each renewal.
EFFECTIVE_2019 = date(2019, 7, 1)
RULES_2019 = TermRules(36, 12, True, None, notice_period_months=6, notice_form="registered_letter")
# 2013: 1 year, tacitly renewed every year, 4 years at most.
EFFECTIVE_2013 = date(2013, 7, 1)
RULES_2013 = TermRules(12, 12, True, 48)
# 2008: 4 years, no renewal.
EFFECTIVE_2008 = date(2008, 3, 1)
RULES_2008 = TermRules(48, None, False, None)


def test_2019_convention_in_force_in_its_third_renewal() -> None:
    state = compute_state(EFFECTIVE_2019, RULES_2019, date(2024, 11, 22))
    assert state.status == "in_force"
    assert (state.period_start, state.period_end) == (date(2024, 7, 1), date(2025, 6, 30))
    assert state.renewal_count == 3
    assert state.notice_deadline == date(2024, 12, 31)
    assert state.ends_on is None
    assert [(d.on, d.kind) for d in state.upcoming_deadlines] == [
        (date(2024, 12, 31), "notice_deadline"),
        (date(2025, 6, 30), "renewal"),
        (date(2025, 12, 31), "notice_deadline"),
        (date(2026, 6, 30), "renewal"),
    ]
    assert "lettre recommandée" in state.upcoming_deadlines[0].label
    assert "01/07/2025" in state.upcoming_deadlines[0].label


def test_2013_convention_in_its_last_period_because_of_max_term() -> None:
    state = compute_state(EFFECTIVE_2013, RULES_2013, date(2016, 11, 22))
    assert state.status == "in_force"
    assert (state.period_start, state.period_end) == (date(2016, 7, 1), date(2017, 6, 30))
    assert state.renewal_count == 3
    assert state.ends_on == date(2017, 6, 30)
    assert state.notice_deadline is None
    assert [(d.on, d.kind) for d in state.upcoming_deadlines] == [(date(2017, 6, 30), "end")]


def test_2013_convention_periods_stop_at_max_term() -> None:
    assert [(p.index, p.start, p.end) for p in periods(EFFECTIVE_2013, RULES_2013)] == [
        (0, date(2013, 7, 1), date(2014, 6, 30)),
        (1, date(2014, 7, 1), date(2015, 6, 30)),
        (2, date(2015, 7, 1), date(2016, 6, 30)),
        (3, date(2016, 7, 1), date(2017, 6, 30)),
    ]
    assert compute_state(EFFECTIVE_2013, RULES_2013, date(2017, 7, 1)).status == "expired"


def test_2008_convention_expired_without_renewal() -> None:
    state = compute_state(EFFECTIVE_2008, RULES_2008, date(2013, 1, 1))
    assert state.status == "expired"
    assert state.ends_on == date(2012, 2, 29)
    assert (state.period_start, state.period_end, state.notice_deadline) == (None, None, None)
    assert state.renewal_count == 0
    assert state.upcoming_deadlines == ()
    assert list(periods(EFFECTIVE_2008, RULES_2008)) == [
        Period(0, date(2008, 3, 1), date(2012, 2, 29))
    ]


def test_2008_convention_last_day_is_still_in_force() -> None:
    state = compute_state(EFFECTIVE_2008, RULES_2008, date(2012, 2, 29))
    assert state.status == "in_force"
    assert state.notice_deadline is None


@pytest.mark.parametrize(
    ("received", "ends"),
    [
        (date(2024, 12, 31), date(2025, 6, 30)),  # deadline met: end of the current period
        (date(2025, 1, 1), date(2026, 6, 30)),  # one day late: end of the following period
        (date(2019, 1, 1), date(2022, 6, 30)),  # before the effective date: first period
        (date(2021, 12, 31), date(2022, 6, 30)),
        (date(2022, 1, 1), date(2023, 6, 30)),
    ],
)
def test_2019_termination_end(received: date, ends: date) -> None:
    assert termination_end(EFFECTIVE_2019, RULES_2019, Termination(received)) == ends


def test_2019_termination_status_over_time() -> None:
    termination = Termination(date(2025, 1, 1))
    given = compute_state(EFFECTIVE_2019, RULES_2019, date(2025, 3, 1), termination)
    assert given.status == "notice_given"
    assert given.notice_deadline is None
    assert given.ends_on == date(2026, 6, 30)
    assert given.termination_effective_end == date(2026, 6, 30)
    assert [(d.on, d.kind) for d in given.upcoming_deadlines] == [
        (date(2025, 6, 30), "renewal"),
        (date(2026, 6, 30), "end"),
    ]
    ended = compute_state(EFFECTIVE_2019, RULES_2019, date(2026, 7, 1), termination)
    assert ended.status == "terminated"
    assert ended.renewal_count == 4
    assert (ended.period_start, ended.period_end, ended.notice_deadline) == (None, None, None)


def test_notice_not_yet_received_on_the_date_is_ignored() -> None:
    state = compute_state(
        EFFECTIVE_2019, RULES_2019, date(2024, 11, 22), Termination(date(2024, 12, 1))
    )
    assert state.status == "in_force"
    assert state.ends_on is None
    assert state.termination_effective_end is None


def test_notice_in_last_period_does_not_shorten_the_convention() -> None:
    termination = Termination(date(2016, 12, 1))
    assert termination_end(EFFECTIVE_2013, RULES_2013, termination) == date(2017, 6, 30)
    state = compute_state(EFFECTIVE_2013, RULES_2013, date(2018, 1, 1), termination)
    assert state.status == "expired"


def test_not_started_shows_first_period() -> None:
    state = compute_state(EFFECTIVE_2019, RULES_2019, date(2019, 6, 30))
    assert state.status == "not_started"
    assert (state.period_start, state.period_end) == (date(2019, 7, 1), date(2022, 6, 30))
    assert state.renewal_count == 0
    assert state.notice_deadline == date(2021, 12, 31)


def test_month_end_effective_date_does_not_drift() -> None:
    rules = TermRules(1, 1, True, None)
    got = [(p.start, p.end) for p in islice(periods(date(2019, 1, 31), rules), 4)]
    assert got == [
        (date(2019, 1, 31), date(2019, 2, 27)),
        (date(2019, 2, 28), date(2019, 3, 30)),
        (date(2019, 3, 31), date(2019, 4, 29)),
        (date(2019, 4, 30), date(2019, 5, 30)),
    ]


def test_leap_day_effective_date() -> None:
    rules = TermRules(12, 12, True, None, notice_period_months=1)
    got = [(p.start, p.end) for p in islice(periods(date(2020, 2, 29), rules), 5)]
    assert got[0] == (date(2020, 2, 29), date(2021, 2, 27))
    assert got[3] == (date(2023, 2, 28), date(2024, 2, 28))
    assert got[4] == (date(2024, 2, 29), date(2025, 2, 27))
    first = next(periods(date(2020, 2, 29), rules))
    assert notice_deadline_for(first, rules) == date(2021, 1, 27)


def test_max_term_not_a_multiple_of_renewal_clamps_last_period() -> None:
    rules = TermRules(12, 12, True, 30)
    got = list(periods(date(2020, 1, 1), rules))
    assert [(p.start, p.end) for p in got] == [
        (date(2020, 1, 1), date(2020, 12, 31)),
        (date(2021, 1, 1), date(2021, 12, 31)),
        (date(2022, 1, 1), date(2022, 6, 30)),
    ]


def test_notice_longer_than_renewal_period() -> None:
    rules = TermRules(12, 1, True, None, notice_period_months=3)
    effective = date(2020, 1, 1)
    # Period 0 ends 2020-12-31, its deadline is 2020-09-30; a notice on 2020-12-15 meets the
    # deadline of the period ending 2021-03-31 (deadline 2020-12-31).
    assert termination_end(effective, rules, Termination(date(2020, 12, 15))) == date(2021, 3, 31)


def test_zero_notice_deadline_is_the_period_end() -> None:
    rules = TermRules(12, 12, True, None)
    first = next(periods(date(2020, 1, 1), rules))
    assert notice_deadline_for(first, rules) == first.end


def test_periods_until_is_inclusive_and_lazy() -> None:
    got = list(periods(EFFECTIVE_2019, RULES_2019, until=date(2023, 7, 1)))
    assert [p.index for p in got] == [0, 1, 2]
    got = list(periods(EFFECTIVE_2019, RULES_2019, until=date(2023, 6, 30)))
    assert [p.index for p in got] == [0, 1]


def test_hundred_year_open_ended_convention_is_instant() -> None:
    rules = TermRules(1, 1, True, None, notice_period_months=2)
    state = compute_state(date(1950, 1, 31), rules, date(2050, 6, 15))
    assert state.renewal_count == 1204
    assert state.period_start == date(2050, 5, 31)
    assert state.period_end == date(2050, 6, 29)


def test_as_dict_is_json_ready() -> None:
    data = compute_state(EFFECTIVE_2019, RULES_2019, date(2024, 11, 22)).as_dict()
    assert json.loads(json.dumps(data)) == data
    assert data["period_start"] == "2024-07-01"
    assert data["notice_deadline"] == "2024-12-31"
    assert data["ends_on"] is None
    assert data["upcoming_deadlines"][0]["on"] == "2024-12-31"


@pytest.mark.parametrize(
    ("rules", "fragment"),
    [
        (TermRules(0, None, False, None), "durée initiale"),
        (TermRules(12, None, True, None), "reconduction tacite"),
        (TermRules(12, 0, True, None), "reconduction tacite"),
        (TermRules(12, -1, False, None), "reconduction"),
        (TermRules(36, 12, True, 24), "durée maximale"),
        (TermRules(12, 12, True, None, notice_period_months=-1), "préavis"),
        (TermRules(12, 12, True, None, notice_form="fax"), "forme de préavis"),
    ],
)
def test_invalid_rules_are_rejected_in_french(rules: TermRules, fragment: str) -> None:
    with pytest.raises(LifecycleError, match=fragment):
        rules.validate()
    with pytest.raises(LifecycleError):
        compute_state(date(2020, 1, 1), rules, date(2021, 1, 1))
    with pytest.raises(LifecycleError):
        periods(date(2020, 1, 1), rules)
