"""Indicator arithmetic: progress against a target, trend, statistical secrecy.

Statistical secrecy: a count below the convention's threshold (5 by default) may
identify people, so it is masked in anything published. Masking is decided here once,
for every view and export, instead of in each template.
"""

from __future__ import annotations

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
