from django.contrib import admin

from copil.audit.admin_mixins import AuditedAdminMixin
from copil.conventions.models import (
    Amendment,
    Convention,
    Deliberation,
    Party,
    Signatory,
    Termination,
)


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ("institution",)


class AmendmentInline(admin.TabularInline):
    model = Amendment
    extra = 0


class DeliberationInline(admin.TabularInline):
    model = Deliberation
    extra = 0
    fields = ("reference", "body", "date")


@admin.register(Convention)
class ConventionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("title", "kind", "effective_date", "initial_term_months", "tacit_renewal")
    list_filter = ("kind", "tacit_renewal")
    search_fields = ("title", "reference")
    raw_id_fields = ("parent", "predecessor")
    inlines = [PartyInline, DeliberationInline, AmendmentInline]
    readonly_fields = ("source_name", "source_sha256", "version", "created_at", "updated_at")


@admin.register(Signatory)
class SignatoryAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("representative_name", "representative_title", "party", "signed_on")
    list_select_related = ("party__institution", "party__convention")


@admin.register(Termination)
class TerminationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("convention", "party", "notice_received_on", "effective_end")
    readonly_fields = ("effective_end",)
