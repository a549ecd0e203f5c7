from __future__ import annotations

import datetime as dt

from django.conf import settings
from django.core.validators import MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.utils import timezone

from copil.conventions.enums import AmendmentStatus, ConventionKind, NoticeForm, SpecificKind
from copil.core.lifecycle import LifecycleState, TermRules, compute_state
from copil.core.lifecycle import Termination as TerminationRule
from copil.institutions.models import Institution, Territory


class ConventionQuerySet(models.QuerySet):
    def alive(self) -> ConventionQuerySet:
        return self.filter(deleted_at__isnull=True)


class Convention(models.Model):
    """A signed agreement, with the term rules the lifecycle engine reads."""

    title = models.CharField("intitulé", max_length=300)
    reference = models.CharField("référence", max_length=100, blank=True)
    kind = models.CharField("type", max_length=30, choices=ConventionKind.choices)
    specific_kind = models.CharField(
        "type de convention spécifique", max_length=20, choices=SpecificKind.choices, blank=True
    )
    parent = models.ForeignKey(
        "self",
        verbose_name="convention cadre",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="specific_conventions",
    )
    predecessor = models.OneToOneField(
        "self",
        verbose_name="convention précédente",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="successor",
    )
    territory = models.ForeignKey(
        Territory, verbose_name="territoire", null=True, blank=True, on_delete=models.PROTECT
    )
    preamble = models.TextField("préambule", blank=True)

    # Term rules (see copil.core.lifecycle for their meaning).
    effective_date = models.DateField("date d'effet", null=True, blank=True)
    initial_term_months = models.PositiveSmallIntegerField(
        "durée initiale (mois)", null=True, blank=True
    )
    renewal_period_months = models.PositiveSmallIntegerField(
        "période de renouvellement (mois)", null=True, blank=True
    )
    tacit_renewal = models.BooleanField("tacite reconduction", default=False)
    max_total_term_months = models.PositiveSmallIntegerField(
        "durée maximale totale (mois)", null=True, blank=True
    )
    notice_period_months = models.PositiveSmallIntegerField("préavis (mois)", default=0)
    notice_form = models.CharField(
        "forme du préavis", max_length=20, choices=NoticeForm.choices, blank=True
    )
    term_clause = models.TextField("clause de durée (texte)", blank=True)
    # Counts below this are masked wherever readers or exports see them (copil.core.indicators).
    secrecy_threshold = models.PositiveSmallIntegerField(
        "seuil de secret statistique", default=5, validators=[MinValueValidator(1)]
    )

    # Where the data came from, so that importing the same document twice is a no-op.
    source_name = models.CharField("document source", max_length=300, blank=True)
    source_sha256 = models.CharField(max_length=64, blank=True, db_index=True)

    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    version = models.PositiveIntegerField(default=1)
    deleted_at = models.DateTimeField(null=True, blank=True)

    objects = ConventionQuerySet.as_manager()

    class Meta:
        verbose_name = "convention"
        ordering = ["-effective_date", "title"]
        constraints = [
            models.CheckConstraint(
                condition=Q(initial_term_months__isnull=True) | Q(initial_term_months__gt=0),
                name="convention_initial_term_positive",
            ),
            models.CheckConstraint(
                condition=Q(tacit_renewal=False)
                | Q(renewal_period_months__isnull=False, renewal_period_months__gt=0),
                name="convention_tacit_renewal_needs_period",
            ),
            models.CheckConstraint(
                condition=Q(max_total_term_months__isnull=True)
                | Q(max_total_term_months__gte=F("initial_term_months")),
                name="convention_max_term_covers_initial",
            ),
            models.CheckConstraint(
                condition=(Q(kind=ConventionKind.SPECIFIC) & ~Q(specific_kind=""))
                | (~Q(kind=ConventionKind.SPECIFIC) & Q(specific_kind="")),
                name="convention_specific_kind_iff_specific",
            ),
            models.CheckConstraint(
                condition=Q(secrecy_threshold__gte=1), name="convention_secrecy_threshold_positive"
            ),
            models.CheckConstraint(
                condition=~Q(parent=F("pk")) & ~Q(predecessor=F("pk")),
                name="convention_no_self_reference",
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def term_rules(self) -> TermRules:
        return TermRules(
            initial_term_months=self.initial_term_months,
            renewal_period_months=self.renewal_period_months,
            tacit_renewal=self.tacit_renewal,
            max_total_term_months=self.max_total_term_months,
            notice_period_months=self.notice_period_months,
            notice_form=self.notice_form or None,
        )

    def lifecycle(self, on: dt.date) -> LifecycleState | None:
        """None while the effective date or the term is unknown (a draft, a partial import)."""
        if self.effective_date is None or self.initial_term_months is None:
            return None
        termination = getattr(self, "termination", None)
        rule = (
            TerminationRule(notice_received_on=termination.notice_received_on)
            if termination
            else None
        )
        return compute_state(self.effective_date, self.term_rules(), on, rule)


class Party(models.Model):
    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="parties", verbose_name="convention"
    )
    institution = models.ForeignKey(
        Institution, on_delete=models.PROTECT, related_name="parties", verbose_name="institution"
    )
    name_as_written = models.CharField("nom dans le document", max_length=300, blank=True)
    address = models.CharField("adresse", max_length=300, blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = "partie"
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "institution"], name="party_unique_per_convention"
            )
        ]

    def __str__(self) -> str:
        return str(self.institution)


