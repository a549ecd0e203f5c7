from __future__ import annotations

from django.db import models

from copil.core.names import fold_key
from copil.institutions.enums import InstitutionKind, TerritoryKind


class Institution(models.Model):
    """A public body or partner; the same body under all its names (see aliases)."""

    name = models.CharField("nom", max_length=200, unique=True)
    short_name = models.CharField("sigle", max_length=50, blank=True)
    kind = models.CharField(
        "type", max_length=20, choices=InstitutionKind.choices, default=InstitutionKind.OTHER
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "institution"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class InstitutionAlias(models.Model):
    """Another way documents name an institution ("CD", "CD67", "Conseil départemental")."""

    institution = models.ForeignKey(
        Institution, on_delete=models.CASCADE, related_name="aliases", verbose_name="institution"
    )
    alias = models.CharField("alias", max_length=200)
    # Folded form (no case, accents, punctuation or spaces): the lookup key, unique.
    key = models.CharField(max_length=200, unique=True)

    class Meta:
        verbose_name = "alias d'institution"
        verbose_name_plural = "alias d'institutions"
        ordering = ["alias"]

    def __str__(self) -> str:
        return f"{self.alias} → {self.institution}"

    def save(self, *args, **kwargs):  # the key is a pure function of the alias
        self.key = fold_key(self.alias)
        super().save(*args, **kwargs)


class Territory(models.Model):
    kind = models.CharField("type", max_length=20, choices=TerritoryKind.choices)
    code = models.CharField("code", max_length=30, blank=True)
    name = models.CharField("nom", max_length=200)
    parent = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="children",
        verbose_name="territoire parent",
    )

    class Meta:
        verbose_name = "territoire"
        ordering = ["kind", "name"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "name"], name="territory_unique_kind_name"),
            models.CheckConstraint(
                condition=~models.Q(parent=models.F("pk")), name="territory_not_own_parent"
            ),
        ]

    def __str__(self) -> str:
        return self.name
