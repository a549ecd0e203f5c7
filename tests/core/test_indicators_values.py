"""Indicator values: French numbers, oui/non, masking by statistical secrecy, direction."""

from decimal import Decimal as D

import pytest

from copil.core.indicators import (
    IndicatorValueError,
    achievement_for,
    format_number,
    is_masked_text,
    parse_boolean,
    parse_number,
    parse_value,
    reading,
    target_met,
    trend_verdict,
)


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("12", D(12)),
        ("1 234,5", D("1234.5")),
        ("1234.5", D("1234.5")),
        ("-0,25", D("-0.25")),
        ("1\u202f000", D(1000)),
        (",5", D("0.5")),
    ],
)
def test_parse_number(text, value):
    assert parse_number(text) == value


@pytest.mark.parametrize("text", ["douze", "1,2,3", "1.234,5", "", "12 %", "1e5", "0,00001"])
def test_parse_number_refuses_in_french(text):
    with pytest.raises(IndicatorValueError):
        parse_number(text)


def test_format_number_reads_back():
    for value in (D("1234.5000"), D(12), D("-0.25"), D("100"), D("0.0001")):
        assert parse_number(format_number(value)) == value
    assert format_number(D("100.0000")) == "100"
    assert format_number(D("12.5000")) == "12,5"


def test_booleans_and_texts():
    assert parse_boolean("Oui") == 1 and parse_boolean("non") == 0
    with pytest.raises(IndicatorValueError, match="oui"):
        parse_boolean("peut-être")
    assert parse_value(" Bien ", "text") == (None, "Bien")
    assert parse_value("oui", "boolean") == (D(1), "")
    with pytest.raises(IndicatorValueError, match="obligatoire"):
        parse_value("", "number")


def test_reading_masks_counts_only():
    assert reading(D(3), value_type="number").text == "< 5"
    assert reading(D(3), value_type="number", threshold=3).text == "3"
    assert reading(D(3), value_type="number", unmasked=True).text == "3"
    assert reading(D(0), value_type="number").text == "0"
    assert reading(D("3.5"), value_type="percentage").text == "3,5"
    assert reading(D(1), value_type="boolean").text == "oui"
    assert reading(None, "Bien", value_type="text").text == "Bien"
    assert reading(None, value_type="number").text == "—"
    assert is_masked_text("< 5") and is_masked_text("<10") and not is_masked_text("5")


def test_achievement_and_direction():
    assert achievement_for(D(75), D(100)) == D("75.0")
    assert achievement_for(D(25), D(20), direction="lower") == D("80.0")
    assert achievement_for(D(15), D(20), direction="lower") == D("133.3")
    assert achievement_for(D(0), D(20), direction="lower") == D("100.0")
    assert achievement_for(D(75), D(50), D(100), direction="lower") == D("50.0")
    assert target_met(D(15), D(20), "lower") and not target_met(D(15), D(20), "higher")
    assert trend_verdict("up", "higher") == "better"
    assert trend_verdict("up", "lower") == "worse"
    assert trend_verdict("flat", "lower") == "flat"
