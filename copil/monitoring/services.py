"""Every write of indicator monitoring: an indicator's definition and targets, measurements
(entered, submitted, validated per period, reopened with a reason), the convention's
secrecy threshold and the CSV import. Each function is one transaction that writes its
audit entries itself (copil.audit.services.record).

A validated measurement is locked: every function here refuses to change it
(MeasurementLocked) until someone reopens it, which records the reason in the history.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone

from copil.audit.models import AuditAction
from copil.audit.services import diff, record, snapshot
from copil.conventions.models import Convention
from copil.core.indicators import format_number
from copil.core.periods import PeriodError, parse_period
from copil.institutions.models import Territory
from copil.monitoring.enums import MeasurementStatus
from copil.monitoring.models import IndicatorTarget, Measurement
from copil.plan.enums import IndicatorValueType
from copil.plan.models import Indicator

#: The fields of an indicator's definition that users edit, in the order of the form.
INDICATOR_FIELDS = (
    "label",
    "kind",
    "value_type",
    "unit",
    "direction",
    "baseline",
    "baseline_year",
    "breakdown",
)
#: The fields of a measurement shown in the history.
MEASUREMENT_FIELDS = (
    "period",
    "territory_id",
    "value",
    "value_text",
    "source",
    "comment",
    "status",
    "validated_at",
    "validated_by_id",
)


FOUR = Decimal("0.0001")  # Measurement.value's decimal places, so equal values compare equal
TWO = Decimal("0.01")  # Indicator.baseline's


class MeasurementLocked(ValidationError):
    """The measurement is validated: nothing changes it before it is reopened."""

    def __init__(self, measurement: Measurement) -> None:
        super().__init__(
            f"La mesure de la période {measurement.period} est validée : elle ne peut plus "
            "être modifiée. Un administrateur ou un éditeur de la convention doit d'abord la "
            "rouvrir, en indiquant le motif."
        )
        self.measurement = measurement


class StaleIndicatorError(ValidationError):
    """Someone saved the indicator after the caller loaded it; nothing was written."""

    def __init__(self, current: Indicator) -> None:
        super().__init__(
            "Cet indicateur a été modifié par quelqu'un d'autre entre-temps "
            f"(version {current.version}). Rien n'a été enregistré : vérifiez ses valeurs "
            "actuelles puis enregistrez à nouveau."
        )
        self.current = current


class StaleMeasurementError(ValidationError):
    def __init__(self, current: Measurement) -> None:
        super().__init__(
            "Cette mesure a été modifiée par quelqu'un d'autre entre-temps "
            f"(version {current.version}). Rien n'a été enregistré."
        )
        self.current = current


def convention_id_of(indicator: Indicator) -> int:
    """The convention of an indicator; no query when its action's plan is loaded."""
    action = indicator.action
    return action.plan.convention_id


# --- an indicator's definition and targets --------------------------------------------------


@dataclass(frozen=True)
class TargetInput:
    year: int
    value: Decimal
    territory_id: int | None = None


def _territory_label(territory: Territory | None) -> str:
    return f" — {territory.name}" if territory is not None else ""


def _target_rows(indicator: Indicator) -> list[str]:
    return [
        f"{t.year}{_territory_label(t.territory)} : {format_number(t.value)}"
        for t in IndicatorTarget.objects.filter(indicator=indicator)
        .select_related("territory")
        .order_by("year", F("territory__name").asc(nulls_first=True), "id")
    ]


def _check_territory_kind(indicator: Indicator, territory: Territory | None, field: str) -> None:
    if territory is None or not indicator.breakdown:
        return
    if territory.kind != indicator.breakdown:
        raise ValidationError(
            {
                field: (
                    f"« {territory.name} » est un territoire de type "
                    f"« {territory.get_kind_display()} », alors que l'indicateur est ventilé "
                    f"par « {indicator.get_breakdown_display()} »."
                )
            }
        )


def _apply_targets(indicator: Indicator, targets: list[TargetInput]) -> None:
    territory_ids = {t.territory_id for t in targets if t.territory_id is not None}
    territories = Territory.objects.in_bulk(territory_ids)
    seen: set[tuple[int, int | None]] = set()
    for target in targets:
        key = (target.year, target.territory_id)
        if key in seen:
            where = (
                f" et le territoire « {territories[target.territory_id].name} »"
                if target.territory_id
                else ""
            )
            raise ValidationError(f"Deux cibles pour l'année {target.year}{where}.")
        seen.add(key)
        if target.territory_id is not None:
            if target.territory_id not in territories:
                raise ValidationError("Territoire inconnu.")
            _check_territory_kind(indicator, territories[target.territory_id], "breakdown")
    existing = {
        (t.year, t.territory_id): t for t in IndicatorTarget.objects.filter(indicator=indicator)
    }
    for key, target in existing.items():
        if key not in seen:
            target.delete()
    for target in targets:
        row = existing.get((target.year, target.territory_id))
        if row is None:
            row = IndicatorTarget(
                indicator=indicator, year=target.year, territory_id=target.territory_id
            )
        elif row.value == target.value:
            continue
        row.value = Decimal(target.value).quantize(FOUR)
        row.full_clean(validate_unique=False, validate_constraints=False)
        row.save()


