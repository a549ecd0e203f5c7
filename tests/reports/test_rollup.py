"""The national roll-up: one line per Département, aggregated by the database, secrecy applied."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from click.testing import CliRunner

from copil.cli import cli
from copil.institutions.models import Territory
from copil.reports import rollup
from tests.factories import (
    ActionFactory,
    ConventionFactory,
    IndicatorFactory,
    IndicatorTargetFactory,
    MeasurementFactory,
    PlanFactory,
)

pytestmark = pytest.mark.django_db

VALIDATED = {"status": "validated", "validated_at": dt.datetime(2021, 1, 15, tzinfo=dt.UTC)}


def _quarter(indicator, q, value, year=2020, **extra):
    start = dt.date(year, 3 * q - 2, 1)
    end = dt.date(year, 3 * q, 28)
    fields = {**VALIDATED, **extra}
    return MeasurementFactory(
        indicator=indicator,
        period=f"{year}-T{q}",
        period_start=start,
        period_end=end,
        value=Decimal(value),
        **fields,
    )


def _action(convention, status="in_progress"):
    plan = getattr(convention, "plan", None) or PlanFactory(convention=convention)
    action = ActionFactory(orientation__theme__plan=plan, status=status)
    return action


@pytest.fixture
def country():
    """Two Départements: the Bas-Rhin (a framework convention on the Département, a CTG on
    one of its EPCI) and the Haut-Rhin (one convention, small counts), and a convention
    without territory."""
    bas_rhin = Territory.objects.create(kind="departement", code="67", name="Bas-Rhin")
    haut_rhin = Territory.objects.create(kind="departement", code="68", name="Haut-Rhin")
    epci = Territory.objects.create(kind="epci", name="CC du Kochersberg", parent=bas_rhin)
    framework = ConventionFactory(territory=bas_rhin, effective_date=dt.date(2019, 7, 1))
    ctg = ConventionFactory(territory=epci, effective_date=dt.date(2020, 1, 1))
    later = ConventionFactory(territory=bas_rhin, effective_date=dt.date(2021, 1, 1))
    small = ConventionFactory(
        territory=haut_rhin, effective_date=dt.date(2018, 1, 1), secrecy_threshold=10
    )
    nowhere = ConventionFactory(territory=None, effective_date=dt.date(2018, 1, 1))

    a1 = _action(framework, "done")
    a2 = _action(framework, "late")
    a3 = _action(ctg, "late")
    _action(later, "planned")  # takes effect after 2020: not counted for 2020
    deleted = _action(ctg, "done")
    deleted.deleted_at = dt.datetime(2020, 6, 1, tzinfo=dt.UTC)
    deleted.save()

    count = IndicatorFactory(action=a1, value_type="number")
    IndicatorTargetFactory(indicator=count, year=2020, value=Decimal(200))
    for q, value in ((1, 40), (2, 60)):
        _quarter(count, q, value)
    _quarter(count, 3, 999, status="draft", validated_at=None)  # not validated
    _quarter(count, 1, 500, year=2019)  # another year
    unmeasured = IndicatorFactory(action=a2, value_type="number")
    IndicatorTargetFactory(indicator=unmeasured, year=2020, value=Decimal(1000))  # no measure
    share = IndicatorFactory(action=a3, value_type="percentage")
    _quarter(share, 1, "55.5")  # validated, but not a count
    on_deleted = IndicatorFactory(action=deleted, value_type="number")
    _quarter(on_deleted, 1, 77)

    few = IndicatorFactory(action=_action(small), value_type="number")
    IndicatorTargetFactory(indicator=few, year=2020, value=Decimal(10))
    _quarter(few, 1, 3)
    _quarter(IndicatorFactory(action=_action(nowhere), value_type="number"), 2, 12)
    return bas_rhin, haut_rhin


def _by_name(year=2020):
    return {line.name: line for line in rollup.rollup(year)}


def test_one_line_per_departement_over_all_its_conventions(country):
    lines = _by_name()
    assert list(lines) == ["Bas-Rhin", "Haut-Rhin", rollup.NO_DEPARTEMENT]
    bas_rhin = lines["Bas-Rhin"]
    assert bas_rhin.code == "67"
    assert bas_rhin.conventions == 2  # the framework and the CTG of its EPCI; not 2021's
    assert bas_rhin.actions == 3  # the deleted action aside
    statuses = dict(zip([v for v, _ in rollup.STATUSES], bas_rhin.actions_by_status, strict=True))
    assert statuses["done"] == 1 and statuses["late"] == 2 and statuses["planned"] == 0
    assert bas_rhin.measurements == 3  # 2 counts and 1 percentage, validated, in 2020
    assert bas_rhin.counted.value == Decimal(100) and not bas_rhin.counted.masked
    # achievement over the counted indicators with a target and a measure: 100 / 200
    assert bas_rhin.target == Decimal(200)
    assert bas_rhin.achievement.value == Decimal("50.0")


def test_the_year_chooses_the_measurements_and_the_conventions(country):
    bas_rhin = _by_name(2019)["Bas-Rhin"]
    assert bas_rhin.conventions == 1
    assert bas_rhin.measurements == 1 and bas_rhin.counted.value == Decimal(500)
    assert bas_rhin.target is None and bas_rhin.achievement.value is None


def test_small_counts_are_masked_with_the_conventions_threshold(country):
    haut_rhin = _by_name()["Haut-Rhin"]
    assert haut_rhin.threshold == 10
    assert haut_rhin.counted.masked and haut_rhin.counted.value is None
    assert haut_rhin.counted.text == "< 10"
    assert haut_rhin.achievement.masked  # 3 / 10 would give the count away
    cells = rollup.csv_cells(haut_rhin)
    assert "3" not in cells[-5:-1] and cells.count("< 10") == 2


def test_conventions_without_a_departement_make_the_last_line(country):
    nowhere = _by_name()[rollup.NO_DEPARTEMENT]
    assert nowhere.code == "" and nowhere.conventions == 1
    assert nowhere.counted.value == Decimal(12)
    assert rollup.has_conventions_without_departement()


@pytest.mark.parametrize("extra", [0, 20])
def test_a_fixed_number_of_queries_per_departement(country, django_assert_num_queries, extra):
    bas_rhin, _ = country
    indicator = IndicatorFactory(action=_action(ConventionFactory(territory=bas_rhin)))
    for k in range(extra):
        _quarter(indicator, 1 + k % 4, k, year=2010 + k // 4)
    with django_assert_num_queries(5):
        rollup.figures(2020, bas_rhin)


def test_copil_rollup_writes_a_csv(country, tmp_path):
    out = tmp_path / "rollup.csv"
    result = CliRunner().invoke(
        cli, ["rollup", "--year", "2020", "--output", str(out)], catch_exceptions=False
    )
    assert result.exit_code == 0, result.output
    text = out.read_text(encoding="utf-8")
    assert text.startswith("\ufeffCode;Département;Conventions;Fiches action;")
    lines = text.splitlines()
    assert len(lines) == 4
    assert lines[1].startswith("67;Bas-Rhin;2;3;")
    assert lines[1].endswith(";3;100;200;50;5")
    assert lines[2].endswith(";1;< 10;10;< 10;10")
    assert "3 ligne(s) écrite(s)" in result.output


def test_copil_rollup_to_stdout_and_refuses_a_bad_year(country):
    result = CliRunner().invoke(cli, ["rollup", "--year", "2020", "--no-progress"])
    assert result.exit_code == 0
    assert result.output.splitlines()[0].startswith("Code;Département;")
    bad = CliRunner().invoke(cli, ["rollup", "--year", "deux mille"])
    assert bad.exit_code != 0
