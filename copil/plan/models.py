"""The cooperation plan: themes -> orientations -> actions (fiches action)."""

from __future__ import annotations

import uuid

from django.conf import settings
from django.core.validators import MaxValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone

from copil.conventions.models import Convention
from copil.institutions.enums import TerritoryKind
from copil.institutions.models import Institution, Territory
from copil.plan.enums import (
    ActionStatus,
    IndicatorDirection,
    IndicatorKind,
    IndicatorValueType,
    ThemeKind,
)


class CooperationPlan(models.Model):
    convention = models.OneToOneField(
        Convention, on_delete=models.CASCADE, related_name="plan", verbose_name="convention"
    )
    # One principle per line ("s'informer mutuellement des initiatives...").
    cooperation_principles = models.TextField("principes de coopération", blank=True)

    class Meta:
        verbose_name = "projet de coopération"
        verbose_name_plural = "projets de coopération"

    def __str__(self) -> str:
        return f"Projet de coopération — {self.convention}"


class Theme(models.Model):
    plan = models.ForeignKey(CooperationPlan, on_delete=models.CASCADE, related_name="themes")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=300)
    kind = models.CharField(
        "nature", max_length=12, choices=ThemeKind.choices, default=ThemeKind.THEMATIC
    )
    introduction = models.TextField("introduction", blank=True)

    class Meta:
        verbose_name = "thématique"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="theme_unique_number")
        ]

    def __str__(self) -> str:
        return f"Thématique {self.number} : {self.title}"


class Orientation(models.Model):
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="orientations")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("intitulé", max_length=500)
    introduction = models.TextField("introduction", blank=True)

    class Meta:
        verbose_name = "orientation"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(fields=["theme", "number"], name="orientation_unique_number")
        ]

    def __str__(self) -> str:
        return f"Orientation {self.theme.number}.{self.number} : {self.title}"


class ActionQuerySet(models.QuerySet):
    def alive(self) -> ActionQuerySet:
        return self.filter(deleted_at__isnull=True)

    def deleted(self) -> ActionQuerySet:
        return self.filter(deleted_at__isnull=False)


class Action(models.Model):
    """A fiche action. `plan` is stored too so numbers are unique per plan and
    plan-wide lists need no join through themes."""

    plan = models.ForeignKey(CooperationPlan, on_delete=models.CASCADE, related_name="actions")
    orientation = models.ForeignKey(Orientation, on_delete=models.CASCADE, related_name="actions")
    number = models.CharField("numéro", max_length=20)
    position = models.PositiveIntegerField("ordre", default=0)
    title = models.CharField("intitulé", max_length=500)
    shared_diagnosis = models.TextField("diagnostic partagé", blank=True)
    operational_objectives = models.TextField("objectifs opérationnels", blank=True)
    target_audiences = models.TextField("publics visés", blank=True)
    description = models.TextField("descriptif de l'action", blank=True)
    expected_results = models.TextField("résultats attendus", blank=True)
    schedule = models.TextField("échéancier", blank=True)
    # The document's own wording, kept beside the structured rows below.
    leads_text = models.TextField("pilotes (texte)", blank=True)
    partners_text = models.TextField("partenaires (texte)", blank=True)
    budget_text = models.TextField("budget prévisionnel (texte)", blank=True)
    indicators_text = models.TextField("indicateurs (texte)", blank=True)
    status = models.CharField(
        "état", max_length=12, choices=ActionStatus.choices, default=ActionStatus.PLANNED
    )
    progress = models.PositiveSmallIntegerField(
        "avancement (%)", default=0, validators=[MaxValueValidator(100)]
    )
    start_date = models.DateField("début", null=True, blank=True)
    end_date = models.DateField("fin", null=True, blank=True)
    partners = models.ManyToManyField(
        Institution, through="ActionPartner", related_name="partner_actions", blank=True
    )
    territories = models.ManyToManyField(Territory, related_name="actions", blank=True)
    version = models.PositiveIntegerField(default=1)
    updated_at = models.DateTimeField(auto_now=True)
    # Soft delete: hidden by the permission funnel, listed in the convention's bin.
    deleted_at = models.DateTimeField("supprimée le", null=True, blank=True)

    objects = ActionQuerySet.as_manager()

    class Meta:
        verbose_name = "fiche action"
        verbose_name_plural = "fiches action"
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "number"], name="action_unique_number"),
            models.CheckConstraint(condition=Q(progress__lte=100), name="action_progress_le_100"),
            models.CheckConstraint(
                condition=Q(start_date__isnull=True)
                | Q(end_date__isnull=True)
                | Q(start_date__lte=F("end_date")),
                name="action_start_before_end",
            ),
        ]

    def __str__(self) -> str:
        return f"Action {self.number} : {self.title}"

    def get_absolute_url(self) -> str:
        return reverse("action_detail", args=[self.pk])


