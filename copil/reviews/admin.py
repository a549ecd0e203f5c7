from django.contrib import admin

from copil.audit.admin_mixins import AuditedAdminMixin
from copil.reviews.models import AnnualReview


@admin.register(AnnualReview)
class AnnualReviewAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Read-mostly: the workflow (reviewed, validated and locked) belongs to the app's
    pages and services, so its fields are read-only here."""

    list_display = ("convention", "year", "status", "validated_at")
    list_filter = ("status", "year")
    search_fields = ("convention__title",)
    readonly_fields = (
        "status",
        "reviewed_at",
        "reviewed_by",
        "reviewed_in",
        "validated_at",
        "validated_by",
        "validated_in",
        "version",
    )
    raw_id_fields = ("convention", "basis_for")
