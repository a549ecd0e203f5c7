"""Frequency rules of governance bodies: is a committee overdue?

The conventions say "au moins une fois par an", "trimestrielle", "en tant que de
besoin"; these are turned into a maximum gap between two meetings, and checked against
the meetings held.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata
from dataclasses import dataclass

from copil.core.durations import add_months


@dataclass(frozen=True)
class FrequencyRule:
    max_gap_months: int | None  # None: no rule ("en tant que de besoin")
    label: str


def _fold(text: str) -> str:
    return "".join(
        c for c in unicodedata.normalize("NFKD", text.casefold()) if not unicodedata.combining(c)
    )


_PATTERNS = [
    (
        re.compile(r"trimestri|chaque trimestre|tous les trois mois|par trimestre"),
        3,
        "trimestrielle",
    ),
    (re.compile(r"semestri|deux fois par an|tous les six mois|2 fois par an"), 6, "semestrielle"),
    (re.compile(r"mensuel|chaque mois|tous les mois"), 1, "mensuelle"),
    (re.compile(r"(une|1) fois par an|annuel|chaque annee|tous les ans"), 12, "annuelle"),
]


def parse_frequency(text: str) -> FrequencyRule:
    folded = _fold(text)
    for pattern, months, label in _PATTERNS:
        if pattern.search(folded):
            return FrequencyRule(months, label)
    return FrequencyRule(None, "en tant que de besoin")


def next_meeting_due(
    rule: FrequencyRule, last_meeting: dt.date | None, since: dt.date
) -> dt.date | None:
    """The day by which the body must have met again; None when no rule applies.

    With no meeting yet, the gap runs from `since` (the convention's effective date).
    """
    if rule.max_gap_months is None:
        return None
    return add_months(last_meeting or since, rule.max_gap_months)


def is_overdue(
    rule: FrequencyRule, last_meeting: dt.date | None, since: dt.date, on: dt.date
) -> bool:
    due = next_meeting_due(rule, last_meeting, since)
    return due is not None and on > due
