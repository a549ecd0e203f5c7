from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _

from copil.accounts.models import Membership, User
from copil.audit.admin_mixins import AuditedAdminMixin


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    """Not audited like convention data: a snapshot would copy the password hash.
    Memberships (who may do what) are audited, in MembershipAdmin."""

    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Institution"), {"fields": ("institution",)}),
    )
    add_fieldsets = (
        *DjangoUserAdmin.add_fieldsets,
        (_("Institution"), {"fields": ("institution",)}),
    )
    list_display = ("username", "get_full_name", "institution", "is_staff", "is_active")
    list_filter = ("institution", "is_staff", "is_superuser", "is_active")
    list_select_related = ("institution",)
    autocomplete_fields = ("institution",)


@admin.register(Membership)
class MembershipAdmin(AuditedAdminMixin, admin.ModelAdmin):
    list_display = ("user", "convention", "role")
    list_filter = ("role",)
    list_select_related = ("user", "convention")
    search_fields = ("user__username", "convention__title")
    autocomplete_fields = ("user", "convention")
