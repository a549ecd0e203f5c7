"""Measurement periods: one spelling each, dates, kinds and order."""

import datetime as dt

import pytest

from copil.core.periods import (
    PeriodError,
    french_label,
    parse_period,
    period_kind,
    period_sort_key,
    year_period,
)


@pytest.mark.parametrize(
    ("text", "label", "start", "end", "kind"),
    [
        ("2020", "2020", dt.date(2020, 1, 1), dt.date(2020, 12, 31), "year"),
        (" 2020-s2 ", "2020-S2", dt.date(2020, 7, 1), dt.date(2020, 12, 31), "half"),
        ("2020-t1", "2020-T1", dt.date(2020, 1, 1), dt.date(2020, 3, 31), "quarter"),
        ("2024-02", "2024-02", dt.date(2024, 2, 1), dt.date(2024, 2, 29), "month"),
    ],
)
def test_parse(text, label, start, end, kind):
    period = parse_period(text)
    assert (period.label, period.start, period.end, period.kind) == (label, start, end, kind)
    assert period_kind(label) == kind
    assert period.year == start.year


@pytest.mark.parametrize("text", ["", "20", "2020-T5", "2020-S3", "2020-13", "2020-00", "T1"])
def test_unreadable_periods_are_refused_in_french(text):
    with pytest.raises(PeriodError, match="Période"):
        parse_period(text)


def test_has_ended_and_contains():
    period = year_period(2020)
    assert not period.has_ended(dt.date(2020, 12, 31))
    assert period.has_ended(dt.date(2021, 1, 1))
    assert period.contains(dt.date(2020, 6, 1)) and not period.contains(dt.date(2021, 1, 1))


def test_sort_key_puts_a_year_before_its_parts():
    labels = ["2020-T2", "2021", "2020-02", "2020", "2020-S1"]
    assert sorted(labels, key=period_sort_key) == ["2020", "2020-S1", "2020-02", "2020-T2", "2021"]


def test_french_label():
    assert french_label("2020") == "2020"
    assert french_label("2020-T1") == "1er trimestre 2020"
    assert french_label("2020-S2") == "2e semestre 2020"
    assert french_label("2020-08") == "août 2020"
