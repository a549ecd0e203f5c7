"""Reads of indicator monitoring, each a fixed number of queries.

Selectors never decide who sees what (callers pass objects that went through
copil.accounts.perms); they do decide how values are shown: every value goes through
copil.core.indicators.reading, which masks small counts (statistical secrecy).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, F, Prefetch, QuerySet

from copil.conventions.models import Convention
from copil.core.indicators import (
    TREND_LABELS,
    VERDICT_LABELS,
    Reading,
    achievement_for,
    format_number,
    reading,
    target_met,
    trend,
    trend_verdict,
)
from copil.core.periods import period_sort_key
from copil.monitoring.enums import MeasurementStatus
from copil.monitoring.models import IndicatorTarget, Measurement
from copil.plan.enums import IndicatorValueType
from copil.plan.models import Action, Indicator

NUMERIC = (IndicatorValueType.NUMBER, IndicatorValueType.PERCENTAGE)


def show(measurement: Measurement, threshold: int) -> Reading:
    """The one way a stored measurement is shown outside entry forms."""
    return reading(
        measurement.value,
        measurement.value_text,
        value_type=measurement.indicator.value_type,
        threshold=threshold,
    )


def indicator_queryset() -> QuerySet[Indicator]:
    """An indicator with what its pages show around it: one query."""
    return Indicator.objects.filter(action__deleted_at__isnull=True).select_related(
        "action__orientation__theme", "action__plan__convention"
    )


def _latest(measurements: Iterable[Measurement]) -> Measurement | None:
    """The measurement of the most recent period (a whole year before its quarters)."""
    best = None
    for m in measurements:
        if best is None or (m.period_end, -m.period_start.toordinal()) > (
            best.period_end,
            -best.period_start.toordinal(),
        ):
            best = m
    return best


# --- the indicator page ---------------------------------------------------------------------


@dataclass(frozen=True)
class MeasurementLine:
    measurement: Measurement
    shown: Reading

    @property
    def status_label(self) -> str:
        return self.measurement.get_status_display()


@dataclass(frozen=True)
class TargetLine:
    target: IndicatorTarget
    target_text: str
    measurement: Measurement | None
    shown: Reading | None
    achievement: Decimal | None  # percent; None when unknown or masked
    met: bool | None

    @property
    def achievement_text(self) -> str:
        if self.shown is None:
            return "pas encore mesuré"
        if self.shown.masked:
            return "non communiqué (secret statistique)"
        if self.achievement is None:
            return "—"
        return f"{format_number(self.achievement)} %"


@dataclass(frozen=True)
class Trend:
    text: str  # "en hausse, favorable"
    direction: str  # up / down / flat
    verdict: str  # better / worse / flat


@dataclass
class IndicatorPage:
    indicator: Indicator
    threshold: int
    measurements: list[MeasurementLine] = field(default_factory=list)
    targets: list[TargetLine] = field(default_factory=list)
    chart_bars: list[tuple[str, Decimal, str]] = field(default_factory=list)
    chart_title: str = ""
    trend: Trend | None = None


def indicator_page(indicator: Indicator, *, threshold: int) -> IndicatorPage:
    """Targets with their achievement, the measurements, the chart's bars and the trend.
    Two queries (targets, measurements), whatever their number."""
    measurements = list(
        Measurement.objects.filter(indicator=indicator)
        .select_related("territory", "validated_by", "entered_by")
        .order_by("period_start", "-period_end", F("territory__name").asc(nulls_first=True), "pk")
    )
    for m in measurements:
        m.indicator = indicator  # no query back to the indicator
    targets = list(
        IndicatorTarget.objects.filter(indicator=indicator)
        .select_related("territory")
        .order_by("year", F("territory__name").asc(nulls_first=True), "pk")
    )
    page = IndicatorPage(indicator=indicator, threshold=threshold)
    page.measurements = [MeasurementLine(m, show(m, threshold)) for m in measurements]
    by_key = {(m.period, m.territory_id): m for m in measurements}
    numeric = indicator.value_type in NUMERIC
    for target in targets:
        m = by_key.get((str(target.year), target.territory_id))
        shown = show(m, threshold) if m is not None else None
        value_ok = shown is not None and not shown.masked and m.value is not None and numeric
        page.targets.append(
            TargetLine(
                target=target,
                target_text=format_number(target.value),
                measurement=m,
                shown=shown,
                achievement=(
                    achievement_for(m.value, target.value, indicator.baseline, indicator.direction)
                    if value_ok
                    else None
                ),
                met=target_met(m.value, target.value, indicator.direction) if value_ok else None,
            )
        )
    if numeric:
        _chart(page, measurements, threshold)
    return page


def _chart(page: IndicatorPage, measurements: list[Measurement], threshold: int) -> None:
    """Bars of the overall measurements by period; with none, the latest period by
    territory. Masked values get no bar length (only their "< 5" label)."""
    overall = [m for m in measurements if m.territory_id is None]
    if overall:
        chosen = sorted(overall, key=lambda m: period_sort_key(m.period))
        page.chart_title = "Évolution de l'indicateur par période"
        labels = [m.period for m in chosen]
    else:
        latest = _latest(measurements)
        if latest is None:
            return
        chosen = [m for m in measurements if m.period == latest.period]
        page.chart_title = f"Valeurs par territoire, période {latest.period}"
        labels = [m.territory.name for m in chosen]
    bars = []
    for label, m in zip(labels, chosen, strict=True):
        shown = show(m, threshold)
        length = shown.value if shown.value is not None and shown.value > 0 else Decimal(0)
        bars.append((label, length, shown.text))
    page.chart_bars = bars
    if overall:
        visible = [show(m, threshold) for m in chosen]
        if len(visible) >= 2 and not (visible[-1].masked or visible[-2].masked):
            values = [r.value for r in visible[-2:]]
            change = trend(values)
            verdict = trend_verdict(change, page.indicator.direction)
            text = TREND_LABELS[change]
            if change != "flat":
                text += f", {VERDICT_LABELS[verdict]}"
            page.trend = Trend(text=text, direction=change, verdict=verdict)


# --- the convention's indicators page --------------------------------------------------------


@dataclass(frozen=True)
class IndicatorRow:
    indicator: Indicator
    latest: Measurement | None
    shown: Reading | None


@dataclass(frozen=True)
class ActionIndicators:
    action: Action
    rows: list[IndicatorRow]


@dataclass(frozen=True)
class PeriodCount:
    period: str
    count: int


@dataclass
class ConventionIndicators:
    actions: list[ActionIndicators]
    to_validate: list[PeriodCount]  # periods with submitted measurements
    validated: list[PeriodCount]  # periods with validated measurements (to reopen)
    drafts: int


def latest_readings(indicators: Iterable[Indicator], threshold: int) -> dict[int, IndicatorRow]:
    """The latest overall (no territory) measurement of each indicator, shown. One query."""
    indicators = list(indicators)
    by_indicator: dict[int, list[Measurement]] = defaultdict(list)
    for m in Measurement.objects.filter(indicator__in=indicators, territory__isnull=True):
        by_indicator[m.indicator_id].append(m)
    rows = {}
    for indicator in indicators:
        latest = _latest(by_indicator.get(indicator.pk, ()))
        if latest is not None:
            latest.indicator = indicator
        rows[indicator.pk] = IndicatorRow(
            indicator, latest, show(latest, threshold) if latest else None
        )
    return rows


def convention_indicators(convention: Convention) -> ConventionIndicators:
    """Actions (live, in plan order) with their indicators and latest values; the periods
    that have measurements to validate or validated. Four queries."""
    actions = list(
        Action.objects.alive()
        .filter(plan__convention=convention)
        .prefetch_related(Prefetch("indicators", queryset=Indicator.objects.order_by("position")))
        .order_by("position")
    )
    indicators = [i for a in actions for i in a.indicators.all()]
    latest = latest_readings(indicators, convention.secrecy_threshold)
    counts = (
        Measurement.objects.filter(
            indicator__action__plan__convention=convention,
            indicator__action__deleted_at__isnull=True,
        )
        .values("period", "status")
        .annotate(n=Count("pk"))
    )
    per_status: dict[str, dict[str, int]] = defaultdict(dict)
    for row in counts:
        per_status[row["status"]][row["period"]] = row["n"]

    def listing(status: str) -> list[PeriodCount]:
        found = per_status.get(status, {})
        return [PeriodCount(p, found[p]) for p in sorted(found, key=period_sort_key)]

    return ConventionIndicators(
        actions=[
            ActionIndicators(a, [latest[i.pk] for i in a.indicators.all()])
            for a in actions
            if a.indicators.all()
        ],
        to_validate=listing(MeasurementStatus.SUBMITTED),
        validated=listing(MeasurementStatus.VALIDATED),
        drafts=sum(per_status.get(MeasurementStatus.DRAFT, {}).values()),
    )


# --- reminders ------------------------------------------------------------------------------


@dataclass(frozen=True)
class PeriodToFill:
    indicator: Indicator
    year: int
    territory_name: str = ""

    @property
    def action(self) -> Action:
        return self.indicator.action


def measurements_to_fill(convention: Convention, on: dt.date) -> list[PeriodToFill]:
    """Targets of years that have ended (31 December before ``on``) with no measurement
    in that year: for a target on a territory, none on that territory; for an overall
    target, none at all. Indicators of live actions only. Two queries."""
    targets = list(
        IndicatorTarget.objects.filter(
            indicator__action__plan__convention=convention,
            indicator__action__deleted_at__isnull=True,
            year__lt=on.year,
        )
        .select_related("indicator__action", "territory")
        .order_by("indicator__action__position", "indicator__position", "year", "pk")
    )
    if not targets:
        return []
    measured = set(
        Measurement.objects.filter(indicator__in={t.indicator_id for t in targets}).values_list(
            "indicator_id", "period_start__year", "territory_id"
        )
    )
    any_territory = {(i, y) for i, y, _t in measured}
    missing = []
    for target in targets:
        if target.territory_id is None:
            filled = (target.indicator_id, target.year) in any_territory
        else:
            filled = (target.indicator_id, target.year, target.territory_id) in measured
        if not filled:
            missing.append(
                PeriodToFill(
                    target.indicator,
                    target.year,
                    target.territory.name if target.territory else "",
                )
            )
    return missing
