"""Indicator targets and measurements.

A measurement belongs to an indicator, a period ("2020", "2020-T1", "2020-S2",
"2020-03": see copil.core.periods) and optionally a territory. It moves
draft -> submitted -> validated; a validated measurement is locked until someone
reopens it, which is recorded in the history like every other change.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import F, Q

from copil.institutions.models import Territory
from copil.monitoring.enums import MeasurementStatus
from copil.plan.models import Indicator


class IndicatorTarget(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="targets")
    year = models.PositiveSmallIntegerField("année")
    territory = models.ForeignKey(
        Territory,
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    value = models.DecimalField("cible", max_digits=16, decimal_places=4)

    class Meta:
        verbose_name = "cible"
        ordering = ["year", "territory__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "year", "territory"],
                name="target_unique_per_territory",
                condition=Q(territory__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["indicator", "year"],
                name="target_unique_overall",
                condition=Q(territory__isnull=True),
            ),
        ]

    def __str__(self) -> str:
        return f"{self.year} : {self.value}"


class Measurement(models.Model):
    indicator = models.ForeignKey(Indicator, on_delete=models.CASCADE, related_name="measurements")
    period = models.CharField("période", max_length=7)
    period_start = models.DateField("début de période")
    period_end = models.DateField("fin de période")
    territory = models.ForeignKey(
        Territory,
        verbose_name="territoire",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    # Numbers, percentages and yes/no (1/0) in `value`; free text in `value_text`.
    value = models.DecimalField("valeur", max_digits=16, decimal_places=4, null=True, blank=True)
    value_text = models.TextField("valeur (texte)", blank=True)
    source = models.CharField("source", max_length=300, blank=True)
    comment = models.TextField("commentaire", blank=True)
    status = models.CharField(
        "état", max_length=10, choices=MeasurementStatus.choices, default=MeasurementStatus.DRAFT
    )
    entered_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="saisie par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_at = models.DateTimeField("validée le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "mesure"
        ordering = ["period_start", "period", "territory__name", "id"]
        indexes = [models.Index(fields=["indicator", "period_start"])]
        constraints = [
            models.UniqueConstraint(
                fields=["indicator", "period", "territory"],
                name="measurement_unique_per_territory",
                condition=Q(territory__isnull=False),
            ),
            models.UniqueConstraint(
                fields=["indicator", "period"],
                name="measurement_unique_overall",
                condition=Q(territory__isnull=True),
            ),
            models.CheckConstraint(
                condition=Q(period_start__lte=F("period_end")),
                name="measurement_period_ordered",
            ),
            models.CheckConstraint(
                condition=~Q(status=MeasurementStatus.VALIDATED) | Q(validated_at__isnull=False),
                name="measurement_validated_has_date",
            ),
        ]

    def __str__(self) -> str:
        where = f" — {self.territory}" if self.territory_id else ""
        return f"{self.indicator} — {self.period}{where}"

    @property
    def is_locked(self) -> bool:
        return self.status == MeasurementStatus.VALIDATED
