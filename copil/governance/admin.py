from django.contrib import admin

from copil.audit.admin_mixins import AuditedAdminMixin
from copil.governance.models import (
    AgendaItem,
    Attendee,
    BodyMember,
    Decision,
    FollowUpTask,
    GovernanceBody,
    Meeting,
)


class BodyMemberInline(admin.TabularInline):
    model = BodyMember
    extra = 0
    fields = ("role", "institution", "name", "position")


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "frequency", "convention")
    list_filter = ("kind",)
    list_select_related = ("convention",)
    inlines = [BodyMemberInline]


class LockedInline(admin.TabularInline):
    """Rows of an approved meeting are read-only here too (see Meeting.is_locked)."""

    extra = 0

    def has_change_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_change_permission(request, obj)

    def has_add_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_add_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_delete_permission(request, obj)


class AttendeeInline(LockedInline):
    model = Attendee
    fields = ("name", "institution", "role", "presence", "position")


class AgendaItemInline(LockedInline):
    model = AgendaItem
    fields = ("title", "action", "notes", "position")
    raw_id_fields = ("action",)


class DecisionInline(LockedInline):
    model = Decision
    fields = ("kind", "text", "amendment", "position")


class FollowUpTaskInline(LockedInline):
    model = FollowUpTask
    fields = ("title", "owner", "owner_label", "due_date", "done_on", "position")
    raw_id_fields = ("owner",)


@admin.register(Meeting)
class MeetingAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("__str__", "date", "body", "minutes_status", "convention")
    list_filter = ("minutes_status", "body__kind")
    list_select_related = ("body", "convention")
    readonly_fields = ("minutes_status", "approved_at", "approved_by", "version")
    inlines = [AttendeeInline, AgendaItemInline, DecisionInline, FollowUpTaskInline]

    def has_change_permission(self, request, obj=None):
        # Approving (and so locking) goes through the page, which audits it.
        return not (obj and obj.is_locked) and super().has_change_permission(request, obj)

    def has_delete_permission(self, request, obj=None):
        return not (obj and obj.is_locked) and super().has_delete_permission(request, obj)
