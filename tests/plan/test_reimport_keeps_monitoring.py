"""A re-import never loses what people entered in copil: indicators and milestones are
matched by label (targets, measurements, the day a milestone was reached survive), and a
document that drops an indicator holding data is refused, changing nothing."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from copil.importers.model import IndicatorItem, MilestoneItem
from copil.monitoring.models import Measurement
from copil.plan.models import Action, Indicator, Milestone
from copil.plan.services import MonitoringDataError, import_document
from tests.factories import IndicatorTargetFactory, MeasurementFactory
from tests.plan.test_import_service import make_document

pytestmark = pytest.mark.django_db


def _document(indicators=("Nombre de familles", "Nombre de Mam"), milestone="Lancement"):
    doc = make_document()
    action = doc.actions()[0]
    action.indicators = [IndicatorItem(label, "output") for label in indicators]
    action.milestones = [MilestoneItem(milestone, dt.date(2020, 3, 31))]
    return doc


@pytest.fixture
def stored():
    return import_document(_document(), source_name="v1.md", source_sha256="a" * 64).convention


def _apply(doc, sha="b"):
    return import_document(doc, source_name="v2.md", source_sha256=sha * 64, apply_changes=True)


def test_measurements_targets_and_reached_milestones_survive_a_reimport(stored):
    indicator = Indicator.objects.get(label="Nombre de Mam")
    MeasurementFactory(indicator=indicator, value=Decimal("12"))
    IndicatorTargetFactory(indicator=indicator, year=2020, value=Decimal("20"))
    Milestone.objects.filter(label="Lancement").update(reached_on=dt.date(2020, 3, 1))
    changed = _document(indicators=("Nombre de Mam", "Nombre de familles", "Nouveau"))
    assert _apply(changed).applied
    kept = Indicator.objects.get(label="Nombre de Mam")
    assert kept.pk == indicator.pk and kept.position == 0
    assert kept.measurements.get().value == Decimal("12") and kept.targets.count() == 1
    assert Milestone.objects.get(label="Lancement").reached_on == dt.date(2020, 3, 1)
    assert Indicator.objects.filter(label="Nouveau").exists()


def test_dropping_an_indicator_without_data_deletes_it(stored):
    assert _apply(_document(indicators=("Nombre de Mam",))).applied
    assert not Indicator.objects.filter(label="Nombre de familles").exists()


def test_dropping_an_indicator_with_measurements_is_refused_and_changes_nothing(stored):
    indicator = Indicator.objects.get(label="Nombre de Mam")
    MeasurementFactory(indicator=indicator)
    before = Action.objects.get(number=indicator.action.number).version
    with pytest.raises(MonitoringDataError, match="Nombre de Mam"):
        _apply(_document(indicators=("Nombre de familles",)))
    assert Indicator.objects.filter(pk=indicator.pk).exists()
    assert Measurement.objects.count() == 1
    assert Action.objects.get(number=indicator.action.number).version == before


def test_dropping_an_action_whose_indicator_has_measurements_is_refused(stored):
    indicator = Indicator.objects.get(label="Nombre de Mam")
    MeasurementFactory(indicator=indicator)
    doc = _document()
    for theme in doc.themes:
        for orientation in theme.orientations:
            orientation.actions = [
                a for a in orientation.actions if a.number != indicator.action.number
            ]
    with pytest.raises(MonitoringDataError):
        _apply(doc)
    assert Measurement.objects.count() == 1
