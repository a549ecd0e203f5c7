"""Month arithmetic and user-typed durations/dates (French one-line errors)."""

from datetime import date

import pytest

from copil.core.durations import (
    DateInputError,
    DurationError,
    add_months,
    format_months,
    parse_duration,
    parse_iso_date,
)


@pytest.mark.parametrize(
    ("start", "months", "expected"),
    [
        (date(2019, 1, 31), 1, date(2019, 2, 28)),
        (date(2020, 1, 31), 1, date(2020, 2, 29)),
        (date(2019, 1, 31), 2, date(2019, 3, 31)),
        (date(2008, 3, 1), 48, date(2012, 3, 1)),
        (date(2019, 7, 1), 36, date(2022, 7, 1)),
        (date(2020, 2, 29), 12, date(2021, 2, 28)),
        (date(2020, 2, 29), 48, date(2024, 2, 29)),
        (date(2019, 12, 15), 1, date(2020, 1, 15)),
        (date(2025, 7, 1), -6, date(2025, 1, 1)),
        (date(2019, 3, 31), -1, date(2019, 2, 28)),
        (date(2019, 5, 17), 0, date(2019, 5, 17)),
    ],
)
def test_add_months_clamps_to_month_end(start: date, months: int, expected: date) -> None:
    assert add_months(start, months) == expected


def test_add_months_out_of_calendar_range_raises_value_error() -> None:
    with pytest.raises(ValueError):
        add_months(date(9999, 12, 1), 1)


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("3y", 36),
        ("1y", 12),
        ("6m", 6),
        ("18m", 18),
        ("0m", 0),
        ("3 ans", 36),
        ("6 mois", 6),
        ("1 an", 12),
        ("3Y", 36),
        ("  6 MOIS ", 6),
        ("2 années", 24),
        ("1 an et 6 mois", 18),
        ("1y6m", 18),
        ("2 ans 3 mois", 27),
    ],
)
def test_parse_duration_accepts_short_and_french_forms(text: str, months: int) -> None:
    assert parse_duration(text) == months


def test_parse_duration_unknown_unit() -> None:
    with pytest.raises(DurationError) as excinfo:
        parse_duration("3x")
    assert str(excinfo.value) == "unité inconnue « 3x » : utilisez y (ans) ou m (mois)"


def test_parse_duration_negative() -> None:
    with pytest.raises(DurationError) as excinfo:
        parse_duration("-1y")
    assert str(excinfo.value) == "une durée ne peut pas être négative : « -1y »"


@pytest.mark.parametrize(
    "text", ["", "   ", "abc", "y", "3", "1.5y", "3 ans 2 ans", "6m 1y", "3\ny!"]
)
def test_parse_duration_rejects_garbage_with_one_line_french_message(text: str) -> None:
    with pytest.raises(DurationError) as excinfo:
        parse_duration(text)
    message = str(excinfo.value)
    assert "\n" not in message
    assert "durée" in message


def test_duration_error_is_a_value_error() -> None:
    assert issubclass(DurationError, ValueError)
    assert issubclass(DateInputError, ValueError)


@pytest.mark.parametrize(
    ("months", "text"),
    [
        (36, "3 ans"),
        (12, "1 an"),
        (6, "6 mois"),
        (18, "1 an et 6 mois"),
        (0, "0 mois"),
        (30, "2 ans et 6 mois"),
        (1, "1 mois"),
    ],
)
def test_format_months_in_french(months: int, text: str) -> None:
    assert format_months(months) == text


@pytest.mark.parametrize("months", [0, 1, 6, 11, 12, 13, 18, 24, 36, 47, 120, 1201])
def test_format_months_round_trips_through_parse_duration(months: int) -> None:
    assert parse_duration(format_months(months)) == months


def test_format_months_rejects_negative() -> None:
    with pytest.raises(DurationError):
        format_months(-3)


def test_parse_iso_date() -> None:
    assert parse_iso_date("2024-02-29") == date(2024, 2, 29)
    assert parse_iso_date(" 2019-07-01 ") == date(2019, 7, 1)


def test_parse_iso_date_rejects_non_existent_date() -> None:
    with pytest.raises(DateInputError) as excinfo:
        parse_iso_date("2023-02-30")
    assert str(excinfo.value) == "2023-02-30 n'est pas une date valide (AAAA-MM-JJ)"


@pytest.mark.parametrize("text", ["", "01/07/2019", "20190701", "2019-7-1", "2019-07-01T00:00"])
def test_parse_iso_date_rejects_other_formats(text: str) -> None:
    with pytest.raises(DateInputError) as excinfo:
        parse_iso_date(text)
    assert "AAAA-MM-JJ" in str(excinfo.value)
    assert "\n" not in str(excinfo.value)
