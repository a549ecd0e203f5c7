"""Measurement periods: a year ("2020"), a half ("2020-S1"), a quarter ("2020-T3") or a
month ("2020-03"). One spelling per period, so the CSV export and import agree and a
period sorts and compares as its dates.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PATTERN = re.compile(
    r"^(?P<year>\d{4})(?:-(?:S(?P<half>[12])|T(?P<quarter>[1-4])|(?P<month>\d{2})))?$"
)


class PeriodError(ValueError):
    """A period that cannot be read; the message is French, for the user."""


@dataclass(frozen=True, order=True)
class Period:
    start: dt.date
    end: dt.date
    label: str

    @property
    def year(self) -> int:
        return self.start.year

    @property
    def kind(self) -> str:
        """ "year", "half", "quarter" or "month"."""
        return period_kind(self.label)

    def has_ended(self, on: dt.date) -> bool:
        """True once the whole period lies before ``on``."""
        return self.end < on

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def __str__(self) -> str:
        return self.label


def _month_end(year: int, month: int) -> dt.date:
    return dt.date(year, month, calendar.monthrange(year, month)[1])


def parse_period(text: str) -> Period:
    """ "2020" -> the year; "2020-S1" half; "2020-T1" quarter; "2020-03" month."""
    cleaned = (text or "").strip().upper()
    match = _PATTERN.match(cleaned)
    if not match:
        raise PeriodError(
            f"Période « {text} » illisible : écrivez 2020, 2020-S1, 2020-T1 ou 2020-03."
        )
    year = int(match["year"])
    if match["half"]:
        first = 1 + 6 * (int(match["half"]) - 1)
        return Period(dt.date(year, first, 1), _month_end(year, first + 5), cleaned)
    if match["quarter"]:
        first = 1 + 3 * (int(match["quarter"]) - 1)
        return Period(dt.date(year, first, 1), _month_end(year, first + 2), cleaned)
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            raise PeriodError(f"Période « {text} » : le mois doit aller de 01 à 12.")
        return Period(dt.date(year, month, 1), _month_end(year, month), cleaned)
    return Period(dt.date(year, 1, 1), dt.date(year, 12, 31), cleaned)


def year_period(year: int) -> Period:
    return parse_period(str(year))


KIND_LABELS = {"year": "année", "half": "semestre", "quarter": "trimestre", "month": "mois"}


def period_kind(label: str) -> str:
    """The kind of a well-formed period label: "year", "half", "quarter" or "month"."""
    if len(label) == 4:
        return "year"
    marker = label[5:6]
    return {"S": "half", "T": "quarter"}.get(marker, "month")


def period_sort_key(label: str) -> tuple[dt.date, int, str]:
    """Sorts labels by start, then the longer period first ("2020" before "2020-S1")."""
    period = parse_period(label)
    return (period.start, -period.end.toordinal(), period.label)


def french_label(label: str) -> str:
    """ "2020-T1" -> "1er trimestre 2020", for sentences; tables keep the short label."""
    period = parse_period(label)
    kind = period.kind
    if kind == "year":
        return str(period.year)
    number = int(period.label[6:]) if kind in ("half", "quarter") else period.start.month
    if kind == "month":
        return f"{_MONTHS[number - 1]} {period.year}"
    rank = "1er" if number == 1 else f"{number}e"
    return f"{rank} {KIND_LABELS[kind]} {period.year}"


_MONTHS = (
    "janvier",
    "février",
    "mars",
    "avril",
    "mai",
    "juin",
    "juillet",
    "août",
    "septembre",
    "octobre",
    "novembre",
    "décembre",
)
