"""Indicators, targets and measurements are written by services, atomically and audited."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError

from copil.audit.models import AuditEntry
from copil.monitoring import selectors, services
from copil.monitoring.enums import MeasurementStatus
from copil.monitoring.models import IndicatorTarget, Measurement
from copil.monitoring.services import MeasurementInput, TargetInput
from tests.factories import (
    ActionFactory,
    IndicatorTargetFactory,
    MeasurementFactory,
    UserFactory,
)
from tests.monitoring.helpers import indicators_of, territories

pytestmark = pytest.mark.django_db


@pytest.fixture
def setup():
    action = ActionFactory()
    return action, indicators_of(action), territories()


def entries(obj, **filters):
    return AuditEntry.objects.filter(object_id=str(obj.pk), **filters)


def test_a_new_measurement_is_a_draft_and_audited(setup):
    action, ind, places = setup
    m, changed = services.save_measurement(
        ind["count"],
        MeasurementInput(period="2020-t1", value=Decimal(12), territory_id=places["Nord"].pk),
    )
    assert changed and m.status == MeasurementStatus.DRAFT
    assert (m.period, m.period_start, m.period_end) == (
        "2020-T1",
        dt.date(2020, 1, 1),
        dt.date(2020, 3, 31),
    )
    entry = entries(m).get()
    assert entry.action == "create"
    assert entry.convention_id == action.plan.convention_id


def test_saving_the_same_values_writes_nothing(setup):
    _, ind, _ = setup
    data = MeasurementInput(period="2020", value=Decimal("12.5"), source="SIAS")
    m, _ = services.save_measurement(ind["rate"], data)
    _, changed = services.save_measurement(ind["rate"], data, measurement=m)
    assert not changed
    assert entries(m).count() == 1


def test_a_second_measurement_for_the_same_period_is_refused(setup):
    _, ind, _ = setup
    services.save_measurement(ind["rate"], MeasurementInput(period="2020", value=Decimal(3)))
    with pytest.raises(ValidationError) as exc:
        services.save_measurement(ind["rate"], MeasurementInput(period="2020", value=Decimal(4)))
    assert "existe déjà" in str(exc.value)


def test_territory_must_be_of_the_breakdown_kind(setup):
    _, ind, places = setup
    with pytest.raises(ValidationError) as exc:
        services.save_measurement(
            ind["count"],
            MeasurementInput(period="2020", value=Decimal(9), territory_id=places["Saverne"].pk),
        )
    assert "ventilé par « Territoire d'action »" in str(exc.value)
    assert not Measurement.objects.exists()


def test_bad_period_and_missing_values_are_refused_in_french(setup):
    _, ind, _ = setup
    with pytest.raises(ValidationError, match="illisible"):
        services.save_measurement(ind["rate"], MeasurementInput(period="2020-T5", value=1))
    with pytest.raises(ValidationError, match="obligatoire"):
        services.save_measurement(ind["text"], MeasurementInput(period="2020", value_text=" "))
    with pytest.raises(ValidationError, match="oui"):
        services.save_measurement(ind["yes_no"], MeasurementInput(period="2020", value=2))


def test_submit_validate_lock_and_reopen_with_a_reason(setup):
    action, ind, _ = setup
    convention = action.plan.convention
    validator = UserFactory()
    m, _ = services.save_measurement(
        ind["rate"], MeasurementInput(period="2020", value=Decimal(30)), submit=True
    )
    draft, _ = services.save_measurement(
        ind["text"], MeasurementInput(period="2020", value_text="Bien")
    )
    assert m.status == MeasurementStatus.SUBMITTED
    assert services.validate_period(convention, "2020", by=validator) == 1
    m.refresh_from_db()
    draft.refresh_from_db()
    assert m.status == MeasurementStatus.VALIDATED and m.validated_by == validator
    assert m.validated_at is not None
    assert draft.status == MeasurementStatus.DRAFT  # drafts are not validated
    assert entries(m, message="validation de la période 2020").exists()

    with pytest.raises(services.MeasurementLocked, match="validée"):
        services.save_measurement(
            ind["rate"], MeasurementInput(period="2020", value=Decimal(31)), measurement=m
        )
    with pytest.raises(services.MeasurementLocked):
        services.submit_measurement(m)
    with pytest.raises(services.MeasurementLocked):
        services.delete_measurement(m)
    with pytest.raises(ValidationError, match="motif"):
        services.reopen_measurement(m, reason="  ")

    services.reopen_measurement(m, reason="erreur de saisie CAF")
    m.refresh_from_db()
    assert m.status == MeasurementStatus.SUBMITTED and m.validated_at is None
    assert entries(m, message="réouverture : erreur de saisie CAF").exists()
    services.save_measurement(
        ind["rate"], MeasurementInput(period="2020", value=Decimal(31)), measurement=m
    )


def test_reopen_a_whole_period(setup):
    action, ind, _ = setup
    convention = action.plan.convention
    for key in ("rate", "yes_no"):
        services.save_measurement(
            ind[key], MeasurementInput(period="2021", value=Decimal(1)), submit=True
        )
    assert services.validate_period(convention, "2021", by=None) == 2
    with pytest.raises(ValidationError, match="motif"):
        services.reopen_period(convention, "2021", reason="")
    assert services.reopen_period(convention, "2021", reason="révision des données") == 2
    assert set(Measurement.objects.values_list("status", flat=True)) == {"submitted"}
    with pytest.raises(ValidationError, match="rien à rouvrir"):
        services.reopen_period(convention, "2021", reason="encore")


def test_validation_of_one_convention_leaves_the_others(setup):
    action, ind, _ = setup
    other = MeasurementFactory(period="2020", status=MeasurementStatus.SUBMITTED)
    services.save_measurement(ind["rate"], MeasurementInput(period="2020", value=1), submit=True)
    services.validate_period(action.plan.convention, "2020", by=None)
    other.refresh_from_db()
    assert other.status == MeasurementStatus.SUBMITTED


def test_stale_measurement_is_refused(setup):
    _, ind, _ = setup
    m, _ = services.save_measurement(ind["rate"], MeasurementInput(period="2020", value=1))
    services.save_measurement(ind["rate"], MeasurementInput(period="2020", value=2), measurement=m)
    with pytest.raises(services.StaleMeasurementError):
        services.save_measurement(
            ind["rate"],
            MeasurementInput(period="2020", value=3),
            measurement=m,
            expected_version=1,
        )
    m.refresh_from_db()
    assert m.value == 2


def test_indicator_definition_and_targets_with_optimistic_concurrency(setup):
    _, ind, places = setup
    indicator = ind["count"]
    updated, changed = services.update_indicator(
        indicator,
        expected_version=1,
        unit="foyers",
        targets=[
            TargetInput(2020, Decimal(100)),
            TargetInput(2020, Decimal(30), places["Nord"].pk),
        ],
    )
    assert changed and updated.version == 2
    assert IndicatorTarget.objects.filter(indicator=indicator).count() == 2
    entry = entries(indicator).get()
    assert entry.changes["unit"] == ["familles", "foyers"]
    assert entry.changes["targets"][1] == ["2020 : 100", "2020 — Nord : 30"]
    with pytest.raises(services.StaleIndicatorError):
        services.update_indicator(indicator, expected_version=1, unit="x")
    # The same values again: no new version, no entry.
    _, changed = services.update_indicator(
        indicator,
        expected_version=2,
        unit="foyers",
        targets=[
            TargetInput(2020, Decimal("100.0")),
            TargetInput(2020, Decimal(30), places["Nord"].pk),
        ],
    )
    assert not changed and entries(indicator).count() == 1


def test_targets_on_a_territory_of_another_kind_are_refused(setup):
    _, ind, places = setup
    with pytest.raises(ValidationError, match="ventilé"):
        services.update_indicator(
            ind["count"], targets=[TargetInput(2020, Decimal(1), places["Saverne"].pk)]
        )
    with pytest.raises(ValidationError, match="Deux cibles"):
        services.update_indicator(
            ind["count"], targets=[TargetInput(2020, Decimal(1)), TargetInput(2020, Decimal(2))]
        )
    assert not IndicatorTarget.objects.exists()


def test_value_type_cannot_change_once_measured(setup):
    _, ind, _ = setup
    services.save_measurement(ind["rate"], MeasurementInput(period="2020", value=1))
    with pytest.raises(ValidationError, match="type de valeur"):
        services.update_indicator(ind["rate"], value_type="text")


def test_secrecy_threshold_is_audited(setup):
    action, _, _ = setup
    convention = action.plan.convention
    services.set_secrecy_threshold(convention, 10)
    convention.refresh_from_db()
    assert convention.secrecy_threshold == 10
    entry = AuditEntry.objects.get(message="seuil de secret statistique")
    assert entry.changes == {"secrecy_threshold": [5, 10]}
    with pytest.raises(ValidationError):
        services.set_secrecy_threshold(convention, 0)


def test_small_counts_are_masked_by_the_selectors(setup):
    action, ind, places = setup
    convention = action.plan.convention
    services.save_measurement(ind["count"], MeasurementInput(period="2019", value=20))
    services.save_measurement(ind["count"], MeasurementInput(period="2020", value=3))
    services.save_measurement(ind["rate"], MeasurementInput(period="2020", value=3))
    IndicatorTargetFactory(indicator=ind["count"], year=2020, value=50)
    page = selectors.indicator_page(ind["count"], threshold=convention.secrecy_threshold)
    assert [line.shown.text for line in page.measurements] == ["20", "< 5"]
    assert page.targets[0].achievement is None
    assert page.targets[0].achievement_text == "non communiqué (secret statistique)"
    assert [bar[2] for bar in page.chart_bars] == ["20", "< 5"]
    assert page.chart_bars[1][1] == 0  # no bar length that would give the value away
    assert page.trend is None
    rate = selectors.indicator_page(ind["rate"], threshold=5)
    assert rate.measurements[0].shown.text == "3"  # a percentage is never masked
    rows = selectors.latest_readings(ind.values(), 5)
    assert rows[ind["count"].pk].shown.text == "< 5"
    services.set_secrecy_threshold(convention, 3)
    rows = selectors.latest_readings(ind.values(), 3)
    assert rows[ind["count"].pk].shown.text == "3"


def test_achievement_honours_direction(setup):
    _, ind, _ = setup
    services.save_measurement(ind["rate"], MeasurementInput(period="2020", value=20))
    services.save_measurement(ind["rate"], MeasurementInput(period="2021", value=25))
    IndicatorTargetFactory(indicator=ind["rate"], year=2021, value=20)
    page = selectors.indicator_page(ind["rate"], threshold=5)
    line = page.targets[0]
    assert line.achievement == Decimal("80.0") and line.met is False
    assert page.trend.text == "en hausse, défavorable"


def test_measurements_to_fill(setup):
    action, ind, places = setup
    convention = action.plan.convention
    IndicatorTargetFactory(indicator=ind["rate"], year=2020, value=10)
    IndicatorTargetFactory(indicator=ind["rate"], year=2021, value=10)
    IndicatorTargetFactory(indicator=ind["count"], year=2020, value=10, territory=places["Nord"])
    IndicatorTargetFactory(indicator=ind["count"], year=2020, value=10, territory=places["Sud"])
    services.save_measurement(ind["rate"], MeasurementInput(period="2020-T2", value=1))
    services.save_measurement(
        ind["count"], MeasurementInput(period="2020", value=9, territory_id=places["Nord"].pk)
    )
    todo = selectors.measurements_to_fill(convention, dt.date(2022, 1, 1))
    assert [(t.indicator.label, t.year, t.territory_name) for t in todo] == [
        ("Nombre de familles accompagnées", 2020, "Sud"),
        ("Taux de non-recours", 2021, ""),
    ]
    assert selectors.measurements_to_fill(convention, dt.date(2021, 12, 31))[0].year == 2020
    assert len(selectors.measurements_to_fill(convention, dt.date(2021, 12, 31))) == 1
