from django.contrib import admin

from copil.audit.admin_mixins import AuditedAdminMixin
from copil.notifications.models import CalendarToken, ReminderOptOut, SentReminder


@admin.register(ReminderOptOut)
class ReminderOptOutAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "kind")
    list_filter = ("kind",)
    search_fields = ("user__username",)


@admin.register(SentReminder)
class SentReminderAdmin(admin.ModelAdmin):
    """The log of sent digests: read only (it is what makes `copil remind` idempotent)."""

    list_display = ("user", "sent_on", "item_count", "sent_at")
    list_filter = ("sent_on",)
    search_fields = ("user__username",)
    date_hierarchy = "sent_on"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


@admin.register(CalendarToken)
class CalendarTokenAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Tokens are secrets: listed without their value, never edited here."""

    list_display = ("user", "created_at", "revoked_at", "last_used_at")
    list_filter = ("revoked_at",)
    search_fields = ("user__username",)
    exclude = ("token",)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
