from django.contrib import admin

from copil.audit.admin_mixins import AuditedAdminMixin
from copil.institutions.models import Institution, InstitutionAlias, Territory


class InstitutionAliasInline(admin.TabularInline):
    model = InstitutionAlias
    fields = ("alias",)
    extra = 0


@admin.register(Institution)
class InstitutionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "short_name", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "short_name", "aliases__alias")
    inlines = [InstitutionAliasInline]


@admin.register(Territory)
class TerritoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("name", "kind", "code", "parent")
    list_filter = ("kind",)
    search_fields = ("name", "code")
    list_select_related = ("parent",)
