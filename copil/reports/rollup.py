"""National roll-up: one line of figures per Département, over all its conventions, for a year.

A convention belongs to the Département of its territory: the Département itself, or the
Département above its territory (an EPCI, an action territory, a UTAMS...). Conventions
with no such territory make a last line, "Sans département".

For the year YEAR, per Département:

- conventions: not deleted, taking effect on or before 31 December YEAR;
- their fiches action (not deleted), in all and per status;
- the validated measurements of their indicators whose period lies within YEAR, and the
  sum of those of the count indicators (type "nombre");
- achievement: over the count indicators with a target for YEAR (for the whole convention,
  not per territory) and at least one validated measurement in YEAR, the sum of their
  measurements against the sum of their targets (copil.core.indicators.achievement).

The sums assume that an indicator's measurements do not overlap (a year and its
quarters, or a total and its per-territory breakdown, would be counted twice).

Statistical secrecy: the sum of counts is a count of people; below the highest secrecy
threshold of the Département's conventions it is masked
(copil.core.indicators.mask_count), and so is the achievement, which would give it away.

Memory stays bounded whatever the number of measurements: everything is aggregated by
the database, a few queries per Département, and the lines are yielded one at a time.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db.models import Count, Exists, Max, OuterRef, Q, QuerySet, Sum

from copil.conventions.models import Convention
from copil.core.indicators import DEFAULT_SECRECY_THRESHOLD, Reading, achievement, mask_count
from copil.institutions.enums import TerritoryKind
from copil.institutions.models import Territory
from copil.monitoring.enums import MeasurementStatus
from copil.monitoring.models import IndicatorTarget, Measurement
from copil.plan.enums import ActionStatus, IndicatorValueType
from copil.plan.models import Action

NO_DEPARTEMENT = "Sans département"
STATUSES: tuple[tuple[str, str], ...] = tuple(ActionStatus.choices)


@dataclass(frozen=True)
class DepartementFigures:
    code: str
    name: str
    conventions: int
    actions: int
    actions_by_status: tuple[int, ...]  # in the order of STATUSES
    measurements: int  # validated, in the year
    counted: Reading  # sum of the validated counts, masked below the threshold
    target: Decimal | None  # sum of the targets the achievement is measured against
    achievement: Reading  # percent; masked with the counts
    threshold: int


def departements() -> QuerySet[Territory]:
    return Territory.objects.filter(kind=TerritoryKind.DEPARTEMENT).order_by("code", "name")


def _in_departement(departement: Territory | None) -> Q:
    if departement is None:
        below = Q(territory__kind=TerritoryKind.DEPARTEMENT)
        for depth in ("parent__", "parent__parent__"):
            below |= Q(**{f"territory__{depth}kind": TerritoryKind.DEPARTEMENT})
        return ~below | Q(territory__isnull=True)
    return (
        Q(territory=departement)
        | Q(territory__parent=departement)
        | Q(territory__parent__parent=departement)
    )


def rollup(year: int, groups: list[Territory | None] | None = None) -> Iterator[DepartementFigures]:
    """The figures of each Département of ``groups`` (default: every Département, then the
    conventions without one), one at a time. 5 queries each."""
    if groups is None:
        groups = [*departements(), None]
    for departement in groups:
        yield figures(year, departement)


def has_conventions_without_departement() -> bool:
    return Convention.objects.filter(deleted_at__isnull=True).filter(_in_departement(None)).exists()


def figures(year: int, departement: Territory | None) -> DepartementFigures:
    start, end = dt.date(year, 1, 1), dt.date(year, 12, 31)
    conventions = Convention.objects.filter(deleted_at__isnull=True, effective_date__lte=end)
    conventions = conventions.filter(_in_departement(departement))
    convention_figures = conventions.aggregate(n=Count("pk"), threshold=Max("secrecy_threshold"))
    threshold = convention_figures["threshold"] or DEFAULT_SECRECY_THRESHOLD
    ids = conventions.values("pk")

    actions = Action.objects.filter(deleted_at__isnull=True, plan__convention__in=ids)
    by_status = dict(actions.order_by().values_list("status").annotate(n=Count("pk")))

    validated = Measurement.objects.filter(
        status=MeasurementStatus.VALIDATED, period_start__gte=start, period_end__lte=end
    )
    measured = validated.filter(
        indicator__action__deleted_at__isnull=True, indicator__action__plan__convention__in=ids
    ).aggregate(
        n=Count("pk"),
        counted=Sum("value", filter=Q(indicator__value_type=IndicatorValueType.NUMBER)),
    )

    targeted = IndicatorTarget.objects.filter(
        Exists(validated.filter(indicator=OuterRef("indicator"))),
        year=year,
        territory__isnull=True,
        indicator__value_type=IndicatorValueType.NUMBER,
        indicator__action__deleted_at__isnull=True,
        indicator__action__plan__convention__in=ids,
    )
    target = targeted.aggregate(total=Sum("value"))["total"]
    reached = validated.filter(indicator__in=targeted.values("indicator"))
    reached = reached.aggregate(total=Sum("value"))["total"]

    counted = mask_count(measured["counted"], threshold)
    rate = None
    if target is not None and reached is not None:
        rate = achievement(reached, target)
    if counted.masked:
        shown = Reading(None, True, counted.text)
    else:
        shown = mask_count(rate, threshold, is_count=False)
    return DepartementFigures(
        code=departement.code if departement else "",
        name=departement.name if departement else NO_DEPARTEMENT,
        conventions=convention_figures["n"],
        actions=sum(by_status.values()),
        actions_by_status=tuple(by_status.get(value, 0) for value, _label in STATUSES),
        measurements=measured["n"],
        counted=counted,
        target=target,
        achievement=shown,
        threshold=threshold,
    )


HEADERS: tuple[str, ...] = (
    "Code",
    "Département",
    "Conventions",
    "Fiches action",
    *(f"Actions : {label.lower()}" for _value, label in STATUSES),
    "Mesures validées",
    "Total des comptages validés",
    "Cible des comptages",
    "Réalisation (%)",
    "Seuil du secret statistique",
)


def _number(value: Decimal | None) -> str:
    return "" if value is None else f"{value.normalize():f}".replace(".", ",")


def _reading(reading: Reading) -> str:
    return "" if reading.value is None and not reading.masked else reading.text


def csv_cells(line: DepartementFigures) -> list[str]:
    """One CSV line: French decimal commas; masked cells read "< 5"."""
    return [
        line.code,
        line.name,
        str(line.conventions),
        str(line.actions),
        *(str(n) for n in line.actions_by_status),
        str(line.measurements),
        _reading(line.counted),
        _number(line.target),
        ""
        if line.achievement.value is None and not line.achievement.masked
        else line.achievement.text,
        str(line.threshold),
    ]
