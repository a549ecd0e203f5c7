"""Month arithmetic and parsing of the durations and dates typed by users.

Pure Python on purpose: the lifecycle engine and the importers share it without Django.
Every error is a ``ValueError`` subclass carrying a one-line French message that can be
shown as-is in a form, a CLI or an import report.
"""

from __future__ import annotations

import calendar
import re
from datetime import date

__all__ = [
    "DateInputError",
    "DurationError",
    "add_months",
    "format_months",
    "parse_duration",
    "parse_iso_date",
]

_EXAMPLES = "par ex. 3y, 18m, 3 ans ou 6 mois"

# Unit spelling (lower-case) -> number of months.
_YEAR_UNITS = frozenset({"y", "an", "ans", "année", "années", "annee", "annees", "year", "years"})
_MONTH_UNITS = frozenset({"m", "mois", "month", "months"})

_TERM = r"(\d+)\s*([^\W\d_]+)"
_DURATION_RE = re.compile(rf"{_TERM}(?:\s*(?:et\s*)?{_TERM})?")
_NEGATIVE_RE = re.compile(r"-\s*\d")
_ISO_DATE_RE = re.compile(r"(\d{4})-(\d{2})-(\d{2})")


class DurationError(ValueError):
    """A duration typed by a user cannot be understood (message in French, one line)."""


class DateInputError(ValueError):
    """A date typed by a user is malformed or does not exist (message in French, one line)."""


def _one_line(text: str) -> str:
    """Collapse whitespace so that echoing user input never breaks a one-line message."""
    return " ".join(str(text).split())


def add_months(d: date, months: int) -> date:
    """Move ``d`` by ``months`` calendar months, clamping the day to the target month's end.

    Clamping (2019-01-31 + 1 -> 2019-02-28) is what conventions mean by "one month later";
    ``months`` may be negative (used to go back a notice period).
    """
    year, month0 = divmod(d.year * 12 + d.month - 1 + months, 12)
    if not 1 <= year <= 9999:
        raise ValueError(f"date hors limites : {d.isoformat()} + {months} mois")
    day = min(d.day, calendar.monthrange(year, month0 + 1)[1])
    return date(year, month0 + 1, day)


def _unit_months(unit: str) -> int | None:
    if unit in _YEAR_UNITS:
        return 12
    if unit in _MONTH_UNITS:
        return 1
    return None


def parse_duration(text: str) -> int:
    """Parse a duration such as "3y", "18m", "3 ans", "6 mois" or "1 an et 6 mois" into months.

    Case-insensitive, spaces optional; "0m" is valid. The compound form exists so that
    ``parse_duration(format_months(n)) == n`` always holds.
    """
    if not isinstance(text, str):
        raise DurationError(f"durée invalide « {_one_line(text)} » : {_EXAMPLES}")
    shown = _one_line(text)
    if not shown:
        raise DurationError(f"durée vide : indiquez une durée, {_EXAMPLES}")
    if _NEGATIVE_RE.match(shown):
        raise DurationError(f"une durée ne peut pas être négative : « {shown} »")
    match = _DURATION_RE.fullmatch(shown.lower())
    if match is None:
        raise DurationError(f"durée invalide « {shown} » : {_EXAMPLES}")
    first_number, first_unit, second_number, second_unit = match.groups()
    first_factor = _unit_months(first_unit)
    second_factor = _unit_months(second_unit) if second_unit is not None else 1
    if first_factor is None or second_factor is None:
        raise DurationError(f"unité inconnue « {shown} » : utilisez y (ans) ou m (mois)")
    if second_number is None:
        return int(first_number) * first_factor
    if (first_factor, second_factor) != (12, 1):
        raise DurationError(
            f"durée invalide « {shown} » : écrivez les années puis les mois, par ex. 1 an et 6 mois"
        )
    return int(first_number) * 12 + int(second_number)


def format_months(months: int) -> str:
    """Render a number of months in French: 36 -> "3 ans", 12 -> "1 an", 18 -> "1 an et 6 mois"."""
    if months < 0:
        raise DurationError(f"une durée ne peut pas être négative : « {months} mois »")
    years, rest = divmod(months, 12)
    parts = []
    if years:
        parts.append(f"{years} an" if years == 1 else f"{years} ans")
    if rest or not years:
        parts.append(f"{rest} mois")
    return " et ".join(parts)


def parse_iso_date(text: str) -> date:
    """Parse a strict ``AAAA-MM-JJ`` date, rejecting dates that do not exist (2023-02-30).

    ``date.fromisoformat`` is not used because it also accepts other ISO spellings
    (``20230230``, week dates) that users should not rely on.
    """
    shown = _one_line(text)
    match = _ISO_DATE_RE.fullmatch(shown)
    if match is None:
        raise DateInputError(f"« {shown} » n'est pas une date au format AAAA-MM-JJ")
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        raise DateInputError(f"{shown} n'est pas une date valide (AAAA-MM-JJ)") from None
