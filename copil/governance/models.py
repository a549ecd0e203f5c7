from django.db import models

from copil.conventions.models import Convention
from copil.governance.enums import BodyKind


class GovernanceBody(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="governance_bodies"
    )
    kind = models.CharField("nature", max_length=12, choices=BodyKind.choices)
    name = models.CharField("nom", max_length=300)
    frequency = models.CharField("fréquence", max_length=200, blank=True)
    composition = models.TextField("composition", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "instance de gouvernance"
        verbose_name_plural = "instances de gouvernance"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name