class ActionLead(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="leads")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    unit = models.CharField("service pilote", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "pilote"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return f"{self.institution} — {self.unit}" if self.unit else str(self.institution)


class ActionPartner(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="partner_links")
    institution = models.ForeignKey(Institution, on_delete=models.PROTECT, related_name="+")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "partenaire associé"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["action", "institution"], name="action_partner_unique")
        ]

    def __str__(self) -> str:
        return str(self.institution)


class BudgetLine(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="budget_lines")
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    amount_eur = models.DecimalField(
        "montant (€)", max_digits=14, decimal_places=2, null=True, blank=True
    )
    fte = models.DecimalField("ETP", max_digits=7, decimal_places=2, null=True, blank=True)
    text = models.TextField("texte", blank=True)
    year = models.PositiveSmallIntegerField("année", null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "ligne budgétaire"
        ordering = ["position", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(amount_eur__isnull=True) | Q(amount_eur__gte=0),
                name="budget_amount_not_negative",
            ),
            models.CheckConstraint(
                condition=Q(fte__isnull=True) | Q(fte__gte=0), name="budget_fte_not_negative"
            ),
        ]

    def __str__(self) -> str:
        return self.text[:80] or f"{self.amount_eur} €"


class Indicator(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="indicators")
    label = models.TextField("libellé")
    kind = models.CharField("nature", max_length=10, choices=IndicatorKind.choices, blank=True)
    value_type = models.CharField(
        "type de valeur",
        max_length=10,
        choices=IndicatorValueType.choices,
        default=IndicatorValueType.NUMBER,
    )
    unit = models.CharField("unité", max_length=50, blank=True)
    direction = models.CharField(
        "sens",
        max_length=6,
        choices=IndicatorDirection.choices,
        default=IndicatorDirection.HIGHER,
    )
    baseline = models.DecimalField(
        "valeur de référence", max_digits=14, decimal_places=2, null=True, blank=True
    )
    baseline_year = models.PositiveSmallIntegerField("année de référence", null=True, blank=True)
    # The kind of territory its measurements are broken down by ("" = the whole convention).
    breakdown = models.CharField(
        "ventilation territoriale", max_length=20, choices=TerritoryKind.choices, blank=True
    )
    position = models.PositiveSmallIntegerField(default=0)
    version = models.PositiveIntegerField(default=1)

    class Meta:
        verbose_name = "indicateur"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def is_count(self) -> bool:
        """Counts of people fall under statistical secrecy; ratios and texts do not."""
        return self.value_type == IndicatorValueType.NUMBER


class Milestone(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="milestones")
    label = models.TextField("étape")
    due_date = models.DateField("échéance", null=True, blank=True)
    reached_on = models.DateField("atteinte le", null=True, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "jalon"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class Deliverable(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="deliverables")
    label = models.TextField("livrable")
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "livrable"
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


# --- follow-up of an action -------------------------------------------------------------


class FollowUpNote(models.Model):
    """A dated follow-up note ("point d'étape") written by someone who may edit the action."""

    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="notes")
    date = models.DateField("date")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("note")
    created_at = models.DateTimeField("créée le", default=timezone.now)

    class Meta:
        verbose_name = "note de suivi"
        verbose_name_plural = "notes de suivi"
        ordering = ["-date", "-id"]

    def __str__(self) -> str:
        return f"Note du {self.date:%d/%m/%Y}"


class Comment(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="auteur",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    text = models.TextField("commentaire")
    created_at = models.DateTimeField("publié le", default=timezone.now)

    class Meta:
        verbose_name = "commentaire"
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return self.text[:80]


def attachment_path(instance: Attachment, filename: str) -> str:
    """A random name under MEDIA_ROOT: the original name is only stored, never used as a path."""
    return f"attachments/{timezone.now():%Y/%m}/{uuid.uuid4().hex}"


class Attachment(models.Model):
    action = models.ForeignKey(Action, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("fichier", upload_to=attachment_path, max_length=200)
    original_name = models.CharField("nom du fichier", max_length=255)
    size = models.PositiveBigIntegerField("taille (octets)")
    content_type = models.CharField("type", max_length=100)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        null=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    uploaded_at = models.DateTimeField("déposé le", default=timezone.now)

    class Meta:
        verbose_name = "pièce jointe"
        verbose_name_plural = "pièces jointes"
        ordering = ["-uploaded_at", "-id"]

    def __str__(self) -> str:
        return self.original_name
