"""Reminder preferences, the log that makes `copil remind` idempotent per day, and the
secret tokens of calendar (ICS) feeds."""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone

from copil.notifications.enums import ReminderKind


class ReminderOptOut(models.Model):
    """A kind of reminder a user turned off; no row means the reminder is sent."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reminder_opt_outs"
    )
    kind = models.CharField("rappel", max_length=20, choices=ReminderKind.choices)

    class Meta:
        verbose_name = "rappel désactivé"
        verbose_name_plural = "rappels désactivés"
        constraints = [
            models.UniqueConstraint(fields=["user", "kind"], name="reminder_opt_out_unique")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.get_kind_display()}"


class SentReminder(models.Model):
    """One email sent to one user on one day; the unique key makes reruns no-ops."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    sent_on = models.DateField("envoyé le")
    sent_at = models.DateTimeField(default=timezone.now)
    kinds = models.JSONField("rappels", default=list)
    item_count = models.PositiveIntegerField("éléments", default=0)

    class Meta:
        verbose_name = "rappel envoyé"
        verbose_name_plural = "rappels envoyés"
        ordering = ["-sent_on", "user_id"]
        constraints = [
            models.UniqueConstraint(fields=["user", "sent_on"], name="sent_reminder_once_a_day")
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.sent_on}"


def new_token() -> str:
    return secrets.token_urlsafe(32)


class CalendarToken(models.Model):
    """The secret in a user's calendar feed URL; revoking it kills every URL using it."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="calendar_tokens"
    )
    token = models.CharField(max_length=64, unique=True, default=new_token)
    created_at = models.DateTimeField(default=timezone.now)
    revoked_at = models.DateTimeField(null=True, blank=True)
    last_used_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "jeton de calendrier"
        verbose_name_plural = "jetons de calendrier"
        ordering = ["-created_at"]
        constraints = [
            models.UniqueConstraint(
                fields=["user"],
                condition=Q(revoked_at__isnull=True),
                name="calendar_token_one_active_per_user",
            )
        ]

    def __str__(self) -> str:
        return f"Calendrier de {self.user}"

    @property
    def is_active(self) -> bool:
        return self.revoked_at is None
