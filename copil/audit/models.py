"""Who changed what, when: one row per change to convention data."""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils import timezone


class AuditAction(models.TextChoices):
    CREATE = "create", "Création"
    UPDATE = "update", "Modification"
    DELETE = "delete", "Suppression"
    RESTORE = "restore", "Restauration"
    IMPORT = "import", "Import"


class AuditEntry(models.Model):
    at = models.DateTimeField("date", default=timezone.now, db_index=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Kept even when the user is deleted, and the only author for CLI/system writes.
    actor_label = models.CharField("auteur (libellé)", max_length=200)
    action = models.CharField("action", max_length=10, choices=AuditAction.choices)
    content_type = models.ForeignKey(ContentType, on_delete=models.PROTECT, related_name="+")
    object_id = models.CharField(max_length=64)
    object_repr = models.CharField("objet", max_length=300)
    # The convention the object belongs to, so a convention's history is one indexed query.
    convention_id = models.BigIntegerField(null=True, blank=True, db_index=True)
    changes = models.JSONField("changements", default=dict, blank=True)
    message = models.CharField("commentaire", max_length=500, blank=True)

    class Meta:
        verbose_name = "entrée d'historique"
        verbose_name_plural = "historique"
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self) -> str:
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_label} {self.action} {self.object_repr}"
