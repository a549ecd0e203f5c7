"""The demo convention (2019-2022, CD67-CAF67) imported from its document, with a year of
follow-up: measurements of an indicator of action 5.3 (one below the secrecy threshold),
a steering committee in 2020 with decisions on actions 5.1 and 8.3, a note, a milestone."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path

import pytest

from copil.audit.context import Actor, acting_as
from copil.institutions.enums import TerritoryKind
from copil.institutions.models import Territory
from tests.factories import (
    DecisionFactory,
    FollowUpNoteFactory,
    GovernanceBodyFactory,
    IndicatorTargetFactory,
    MeasurementFactory,
    MeetingFactory,
    MilestoneFactory,
    UserFactory,
)

DOCUMENT = (
    Path(__file__).resolve().parent.parent
    / "fixtures"
    / "documents"
    / "convention-cd67-caf67-2019-2022.txt"
)
DECISION_51 = "Le comité prolonge l'expérimentation de l'action 5.1 jusqu'en 2021."
DECISION_83 = "Le fonds énergie est porté à 200 000 euros en 2021."
MILESTONE_REACHED = "Ouverture du guichet unique"
MILESTONE_LATE = "Signature de la charte qualité"
NOTE_53 = "Trois relais petite enfance ont ouvert des permanences."


@dataclass
class Demo:
    convention: object
    actions: dict
    indicator: object  # of action 5.3, measured
    steering: object
    technical: object


@pytest.fixture
def demo(db) -> Demo:
    from copil.conventions import services as convention_services
    from copil.importers.api import parse_file, sha256_of
    from copil.plan import services as plan_services
    from copil.plan.models import Action

    with acting_as(Actor(label="tests")):
        result = plan_services.import_document(
            parse_file(DOCUMENT),
            source_name=DOCUMENT.name,
            source_sha256=sha256_of(DOCUMENT.read_bytes()),
        )
        convention = convention_services.update_convention(
            result.convention, effective_date=dt.date(2019, 7, 1)
        )
        actions = {a.number: a for a in Action.objects.filter(plan__convention=convention)}
        # Today's status: the review compares it with the end of 2019 (from the history).
        plan_services.update_action(actions["5.3"], status="in_progress", progress=40)
    indicator = actions["5.3"].indicators.first()
    assert indicator is not None, "action 5.3 of the demo document has indicators"
    MeasurementFactory(
        indicator=indicator,
        period="2019",
        value=Decimal(30),
        period_start=dt.date(2019, 1, 1),
        period_end=dt.date(2019, 12, 31),
    )
    MeasurementFactory(indicator=indicator, period="2020", value=Decimal(55))
    IndicatorTargetFactory(indicator=indicator, year=2020, value=Decimal(60))
    for name, value in (("Nord", 12), ("Sud", 3), ("Ouest", 40)):
        territory = Territory.objects.create(kind=TerritoryKind.ACTION_TERRITORY, name=name)
        MeasurementFactory(indicator=indicator, territory=territory, value=Decimal(value))
    steering = GovernanceBodyFactory(convention=convention, kind="steering")
    technical = GovernanceBodyFactory(
        convention=convention, kind="technical", name="Comité technique"
    )
    meeting = MeetingFactory(body=steering, date=dt.date(2020, 11, 20))
    DecisionFactory(meeting=meeting, text=DECISION_51).actions.add(actions["5.1"])
    DecisionFactory(meeting=meeting, kind="arbitration", text=DECISION_83, position=1).actions.add(
        actions["8.3"]
    )
    MeetingFactory(body=technical, date=dt.date(2021, 2, 2))
    FollowUpNoteFactory(
        action=actions["5.3"],
        date=dt.date(2020, 6, 15),
        text=NOTE_53,
        author=UserFactory(username="redacteur"),
    )
    MilestoneFactory(
        action=actions["5.3"],
        label=MILESTONE_REACHED,
        due_date=dt.date(2020, 6, 30),
        reached_on=dt.date(2020, 9, 1),
    )
    MilestoneFactory(action=actions["5.3"], label=MILESTONE_LATE, due_date=dt.date(2020, 10, 31))
    return Demo(convention, actions, indicator, steering, technical)