@transaction.atomic
def update_indicator(
    indicator: Indicator,
    *,
    expected_version: int | None = None,
    targets: list[TargetInput] | None = None,
    **fields: Any,
) -> tuple[Indicator, bool]:
    """Update the definition (INDICATOR_FIELDS) and, when given, replace the targets by
    ``targets``. Returns (indicator, changed). Refuses a stale save (StaleIndicatorError),
    a change of value type once measured, and territories of another kind than the
    breakdown."""
    unknown = set(fields) - set(INDICATOR_FIELDS)
    if unknown:
        raise ValueError(f"not editable: {sorted(unknown)}")
    current = (
        Indicator.objects.select_for_update(of=("self",))
        .select_related("action__plan")
        .get(pk=indicator.pk)
    )
    if expected_version is not None and current.version != expected_version:
        raise StaleIndicatorError(current)
    before = snapshot(current, list(INDICATOR_FIELDS))
    if fields.get("baseline") is not None:
        fields["baseline"] = Decimal(fields["baseline"]).quantize(TWO)
    for name, value in fields.items():
        setattr(current, name, value)
    measurements = Measurement.objects.filter(indicator=current)
    if current.value_type != before["value_type"] and measurements.exists():
        raise ValidationError(
            {
                "value_type": "Des mesures existent déjà pour cet indicateur : son type de "
                "valeur ne peut plus changer."
            }
        )
    if current.breakdown and current.breakdown != before["breakdown"]:
        wrong = (
            measurements.filter(territory__isnull=False)
            .exclude(territory__kind=current.breakdown)
            .exists()
        )
        if wrong:
            raise ValidationError(
                {
                    "breakdown": "Des mesures portent sur des territoires d'un autre type : "
                    "la ventilation ne peut pas changer."
                }
            )
    current.full_clean(exclude=["action", "position"])
    changes = diff(before, snapshot(current, list(INDICATOR_FIELDS)))
    if targets is not None:
        before_rows = _target_rows(current)
        _apply_targets(current, targets)
        after_rows = _target_rows(current)
        if before_rows != after_rows:
            changes["targets"] = [before_rows, after_rows]
    if not changes:
        return current, False
    current.version += 1
    current.save(update_fields=[*fields, "version"])
    record(
        current,
        AuditAction.UPDATE,
        {**changes, "version": [current.version - 1, current.version]},
        convention_id=convention_id_of(current),
        message="indicateur",
    )
    return current, True


# --- measurements -------------------------------------------------------------------------


@dataclass(frozen=True)
class MeasurementInput:
    """What a user enters for one period (and territory) of an indicator."""

    period: str
    value: Decimal | None = None
    value_text: str = ""
    territory_id: int | None = None
    source: str = ""
    comment: str = ""


def _check_value(indicator: Indicator, value: Decimal | None, value_text: str) -> None:
    if indicator.value_type == IndicatorValueType.TEXT:
        if not value_text.strip():
            raise ValidationError({"value": "La valeur est obligatoire."})
        return
    if value is None:
        raise ValidationError({"value": "La valeur est obligatoire."})
    if indicator.value_type == IndicatorValueType.BOOLEAN and value not in (0, 1):
        raise ValidationError({"value": "Répondez « oui » ou « non »."})


def _lock_measurement(measurement: Measurement) -> Measurement:
    return (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator__action__plan")
        .get(pk=measurement.pk)
    )


