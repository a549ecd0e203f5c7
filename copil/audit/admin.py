from django.contrib import admin

from copil.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    list_display = ("at", "actor_label", "action", "content_type", "object_repr", "convention_id")
    list_filter = ("action", "content_type")
    search_fields = ("object_repr", "actor_label", "message")
    date_hierarchy = "at"

    def has_add_permission(self, request):  # the history is written by services only
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
