from django.contrib import admin

from copil.audit.admin_mixins import AuditedAdminMixin
from copil.plan.models import (
    Action,
    ActionLead,
    ActionPartner,
    BudgetLine,
    CooperationPlan,
    Deliverable,
    Indicator,
    Milestone,
    Orientation,
    Theme,
)


class ThemeInline(admin.TabularInline):
    model = Theme
    extra = 0
    fields = ("number", "title", "kind")


@admin.register(CooperationPlan)
class CooperationPlanAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("convention",)
    inlines = [ThemeInline]


@admin.register(Orientation)
class OrientationAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("theme", "number", "title")
    list_select_related = ("theme",)


class LeadInline(admin.TabularInline):
    model = ActionLead
    extra = 0


class PartnerInline(admin.TabularInline):
    model = ActionPartner
    extra = 0


class BudgetInline(admin.TabularInline):
    model = BudgetLine
    extra = 0


class IndicatorInline(admin.TabularInline):
    model = Indicator
    extra = 0


class MilestoneInline(admin.TabularInline):
    model = Milestone
    extra = 0


class DeliverableInline(admin.TabularInline):
    model = Deliverable
    extra = 0


@admin.register(Action)
class ActionAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("number", "title", "status", "progress")
    list_filter = ("status", "orientation__theme__plan__convention")
    search_fields = ("number", "title", "description")
    list_select_related = ("orientation__theme",)
    raw_id_fields = ("plan", "orientation")
    inlines = [
        LeadInline,
        PartnerInline,
        BudgetInline,
        IndicatorInline,
        MilestoneInline,
        DeliverableInline,
    ]
