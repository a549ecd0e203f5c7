"""The annual review ("bilan") of a convention: the figures are computed from the plan,
the measurements and the meetings of the year; people write the narrative per theme.

draft -> reviewed (technical committee) -> validated (steering committee); a validated
review is locked. The successor of a renewed convention keeps its predecessor's last
review as its "éléments de bilan" (``basis_for``).
"""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.urls import reverse

from copil.conventions.models import Convention
from copil.governance.models import Meeting
from copil.plan.models import Theme
from copil.reviews.enums import ReviewStatus


class AnnualReview(models.Model):
    convention = models.ForeignKey(Convention, on_delete=models.CASCADE, related_name="reviews")
    year = models.PositiveSmallIntegerField("année")
    status = models.CharField(
        "état", max_length=10, choices=ReviewStatus.choices, default=ReviewStatus.DRAFT
    )
    introduction = models.TextField("introduction", blank=True)
    conclusion = models.TextField("conclusion", blank=True)
    reviewed_at = models.DateTimeField("examiné le", null=True, blank=True)
    reviewed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="examiné par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    reviewed_in = models.ForeignKey(
        Meeting,
        verbose_name="comité technique",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_at = models.DateTimeField("validé le", null=True, blank=True)
    validated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        verbose_name="validé par",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    validated_in = models.ForeignKey(
        Meeting,
        verbose_name="comité de pilotage",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )
    # Set on the predecessor's last review when the convention is renewed.
    basis_for = models.OneToOneField(
        Convention,
        verbose_name="éléments de bilan pour",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="basis_review",
    )
    # The document as validated (copil.core.review.to_dict), written by validate_review:
    # a validated review is rendered from it, never recomputed from live data.
    content = models.JSONField("document figé", null=True, blank=True, editable=False)
    version = models.PositiveIntegerField(default=1)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "bilan annuel"
        verbose_name_plural = "bilans annuels"
        ordering = ["convention", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["convention", "year"], name="review_unique_year"),
            models.CheckConstraint(
                condition=~Q(status=ReviewStatus.VALIDATED) | Q(validated_at__isnull=False),
                name="review_validated_has_date",
            ),
        ]

    def __str__(self) -> str:
        return f"Bilan {self.year} — {self.convention}"

    def get_absolute_url(self) -> str:
        return reverse("review_detail", args=[self.pk])

    @property
    def is_locked(self) -> bool:
        return self.status == ReviewStatus.VALIDATED

    @property
    def is_frozen(self) -> bool:
        """Validated with its snapshot: its documents come from ``content``."""
        return self.is_locked and self.content is not None


class ThemeReview(models.Model):
    """What people write about one theme for the year: acquis, difficultés, perspectives."""

    review = models.ForeignKey(AnnualReview, on_delete=models.CASCADE, related_name="themes")
    theme = models.ForeignKey(Theme, on_delete=models.CASCADE, related_name="reviews")
    achievements = models.TextField("acquis", blank=True)
    difficulties = models.TextField("difficultés", blank=True)
    outlook = models.TextField("perspectives", blank=True)

    class Meta:
        verbose_name = "bilan d'une thématique"
        verbose_name_plural = "bilans des thématiques"
        ordering = ["theme__number"]
        constraints = [
            models.UniqueConstraint(fields=["review", "theme"], name="theme_review_unique")
        ]

    def __str__(self) -> str:
        return f"{self.review} — {self.theme}"
