from django.contrib import admin

from copil.audit.admin_mixins import AuditedAdminMixin
from copil.monitoring.models import IndicatorTarget, Measurement


@admin.register(IndicatorTarget)
class IndicatorTargetAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("indicator", "year", "territory", "value")
    list_select_related = ("indicator", "territory")
    list_filter = ("year",)
    raw_id_fields = ("indicator",)


@admin.register(Measurement)
class MeasurementAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """For looking things up: measurements are entered on the site; a validated one stays
    locked here too (reopening takes a reason, on the indicator's page)."""

    list_display = ("indicator", "period", "territory", "value", "value_text", "status")
    list_select_related = ("indicator", "territory")
    list_filter = ("status", "period")
    search_fields = ("indicator__label", "period")
    raw_id_fields = ("indicator", "entered_by", "validated_by")
    readonly_fields = (
        "period",
        "period_start",
        "period_end",
        "status",
        "validated_at",
        "validated_by",
    )

    def has_add_permission(self, request):
        return False  # entered on the site, where the period is read and checked

    def has_change_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        if obj is not None and obj.is_locked:
            return False
        return super().has_delete_permission(request, obj)