def _write_measurement(
    indicator: Indicator,
    current: Measurement | None,
    data: MeasurementInput,
    *,
    entered_by: Any = None,
    status: str | None = None,
    message: str = "saisie",
) -> tuple[Measurement, bool]:
    """The shared body of every measurement write; the caller holds the transaction."""
    if current is not None and current.is_locked:
        raise MeasurementLocked(current)
    try:
        period = parse_period(data.period)
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from exc
    territory = None
    if data.territory_id is not None:
        territory = Territory.objects.filter(pk=data.territory_id).first()
        if territory is None:
            raise ValidationError({"territory": "Territoire inconnu."})
        _check_territory_kind(indicator, territory, "territory")
    _check_value(indicator, data.value, data.value_text)
    if status == MeasurementStatus.VALIDATED:
        raise ValidationError(
            "Une mesure est validée avec toute sa période, depuis la page des indicateurs de "
            "la convention."
        )
    clash = Measurement.objects.filter(
        indicator=indicator, period=period.label, territory_id=data.territory_id
    )
    if current is not None:
        clash = clash.exclude(pk=current.pk)
    other = clash.first()
    if other is not None:
        where = f" pour « {territory.name} »" if territory else ""
        raise ValidationError(
            {
                "period": f"Une mesure existe déjà pour la période {period.label}{where} : "
                "modifiez-la plutôt que d'en créer une autre."
            }
        )
    is_text = indicator.value_type == IndicatorValueType.TEXT
    created = current is None
    measurement = current or Measurement(indicator=indicator, entered_by=entered_by)
    before = {} if created else snapshot(measurement, list(MEASUREMENT_FIELDS))
    measurement.period = period.label
    measurement.period_start, measurement.period_end = period.start, period.end
    measurement.territory = territory
    measurement.value = (
        None if is_text or data.value is None else Decimal(data.value).quantize(FOUR)
    )
    measurement.value_text = data.value_text.strip() if is_text else ""
    measurement.source = data.source.strip()
    measurement.comment = data.comment.strip()
    if status is not None:
        measurement.status = status
    if not created:
        changes = diff(before, snapshot(measurement, list(MEASUREMENT_FIELDS)))
        if not changes:
            return measurement, False
        if entered_by is not None:
            measurement.entered_by = entered_by
        measurement.version += 1
    measurement.full_clean(exclude=["indicator", "entered_by", "validated_by"])
    measurement.save()
    if created:
        record(
            measurement,
            AuditAction.CREATE,
            snapshot(measurement, list(MEASUREMENT_FIELDS)),
            convention_id=convention_id_of(indicator),
            message=message,
        )
    else:
        record(
            measurement,
            AuditAction.UPDATE,
            changes,
            convention_id=convention_id_of(indicator),
            message=message,
        )
    return measurement, True


@transaction.atomic
def save_measurement(
    indicator: Indicator,
    data: MeasurementInput,
    *,
    measurement: Measurement | None = None,
    expected_version: int | None = None,
    entered_by: Any = None,
    submit: bool = False,
) -> tuple[Measurement, bool]:
    """Create a measurement (``measurement`` None) or change one. A new one is a draft;
    ``submit`` moves it to submitted in the same write. Returns (measurement, changed)."""
    indicator = Indicator.objects.select_related("action__plan").get(pk=indicator.pk)
    current = None
    if measurement is not None:
        current = _lock_measurement(measurement)
        if current.indicator_id != indicator.pk:
            raise ValueError("measurement of another indicator")
        if current.is_locked:
            raise MeasurementLocked(current)
        if expected_version is not None and current.version != expected_version:
            raise StaleMeasurementError(current)
    status = MeasurementStatus.SUBMITTED if submit else None
    return _write_measurement(indicator, current, data, entered_by=entered_by, status=status)


@transaction.atomic
def submit_measurement(measurement: Measurement) -> Measurement:
    """Draft -> submitted, ready for the period's validation."""
    current = _lock_measurement(measurement)
    if current.is_locked:
        raise MeasurementLocked(current)
    if current.status == MeasurementStatus.SUBMITTED:
        return current
    before = snapshot(current, ["status"])
    current.status = MeasurementStatus.SUBMITTED
    current.version += 1
    current.save(update_fields=["status", "version", "updated_at"])
    record(
        current,
        AuditAction.UPDATE,
        diff(before, snapshot(current, ["status"])),
        convention_id=convention_id_of(current.indicator),
        message="soumission",
    )
    return current


@transaction.atomic
def delete_measurement(measurement: Measurement) -> None:
    """A draft or submitted measurement entered by mistake; a validated one stays."""
    current = _lock_measurement(measurement)
    if current.is_locked:
        raise MeasurementLocked(current)
    record(
        current,
        AuditAction.DELETE,
        snapshot(current, list(MEASUREMENT_FIELDS)),
        convention_id=convention_id_of(current.indicator),
        message="suppression de la mesure",
    )
    current.delete()


def _convention_measurements(convention: Convention, period: str):
    return (
        Measurement.objects.select_for_update(of=("self",))
        .select_related("indicator__action__plan")
        .filter(
            indicator__action__plan__convention=convention,
            indicator__action__deleted_at__isnull=True,
            period=period,
        )
        .order_by("pk")
    )


def _period_label(period: str) -> str:
    try:
        return parse_period(period).label
    except PeriodError as exc:
        raise ValidationError({"period": str(exc)}) from exc


