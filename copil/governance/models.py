"""Governance: the bodies a convention sets up, their meetings, decisions and follow-up.

A meeting's minutes move draft -> approved; approved minutes (and everything hanging
from the meeting: attendees, agenda, decisions) are locked — copil.governance.services
refuses to change them.
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from copil.conventions.models import Amendment, Convention
from copil.governance.enums import BodyKind, DecisionKind, MinutesStatus, Presence
from copil.institutions.models import Institution
from copil.plan.models import Action


class GovernanceBody(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="governance_bodies"
    )
    kind = models.CharField("nature", max_length=12, choices=BodyKind.choices)
    name = models.CharField("nom", max_length=300)
    # The document's words ("au moins une fois par an"); copil.core.governance reads them.
    frequency = models.CharField("fréquence", max_length=200, blank=True)
    composition = models.TextField("composition", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "instance de gouvernance"
        verbose_name_plural = "instances de gouvernance"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class BodyMember(models.Model):
    """One seat of a body's composition: a role held for an institution."""

    body = models.ForeignKey(GovernanceBody, on_delete=models.CASCADE, related_name="members")
    institution = models.ForeignKey(
        Institution,
        verbose_name="institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField("qualité", max_length=300)
    name = models.CharField("nom", max_length=200, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "membre de l'instance"
        verbose_name_plural = "membres de l'instance"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.role} — {self.institution}" if self.institution else self.role


class Meeting(models.Model):
    body = models.ForeignKey(
        GovernanceBody, verbose_name="instance", on_delete=models.PROTECT, related_name="meetings"
    )
    # Stored beside the body so the permission funnel and calendars filter in one join.
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="meetings")
    date = models.DateField("date")
    title = models.CharField("intitulé", max_length=300, blank=True)
    location = models.CharField("lieu", max_length=300, blank=True)
    minutes = models.TextField("compte rendu", blank=True)
    minutes_status = models.CharField(
        "état du compte rendu",
        max_length=10,
        choices=MinutesStatus.choices,
        default=MinutesStatus.DRAFT,
    )
    approved_at = models.DateTimeField("approuvé le", null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="approuvé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "réunion"
        ordering = ["-date", "-id"]
        indexes = [models.Index(fields=["convention", "date"])]
        constraints = [
            models.CheckConstraint(
                condition=Q(minutes_status=MinutesStatus.DRAFT) | Q(approved_at__isnull=False),
                name="meeting_approved_has_date",
            )
        ]

    def __str__(self) -> str:
        return self.title or f"{self.body} du {self.date:%d/%m/%Y}"

    def get_absolute_url(self) -> str:
        return reverse("meeting_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.minutes_status == MinutesStatus.APPROVED


class Attendee(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="attendees")
    name = models.CharField("nom", max_length=200)
    institution = models.ForeignKey(
        Institution,
        verbose_name="institution",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
    )
    role = models.CharField("qualité", max_length=300, blank=True)
    presence = models.CharField(
        "présence", max_length=8, choices=Presence.choices, default=Presence.PRESENT
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "participant"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class AgendaItem(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="agenda_items")
    title = models.CharField("point", max_length=500)
    action = models.ForeignKey(
        Action,
        verbose_name="fiche action",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="agenda_items",
    )
    notes = models.TextField("notes", blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "point de l'ordre du jour"
        verbose_name_plural = "ordre du jour"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.title


class Decision(models.Model):
    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="decisions")
    kind = models.CharField(
        "nature", max_length=12, choices=DecisionKind.choices, default=DecisionKind.DECISION
    )
    text = models.TextField("décision")
    actions = models.ManyToManyField(
        Action, verbose_name="fiches action concernées", related_name="decisions", blank=True
    )
    amendment = models.ForeignKey(
        Amendment,
        verbose_name="avenant concerné",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="decisions",
    )
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "décision"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.text[:80]


class FollowUpTask(models.Model):
    """Something a meeting asked someone to do by a date ("relevé de décisions")."""

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="tasks")
    decision = models.ForeignKey(
        Decision,
        verbose_name="décision",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="tasks",
    )
    title = models.CharField("tâche", max_length=500)
    owner = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="responsable",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="governance_tasks",
    )
    owner_label = models.CharField("responsable (texte)", max_length=200, blank=True)
    due_date = models.DateField("échéance", null=True, blank=True)
    done_on = models.DateField("faite le", null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "tâche de suivi"
        verbose_name_plural = "tâches de suivi"
        ordering = ["due_date", "position", "id"]

    def __str__(self) -> str:
        return self.title
