"""Raw account data, for looking. Names and organisation are the member's own to change (on
their profile page); status, role and suspension are changed on the staff member pages, where
they are checked, audited and mailed; email, password and two-factor changes are the person's
own, confirmed by mail or code. So nothing here is editable, by staff or admins, and the
permission flags, groups and password hash are not even shown."""

from django.contrib import admin

from cityhall.accounts.models import User
from cityhall.core.admin_policy import LookOnlyAdmin


@admin.register(User)
class UserAdmin(LookOnlyAdmin):
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