@transaction.atomic
def validate_period(convention: Convention, period: str, *, by: Any) -> int:
    """Every submitted measurement of ``period`` in the convention -> validated (locked).
    Drafts stay drafts. Returns how many were validated."""
    label = _period_label(period)
    now = timezone.now()
    count = 0
    for measurement in _convention_measurements(convention, label).filter(
        status=MeasurementStatus.SUBMITTED
    ):
        before = snapshot(measurement, list(MEASUREMENT_FIELDS))
        measurement.status = MeasurementStatus.VALIDATED
        measurement.validated_at, measurement.validated_by = now, by
        measurement.version += 1
        measurement.save(
            update_fields=["status", "validated_at", "validated_by", "version", "updated_at"]
        )
        record(
            measurement,
            AuditAction.UPDATE,
            diff(before, snapshot(measurement, list(MEASUREMENT_FIELDS))),
            convention_id=convention.pk,
            message=f"validation de la période {label}",
        )
        count += 1
    return count


def _reason(reason: str) -> str:
    cleaned = (reason or "").strip()
    if not cleaned:
        raise ValidationError({"reason": "Indiquez le motif de la réouverture."})
    return cleaned


def _reopen(measurement: Measurement, reason: str, convention_id: int) -> None:
    before = snapshot(measurement, list(MEASUREMENT_FIELDS))
    measurement.status = MeasurementStatus.SUBMITTED
    measurement.validated_at = measurement.validated_by = None
    measurement.version += 1
    measurement.save(
        update_fields=["status", "validated_at", "validated_by", "version", "updated_at"]
    )
    record(
        measurement,
        AuditAction.UPDATE,
        diff(before, snapshot(measurement, list(MEASUREMENT_FIELDS))),
        convention_id=convention_id,
        message=f"réouverture : {reason}",
    )


@transaction.atomic
def reopen_measurement(measurement: Measurement, *, reason: str) -> Measurement:
    """Validated -> submitted again, so that it may be corrected; the reason is mandatory
    and kept in the history."""
    reason = _reason(reason)
    current = _lock_measurement(measurement)
    if not current.is_locked:
        raise ValidationError("Cette mesure n'est pas validée : il n'y a rien à rouvrir.")
    _reopen(current, reason, convention_id_of(current.indicator))
    return current


@transaction.atomic
def reopen_period(convention: Convention, period: str, *, reason: str) -> int:
    """Every validated measurement of ``period`` -> submitted again. Returns how many."""
    reason = _reason(reason)
    label = _period_label(period)
    count = 0
    for measurement in _convention_measurements(convention, label).filter(
        status=MeasurementStatus.VALIDATED
    ):
        _reopen(measurement, reason, convention.pk)
        count += 1
    if not count:
        raise ValidationError(
            {"period": f"Aucune mesure validée pour la période {label} : rien à rouvrir."}
        )
    return count


# --- statistical secrecy ------------------------------------------------------------------


@transaction.atomic
def set_secrecy_threshold(convention: Convention, threshold: int) -> Convention:
    """Counts from 1 to threshold - 1 are masked in every view and export."""
    if threshold < 1:
        raise ValidationError({"secrecy_threshold": "Le seuil doit valoir au moins 1."})
    current = Convention.objects.select_for_update().get(pk=convention.pk)
    if current.secrecy_threshold == threshold:
        return current
    before = snapshot(current, ["secrecy_threshold"])
    current.secrecy_threshold = threshold
    current.save(update_fields=["secrecy_threshold", "updated_at"])
    record(
        current,
        AuditAction.UPDATE,
        diff(before, snapshot(current, ["secrecy_threshold"])),
        convention_id=current.pk,
        message="seuil de secret statistique",
    )
    return current


# --- the CSV import -----------------------------------------------------------------------


class MeasurementImportError(ValidationError):
    """The file has bad lines: nothing was changed. ``errors``: (line, French message)."""

    def __init__(self, errors: list[tuple[int, str]]) -> None:
        super().__init__(
            [f"Ligne {line} : {message}" if line else message for line, message in errors]
        )
        self.errors = errors


@transaction.atomic
def import_measurements(
    convention: Convention, data: bytes, *, user: Any = None, dry_run: bool = False
):
    """Import a measurements CSV (the export's format) into ``convention``: all or nothing.

    Any bad line raises MeasurementImportError listing every problem, and nothing changes.
    Masked cells ("< 5") keep the stored value; unchanged lines write nothing, so that an
    unmodified export imports back as a no-op. ``user`` (None: the command line, every
    indicator) may only change the indicators of the actions they may edit. With
    ``dry_run``, checks and returns the plan without writing.
    """
    from copil.monitoring.csvfiles import plan_import

    plan = plan_import(convention, data, user=user)
    if plan.errors:
        raise MeasurementImportError(plan.errors)
    if dry_run:
        return plan
    for line in plan.lines:
        if line.outcome == "unchanged":
            continue
        current = _lock_measurement(line.measurement) if line.measurement is not None else None
        _write_measurement(
            line.indicator,
            current,
            line.data,
            entered_by=user,
            status=line.status,
            message="import CSV",
        )
    return plan
