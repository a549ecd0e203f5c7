"""Indicator arithmetic: progress against a target, trend, statistical secrecy.

Statistical secrecy: a count below the convention's threshold (5 by default) may
identify people, so it is masked in anything published. Masking is decided here once,
for every view and export, instead of in each template.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

DEFAULT_SECRECY_THRESHOLD = 5
MASK = "< {threshold}"


@dataclass(frozen=True)
class Reading:
    """A value to show: either the value, or the masked text."""

    value: Decimal | None
    masked: bool
    text: str


def mask_count(
    value: Decimal | int | None,
    threshold: int = DEFAULT_SECRECY_THRESHOLD,
    *,
    is_count: bool = True,
) -> Reading:
    """Counts 1..threshold-1 are masked; 0 is not (it identifies nobody); ratios never are."""
    if value is None:
        return Reading(None, False, "—")
    value = Decimal(value)
    if is_count and 0 < value < threshold:
        return Reading(None, True, MASK.format(threshold=threshold))
    text = f"{value.normalize():f}".replace(".", ",")
    return Reading(value, False, text)


def achievement(value: Decimal, target: Decimal, baseline: Decimal | None = None) -> Decimal | None:
    """Share of the way from baseline (default 0) to target, in percent (may exceed 100).

    The same formula serves "higher is better" and "lower is better" indicators, since
    the target lies on the side to reach. None when target equals baseline (no way to go).
    """
    start = baseline if baseline is not None else Decimal(0)
    span = target - start
    if span == 0:
        return None
    return ((value - start) / span * 100).quantize(Decimal("0.1"))


def trend(values: list[Decimal]) -> str:
    """ "up", "down" or "flat" between the last two values; good or bad is the caller's call."""
    if len(values) < 2 or values[-1] == values[-2]:
        return "flat"
    return "up" if values[-1] > values[-2] else "down"


# --- value types, reading and writing values ------------------------------------------------

NUMBER, PERCENTAGE, BOOLEAN, TEXT = "number", "percentage", "boolean", "text"
HIGHER, LOWER = "higher", "lower"
#: The largest magnitude a measurement holds (16 digits, 4 after the decimal point).
MAX_ABS = Decimal(10) ** 12
YES, NO = "oui", "non"

_MASKED = re.compile(r"^<\s*\d+$")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = re.compile(r"^[+-]?(\d+([.,]\d*)?|[.,]\d+)$")


class IndicatorValueError(ValueError):
    """A value that cannot be read; the message is French, for the user."""


def format_number(value: Decimal | int) -> str:
    """French spelling without thousands separator, so a spreadsheet reads it back:
    1234,5 ; 12 ; -0,25."""
    value = Decimal(value)
    text = f"{value.normalize():f}"
    if "." in text:
        text = text.rstrip("0").rstrip(".")
    return text.replace(".", ",")


def parse_number(text: str) -> Decimal:
    """ "1 234,5", "1234.5", "-3" -> Decimal; French message otherwise."""
    cleaned = _SPACES.sub("", text or "")
    if not _NUMBER.match(cleaned):
        raise IndicatorValueError(
            f"« {text.strip()} » n'est pas un nombre : écrivez par exemple 1234,5."
        )
    value = Decimal(cleaned.replace(",", "."))
    if abs(value) >= MAX_ABS:
        raise IndicatorValueError(f"« {text.strip()} » est trop grand.")
    exponent = value.normalize().as_tuple().exponent
    if isinstance(exponent, int) and exponent < -4:
        raise IndicatorValueError(f"« {text.strip()} » : quatre chiffres après la virgule au plus.")
    return value


def parse_boolean(text: str) -> Decimal:
    """ "oui" -> 1, "non" -> 0 (yes/no values are stored as 1 and 0)."""
    cleaned = (text or "").strip().lower()
    if cleaned in (YES, "1"):
        return Decimal(1)
    if cleaned in (NO, "0"):
        return Decimal(0)
    raise IndicatorValueError(f"« {text.strip()} » : répondez « oui » ou « non ».")


def parse_value(text: str, value_type: str) -> tuple[Decimal | None, str]:
    """The (value, value_text) pair to store for what a user wrote."""
    if value_type == TEXT:
        cleaned = (text or "").strip()
        if not cleaned:
            raise IndicatorValueError("La valeur est obligatoire.")
        return None, cleaned
    if not (text or "").strip():
        raise IndicatorValueError("La valeur est obligatoire.")
    if value_type == BOOLEAN:
        return parse_boolean(text), ""
    return parse_number(text), ""


def is_masked_text(text: str) -> bool:
    """ "< 5": a value masked by statistical secrecy (in an export, it means "unchanged")."""
    return bool(_MASKED.match((text or "").strip()))


def reading(
    value: Decimal | None,
    value_text: str = "",
    *,
    value_type: str = NUMBER,
    threshold: int = DEFAULT_SECRECY_THRESHOLD,
    unmasked: bool = False,
) -> Reading:
    """What to show for a stored value, masked by statistical secrecy when it is a count.
    ``unmasked`` is for entry forms only; every view and export passes False."""
    if value_type == TEXT:
        return Reading(None, False, value_text or "—")
    if value_type == BOOLEAN:
        if value is None:
            return Reading(None, False, "—")
        return Reading(Decimal(value), False, YES if value else NO)
    is_count = value_type == NUMBER and not unmasked
    shown = mask_count(value, threshold, is_count=is_count)
    if shown.value is not None:
        return Reading(shown.value, False, format_number(shown.value))
    return shown


# --- direction: what "better" means -----------------------------------------------------------


def achievement_for(
    value: Decimal, target: Decimal, baseline: Decimal | None = None, direction: str = HIGHER
) -> Decimal | None:
    """Achievement in percent, honouring the direction.

    With a baseline, the share of the way from baseline to target (``achievement``), which
    serves both directions. Without one, "higher is better" is value / target and "lower is
    better" target / value (a value at or under the target reaches 100 % or more).
    """
    if baseline is not None or direction != LOWER:
        return achievement(value, target, baseline)
    if value == 0:
        return Decimal("100.0") if target >= 0 else None
    if value < 0 or target < 0:
        return None
    return (target / value * 100).quantize(Decimal("0.1"))


def target_met(value: Decimal, target: Decimal, direction: str = HIGHER) -> bool:
    return value <= target if direction == LOWER else value >= target


def trend_verdict(direction_of_change: str, direction: str = HIGHER) -> str:
    """ "better", "worse" or "flat": a rise is good news only when higher is better."""
    if direction_of_change == "flat":
        return "flat"
    good = "down" if direction == LOWER else "up"
    return "better" if direction_of_change == good else "worse"


TREND_LABELS = {"up": "en hausse", "down": "en baisse", "flat": "stable"}
VERDICT_LABELS = {"better": "favorable", "worse": "défavorable", "flat": "sans changement"}
