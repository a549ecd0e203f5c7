"""A convention with indicators of every kind, territories and measurements."""

from __future__ import annotations

from decimal import Decimal

from copil.institutions.enums import TerritoryKind
from copil.institutions.models import Territory
from copil.plan.enums import IndicatorValueType
from tests.factories import IndicatorFactory


def territories():
    return {
        name: Territory.objects.get_or_create(kind=TerritoryKind.ACTION_TERRITORY, name=name)[0]
        for name in ("Nord", "Ouest", "Sud", "Eurométropole")
    } | {"Saverne": Territory.objects.get_or_create(kind=TerritoryKind.EPCI, name="Saverne")[0]}


def indicators_of(action):
    """A count broken down by action territory, a percentage, a yes/no and a text."""
    return {
        "count": IndicatorFactory(
            action=action,
            label="Nombre de familles accompagnées",
            value_type=IndicatorValueType.NUMBER,
            unit="familles",
            breakdown=TerritoryKind.ACTION_TERRITORY,
            baseline=Decimal("10"),
            position=0,
        ),
        "rate": IndicatorFactory(
            action=action,
            label="Taux de non-recours",
            value_type=IndicatorValueType.PERCENTAGE,
            unit="%",
            direction="lower",
            position=1,
        ),
        "yes_no": IndicatorFactory(
            action=action,
            label="Schéma adopté",
            value_type=IndicatorValueType.BOOLEAN,
            position=2,
        ),
        "text": IndicatorFactory(
            action=action,
            label="Appréciation qualitative",
            value_type=IndicatorValueType.TEXT,
            position=3,
        ),
    }
