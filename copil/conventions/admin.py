from django import forms
from django.contrib import admin
from django.db.models.functions import Length

from copil.audit.admin_mixins import AuditedAdminMixin
from copil.conventions.enums import AmendmentStatus
from copil.conventions.models import (
    Amendment,
    Convention,
    Deliberation,
    Party,
    PendingImport,
    PlanVersion,
    Signatory,
    Termination,
)


class PartyInline(admin.TabularInline):
    model = Party
    extra = 0
    autocomplete_fields = ("institution",)


class AmendmentFormSet(forms.BaseInlineFormSet):
    """A signed amendment is locked, here as in the app: every field of its row is
    disabled (Django then ignores what is posted for it) and it cannot be deleted."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if form.instance.pk and form.instance.status == AmendmentStatus.SIGNED:
            for field in form.fields.values():
                field.disabled = True


class AmendmentInline(admin.TabularInline):
    """Drafts only are edited here; signing goes through the app, which freezes the plan
    version (conventions.services.sign_amendment): status and date are read-only."""

    model = Amendment
    formset = AmendmentFormSet
    extra = 0
    fields = ("number", "title", "description", "effective_date", "status", "signed_on")
    readonly_fields = ("status", "signed_on")


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


@admin.register(PlanVersion)
class PlanVersionAdmin(admin.ModelAdmin):
    """Frozen copies of the plan: read, never written here (they are the record of what
    each amendment changed)."""

    list_display = ("convention", "number", "label", "amendment", "created_at", "created_by")
    list_select_related = ("convention", "amendment", "created_by")
    list_filter = ("created_at",)
    search_fields = ("convention__title", "label")
    ordering = ("convention", "number")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False


@admin.register(PendingImport)
class PendingImportAdmin(AuditedAdminMixin, admin.ModelAdmin):
    """Uploads waiting for their uploader's confirmation: listed, and deleted when stale."""

    list_display = ("filename", "uploader", "convention", "created_at", "expires_at", "size")
    list_select_related = ("uploader", "convention")
    search_fields = ("filename", "uploader__username")
    exclude = ("content",)  # the bytes of the document
    readonly_fields = ("size",)

    def get_queryset(self, request):
        return super().get_queryset(request).defer("content").annotate(size=Length("content"))

    @admin.display(description="taille (octets)", ordering="size")
    def size(self, obj: PendingImport) -> int:
        return obj.size

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False
