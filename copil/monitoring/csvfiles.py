"""The measurements CSV of a convention: the export (masked by statistical secrecy) and
the reading of an uploaded file into an import plan (every line checked, nothing written).

The format itself lives in copil.exporters.measurements_csv; services.import_measurements
applies a plan.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db.models import F, Q
from django.db.models.functions import Lower

from copil.accounts import perms
from copil.conventions.models import Convention
from copil.core.indicators import (
    IndicatorValueError,
    is_masked_text,
    parse_value,
    reading,
)
from copil.core.periods import PeriodError, parse_period
from copil.exporters.measurements_csv import (
    MeasurementCsvError,
    MeasurementRow,
    read_measurements,
    write_measurements,
)
from copil.institutions.enums import TerritoryKind
from copil.institutions.models import Territory
from copil.monitoring.enums import MeasurementStatus
from copil.monitoring.models import Measurement
from copil.plan.enums import IndicatorValueType
from copil.plan.models import Indicator

# --- export -------------------------------------------------------------------------------


def convention_measurements(convention: Convention):
    """Every measurement of the convention's live actions, in the plan's order. One query."""
    return (
        Measurement.objects.filter(
            indicator__action__plan__convention=convention,
            indicator__action__deleted_at__isnull=True,
        )
        .select_related("indicator__action", "territory")
        .order_by(
            "indicator__action__position",
            "indicator__position",
            "indicator_id",
            "period_start",
            "-period_end",
            F("territory__name").asc(nulls_first=True),
            "pk",
        )
    )


def shown_value(measurement: Measurement, threshold: int) -> str:
    """The value as every view and export shows it: counts under the threshold masked."""
    indicator = measurement.indicator
    return reading(
        measurement.value,
        measurement.value_text,
        value_type=indicator.value_type,
        threshold=threshold,
    ).text


def export_rows(convention: Convention) -> list[MeasurementRow]:
    threshold = convention.secrecy_threshold
    rows = []
    for m in convention_measurements(convention):
        indicator = m.indicator
        rows.append(
            MeasurementRow(
                action=indicator.action.number,
                indicator_id=str(indicator.pk),
                indicator=indicator.label,
                period=m.period,
                territory_kind=m.territory.get_kind_display() if m.territory else "",
                territory=m.territory.name if m.territory else "",
                value=shown_value(m, threshold) if _has_value(m) else "",
                unit=indicator.unit,
                source=m.source,
                comment=m.comment,
                status=m.get_status_display(),
            )
        )
    return rows


def _has_value(m: Measurement) -> bool:
    return m.value is not None or bool(m.value_text)


def export_csv(convention: Convention) -> bytes:
    return write_measurements(export_rows(convention))


# --- import: read and check every line, write nothing ----------------------------------------


@dataclass
class ImportLine:
    number: int
    indicator: Indicator
    measurement: Measurement | None  # None: a new one
    data: Any  # services.MeasurementInput
    status: str | None  # the status to set, None: keep
    outcome: str  # "create", "update" or "unchanged"
    changes: list[str] = field(default_factory=list)
    territory_name: str = ""


@dataclass
class ImportPlan:
    lines: list[ImportLine] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)

    def count(self, outcome: str) -> int:
        return sum(1 for line in self.lines if line.outcome == outcome)

    @property
    def created(self) -> int:
        return self.count("create")

    @property
    def updated(self) -> int:
        return self.count("update")

    @property
    def unchanged(self) -> int:
        return self.count("unchanged")

    @property
    def changed_lines(self) -> list[ImportLine]:
        return [line for line in self.lines if line.outcome != "unchanged"]


def _kinds() -> dict[str, str]:
    """Territory kinds by their French label or their code, folded."""
    kinds = {}
    for value, label in TerritoryKind.choices:
        kinds[str(label).casefold()] = value
        kinds[value.casefold()] = value
    return kinds


STATUSES = {
    **{str(label).casefold(): value for value, label in MeasurementStatus.choices},
    **{value: value for value in MeasurementStatus.values},
}


def _editable_action_ids(convention: Convention, user: Any) -> set[int] | None:
    if user is None:
        return None  # the command line: every action
    actions = perms.actions_for(user, "change").filter(plan__convention=convention)
    return set(actions.values_list("pk", flat=True))


def plan_import(convention: Convention, data: bytes, *, user: Any = None) -> ImportPlan:
    """Check every line of an uploaded CSV against the convention; list the errors of all
    lines (French, with their line numbers) and what each good line would change."""
    from copil.monitoring.services import MeasurementInput

    plan = ImportPlan()
    try:
        lines = read_measurements(data)
    except MeasurementCsvError as exc:
        plan.errors.append((0, str(exc)))
        return plan
    if not lines:
        plan.errors.append((0, "Le fichier ne contient aucune mesure."))
        return plan
    indicators = {
        i.pk: i
        for i in Indicator.objects.filter(
            action__plan__convention=convention, action__deleted_at__isnull=True
        ).select_related("action__plan")
    }
    editable = _editable_action_ids(convention, user)
    names = {line.row.territory for line in lines if line.row and line.row.territory}
    territories = {}
    if names:
        folded = {name.casefold() for name in names}
        candidates = Territory.objects.annotate(folded=Lower("name")).filter(
            Q(name__in=names) | Q(folded__in=folded)
        )
        for t in candidates.only("pk", "kind", "name"):
            territories[(t.kind, t.name.casefold())] = t
    existing = {
        (m.indicator_id, m.period, m.territory_id): m
        for m in Measurement.objects.filter(indicator__in=list(indicators))
    }
    kinds = _kinds()
    seen: dict[tuple, int] = {}
    threshold = convention.secrecy_threshold

    for line in lines:
        if line.row is None:
            plan.errors.append((line.number, line.error))
            continue
        row = line.row
        problems: list[str] = []

        def fail(message: str, problems: list[str] = problems) -> None:
            problems.append(message)

        number = row.indicator_id
        indicator = indicators.get(int(number)) if number.isdigit() else None
        if indicator is None:
            plan.errors.append(
                (
                    line.number,
                    f"indicateur « {row.indicator_id} » inconnu dans cette convention "
                    "(colonne « Identifiant indicateur »).",
                )
            )
            continue
        if row.action and row.action != indicator.action.number:
            fail(
                f"l'indicateur n° {indicator.pk} appartient à l'action "
                f"{indicator.action.number}, pas à l'action {row.action}."
            )
        period = None
        try:
            period = parse_period(row.period)
        except PeriodError as exc:
            fail(str(exc))
        territory = None
        if row.territory_kind or row.territory:
            kind = kinds.get(row.territory_kind.casefold())
            if not row.territory_kind or not row.territory:
                fail(
                    "indiquez à la fois le type de territoire et le territoire, ou aucun des deux."
                )
            elif kind is None:
                fail(f"type de territoire « {row.territory_kind} » inconnu.")
            else:
                territory = territories.get((kind, row.territory.casefold()))
                if territory is None:
                    fail(f"territoire « {row.territory} » ({row.territory_kind}) inconnu.")
                elif indicator.breakdown and territory.kind != indicator.breakdown:
                    fail(
                        f"« {territory.name} » est de type « {row.territory_kind} », alors que "
                        f"l'indicateur est ventilé par « {indicator.get_breakdown_display()} »."
                    )
        if len(row.source) > 300:
            fail("la source dépasse 300 caractères.")
        status = None
        if row.status:
            status = STATUSES.get(row.status.casefold())
            if status is None:
                fail(f"état « {row.status} » inconnu (Brouillon, Soumise ou Validée).")
        if problems or period is None:
            plan.errors.append((line.number, " ".join(problems)))
            continue
        key = (indicator.pk, period.label, territory.pk if territory else None)
        if key in seen:
            plan.errors.append(
                (line.number, f"même indicateur, période et territoire qu'à la ligne {seen[key]}.")
            )
            continue
        seen[key] = line.number
        current = existing.get(key)

        is_count = indicator.value_type == IndicatorValueType.NUMBER
        if is_count and is_masked_text(row.value):
            if current is None:
                plan.errors.append(
                    (
                        line.number,
                        f"valeur masquée « {row.value} » pour une mesure qui n'existe pas : "
                        "indiquez la valeur.",
                    )
                )
                continue
            value, value_text = current.value, current.value_text
        else:
            try:
                value, value_text = parse_value(row.value, indicator.value_type)
            except IndicatorValueError as exc:
                plan.errors.append((line.number, str(exc)))
                continue
        data_in = MeasurementInput(
            period=period.label,
            value=value,
            value_text=value_text,
            territory_id=territory.pk if territory else None,
            source=row.source,
            comment=row.comment,
        )
        changes = _changes(current, data_in, status, threshold, indicator)
        if current is None:
            outcome = "create"
            if status == MeasurementStatus.VALIDATED:
                plan.errors.append(
                    (
                        line.number,
                        "une mesure nouvelle ne peut pas être « Validée » : la validation se "
                        "fait par période, sur la page des indicateurs de la convention.",
                    )
                )
                continue
        else:
            outcome = "update" if changes else "unchanged"
        if outcome != "unchanged":
            if current is not None and current.is_locked:
                plan.errors.append(
                    (
                        line.number,
                        f"la mesure de {period.label} est validée et ne peut pas changer "
                        "(elle doit d'abord être rouverte).",
                    )
                )
                continue
            if status == MeasurementStatus.VALIDATED:
                plan.errors.append(
                    (
                        line.number,
                        "l'état « Validée » ne s'obtient que par la validation de la période.",
                    )
                )
                continue
            if editable is not None and indicator.action_id not in editable:
                plan.errors.append(
                    (
                        line.number,
                        f"vous ne pouvez pas saisir les mesures de l'action "
                        f"{indicator.action.number}.",
                    )
                )
                continue
        plan.lines.append(
            ImportLine(
                number=line.number,
                indicator=indicator,
                measurement=current,
                data=data_in,
                status=status if outcome != "unchanged" else None,
                outcome=outcome,
                changes=changes,
                territory_name=territory.name if territory else "",
            )
        )
    return plan


def _changes(
    current: Measurement | None,
    data: Any,
    status: str | None,
    threshold: int,
    indicator: Indicator,
) -> list[str]:
    """What a line changes, in words (values masked as everywhere)."""

    def show(value, text) -> str:
        return reading(value, text, value_type=indicator.value_type, threshold=threshold).text

    new_value = show(data.value, data.value_text)
    if current is None:
        return [f"valeur {new_value}"]
    changes = []
    same_value = (
        (current.value is None and data.value is None)
        or (current.value is not None and data.value is not None and current.value == data.value)
    ) and current.value_text == (data.value_text or "")
    if not same_value:
        changes.append(f"valeur : {show(current.value, current.value_text)} → {new_value}")
    if current.source != data.source.strip():
        changes.append(f"source : « {current.source} » → « {data.source.strip()} »")
    if current.comment != data.comment.strip():
        changes.append("commentaire modifié")
    if status is not None and status != current.status:
        changes.append(f"état : {current.get_status_display()} → {MeasurementStatus(status).label}")
    return changes
