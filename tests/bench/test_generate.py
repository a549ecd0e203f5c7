"""bench/generate.py at its tiny scale: deterministic, audited, refuses to mix datasets."""

from __future__ import annotations

import importlib.util
import sys
from collections import Counter
from pathlib import Path
from types import ModuleType

import click
import pytest
from django.db import models, transaction

from copil.audit.models import AuditEntry
from copil.conventions.models import Convention
from copil.plan.models import Action, Indicator

SCRIPT = Path(__file__).resolve().parents[2] / "bench" / "generate.py"


def _script() -> ModuleType:
    """bench/ is not a package: load the script by path, once."""
    if "bench_generate" not in sys.modules:
        spec = importlib.util.spec_from_file_location("bench_generate", SCRIPT)
        module = importlib.util.module_from_spec(spec)
        sys.modules["bench_generate"] = module  # dataclasses look their module up
        spec.loader.exec_module(module)
    return sys.modules["bench_generate"]


def _generate_and_roll_back(seed: int) -> tuple[dict, list, list, list]:
    """Run the generator in a savepoint, read what it wrote, then undo it."""
    with transaction.atomic():
        counts = dict(_script().generate("tiny", seed, progress=False))
        conventions = list(
            Convention.objects.order_by("title").values_list("title", "kind", "effective_date")
        )
        actions = list(
            Action.objects.order_by("plan__convention__title", "position").values_list(
                "number", "title", "start_date", "status"
            )
        )
        indicators = list(
            Indicator.objects.order_by("action__title", "position", "label").values_list(
                "label", "kind"
            )
        )
        transaction.set_rollback(True)
    return counts, conventions, actions, indicators


@pytest.mark.django_db
def test_same_seed_gives_the_same_dataset():
    first = _generate_and_roll_back(42)
    assert Convention.objects.count() == 0  # really rolled back
    assert first == _generate_and_roll_back(42)
    counts, conventions, actions, _ = first
    assert counts["Convention"] == len(conventions) == 2
    assert counts["Action"] == len(actions) > 0


@pytest.mark.django_db
def test_another_seed_gives_other_titles():
    assert _generate_and_roll_back(42)[2] != _generate_and_roll_back(7)[2]


@pytest.mark.django_db
def test_one_audit_entry_summarises_the_run():
    counts = _script().generate("tiny", 42, progress=False)
    entry = AuditEntry.objects.get()
    assert entry.actor_label == "bench/generate.py"
    assert entry.changes["Convention"] == counts["Convention"] == 2
    assert Convention.objects.count() == 2


@pytest.mark.django_db
def test_refuses_to_add_to_existing_data():
    script = _script()
    script.generate("tiny", 42, progress=False)
    with pytest.raises(click.ClickException):
        script.generate("tiny", 42, progress=False)


@pytest.mark.django_db
def test_meetings_always_measurements_on_request():
    from copil.governance.models import Attendee, Decision, Meeting
    from copil.monitoring.models import Measurement

    counts = _script().generate("tiny", 42, progress=False)
    assert counts["Meeting"] == Meeting.objects.count() > 0
    assert Attendee.objects.exists() and Decision.objects.exists()
    assert not Meeting.objects.exclude(convention=models.F("body__convention")).exists()
    assert Measurement.objects.count() == 0


def _measurements(seed: int) -> list:
    from copil.monitoring.models import Measurement

    with transaction.atomic():
        counts = _script().generate("tiny", seed, progress=False, measurements=True)
        rows = list(
            Measurement.objects.order_by(
                "indicator__action__title", "indicator__position", "period", "territory__name"
            ).values_list("indicator__label", "period", "territory__name", "value", "status")
        )
        transaction.set_rollback(True)
    assert counts["Measurement"] == len(rows) > 0
    return rows


@pytest.mark.django_db
def test_measurements_are_deterministic_valid_and_mostly_validated():
    from copil.core.periods import parse_period
    from copil.monitoring.models import IndicatorTarget, Measurement

    rows = _measurements(42)
    assert rows == _measurements(42)
    assert rows != _measurements(7)
    with transaction.atomic():
        _script().generate("tiny", 42, progress=False, measurements=True)
        assert IndicatorTarget.objects.exists()
        for m in Measurement.objects.all():
            period = parse_period(m.period)
            assert (m.period_start, m.period_end) == (period.start, period.end)
            assert (m.status == "validated") == (m.validated_at is not None)
        statuses = Counter(Measurement.objects.values_list("status", flat=True))
        assert statuses["validated"] > statuses["submitted"] + statuses["draft"]
        transaction.set_rollback(True)


@pytest.mark.django_db
def test_measurements_leave_the_rest_of_the_dataset_alone():
    """--measurements adds rows; the plan, its indicators and the meetings are unchanged."""
    without = _generate_and_roll_back(42)
    with transaction.atomic():
        counts = dict(_script().generate("tiny", 42, progress=False, measurements=True))
        actions = list(
            Action.objects.order_by("plan__convention__title", "position").values_list(
                "number", "title", "start_date", "status"
            )
        )
        transaction.set_rollback(True)
    assert actions == without[2]
    assert {k: v for k, v in counts.items() if k not in ("IndicatorTarget", "Measurement")} == (
        without[0]
    )
