from django.contrib import admin

from copil.audit.admin_mixins import AuditedAdminMixin
from copil.governance.models import GovernanceBody


@admin.register(GovernanceBody)
class GovernanceBodyAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "frequency", "convention")
    list_filter = ("kind",)