class Signatory(models.Model):
    party = models.ForeignKey(
        Party, on_delete=models.CASCADE, related_name="signatories", verbose_name="partie"
    )
    representative_name = models.CharField("représentant", max_length=200)
    representative_title = models.CharField("qualité", max_length=300, blank=True)
    signed_on = models.DateField("date de signature", null=True, blank=True)

    class Meta:
        verbose_name = "signataire"
        ordering = ["id"]

    def __str__(self) -> str:
        return self.representative_name


class Deliberation(models.Model):
    """The assembly vote that authorises signature (e.g. rapport n° CG/2013/17)."""

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="deliberations"
    )
    institution = models.ForeignKey(
        Institution, null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reference = models.CharField("référence", max_length=100)
    body = models.CharField("instance", max_length=200, blank=True)
    date = models.DateField("date", null=True, blank=True)
    text = models.TextField("texte", blank=True)

    class Meta:
        verbose_name = "délibération"
        ordering = ["date", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "reference"], name="deliberation_unique_reference"
            )
        ]

    def __str__(self) -> str:
        return self.reference


class Amendment(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="amendments")
    number = models.PositiveSmallIntegerField("numéro")
    title = models.CharField("objet", max_length=300)
    description = models.TextField("description", blank=True)
    status = models.CharField(
        "état", max_length=10, choices=AmendmentStatus.choices, default=AmendmentStatus.DRAFT
    )
    signed_on = models.DateField("date de signature", null=True, blank=True)
    effective_date = models.DateField("date d'effet", null=True, blank=True)

    class Meta:
        verbose_name = "avenant"
        ordering = ["number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="amendment_unique_number"
            ),
            models.CheckConstraint(
                condition=~Q(status=AmendmentStatus.SIGNED) | Q(signed_on__isnull=False),
                name="amendment_signed_has_date",
            ),
            models.CheckConstraint(
                condition=Q(effective_date__isnull=True)
                | Q(signed_on__isnull=True)
                | Q(effective_date__gte=F("signed_on")),
                name="amendment_effective_after_signature",
            ),
        ]

    def __str__(self) -> str:
        return f"Avenant n° {self.number} — {self.title}"


class Termination(models.Model):
    """A party's notice; its effective end is computed by the lifecycle engine."""

    convention = models.OneToOneField(
        Convention, on_delete=models.CASCADE, related_name="termination"
    )
    party = models.ForeignKey(Party, on_delete=models.PROTECT, related_name="terminations")
    notice_received_on = models.DateField("préavis reçu le")
    notice_form = models.CharField("forme", max_length=20, choices=NoticeForm.choices, blank=True)
    effective_end = models.DateField("fin effective")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = "dénonciation"
        constraints = [
            models.CheckConstraint(
                condition=Q(notice_received_on__lte=F("effective_end")),
                name="termination_notice_before_end",
            )
        ]

    def __str__(self) -> str:
        return f"Dénonciation par {self.party} ({self.notice_received_on})"


class PlanVersion(models.Model):
    """A frozen copy of the cooperation plan (and terms), as an ImportedDocument's JSON.

    Taken at the first import ("version initiale") and at each amendment's signature, so
    that what an amendment changed can be read long after the plan moved on.
    """

    convention = models.ForeignKey(
        Convention, on_delete=models.CASCADE, related_name="plan_versions"
    )
    number = models.PositiveIntegerField("numéro")
    label = models.CharField("libellé", max_length=300)
    amendment = models.ForeignKey(
        Amendment,
        verbose_name="avenant",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="plan_versions",
    )
    data = models.JSONField("contenu")
    created_at = models.DateTimeField("créée le", default=timezone.now)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="créée par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = "version du projet"
        verbose_name_plural = "versions du projet"
        ordering = ["convention", "number"]
        constraints = [
            models.UniqueConstraint(
                fields=["convention", "number"], name="plan_version_unique_number"
            )
        ]

    def __str__(self) -> str:
        return f"Version {self.number} — {self.label}"


class PendingImport(models.Model):
    """An uploaded document waiting for its uploader's confirmation.

    The bytes stay on the server between the preview and the confirmation: the browser
    only ever sends back this row's id, which is looked up with its uploader.
    """

    uploader = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="déposé par",
        on_delete=models.CASCADE,
        related_name="+",
    )
    convention = models.ForeignKey(
        Convention,
        verbose_name="convention mise à jour",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="+",
    )
    filename = models.CharField("nom du fichier", max_length=300)
    sha256 = models.CharField(max_length=64)
    content = models.BinaryField("contenu")
    created_at = models.DateTimeField("déposé le", default=timezone.now)
    expires_at = models.DateTimeField("expire le")

    class Meta:
        verbose_name = "import en attente"
        verbose_name_plural = "imports en attente"
        ordering = ["-created_at"]
        constraints = [
            models.CheckConstraint(
                condition=Q(expires_at__gt=F("created_at")), name="pending_import_expires_later"
            )
        ]

    def __str__(self) -> str:
        return self.filename

    def is_expired(self, now: dt.datetime | None = None) -> bool:
        return (now or timezone.now()) >= self.expires_at
