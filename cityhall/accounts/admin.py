"""Raw account data for staff. Status, role, suspension, password, email and two-factor changes
are made on the staff member pages or by the person themself, where they are audited and
mailed; here those fields are read-only, and accounts are neither added nor deleted."""

from django.contrib import admin
from django.http import HttpRequest

from cityhall.accounts.models import User


@admin.register(User)
class UserAdmin(admin.ModelAdmin):
    list_display = ("full_name", "email", "status", "role", "two_factor_enabled", "last_login")
    list_filter = ("status", "role", "two_factor_enabled", "email_verified")
    search_fields = ("family_name", "given_name", "family_name_kana", "given_name_kana", "email")
    ordering = ("family_name_kana", "given_name_kana", "pk")
    fields = (
        ("family_name", "given_name"),
        ("family_name_kana", "given_name_kana"),
        "email",
        "email_verified",
        "status",
        "role",
        "two_factor_enabled",
        "date_joined",
        "approved_at",
        "last_login",
        "suspended_at",
        "suspension_reason",
    )
    readonly_fields = (
        "email",
        "email_verified",
        "status",
        "role",
        "two_factor_enabled",
        "date_joined",
        "approved_at",
        "last_login",
        "suspended_at",
        "suspension_reason",
    )

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
