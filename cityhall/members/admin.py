"""Raw membership data, for looking. Decisions on applications are made in the review queue,
where they are mailed and audited; members edit their own profile. Changing an application's
account or address, or a profile's owner, here would let one person stand in for another."""

from django.contrib import admin

from cityhall.core.admin_policy import LookOnlyAdmin
from cityhall.members.models import Duty, MembershipApplication, Profile


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(LookOnlyAdmin):
    list_display = ("full_name", "organization", "email", "status", "submitted_at", "decided_at")
    list_filter = ("status", "referral")
    search_fields = ("family_name", "given_name", "family_name_kana", "given_name_kana", "email")
    date_hierarchy = "submitted_at"
    raw_id_fields = ("user", "organization")
    filter_horizontal = ("duties",)
    list_select_related = ("organization__prefecture",)


@admin.register(Profile)
class ProfileAdmin(LookOnlyAdmin):
    list_display = ("user", "organization", "department", "title", "updated_at")
    search_fields = ("user__family_name", "user__given_name", "user__email", "department")
    raw_id_fields = ("user", "organization")
    filter_horizontal = ("duties",)
    list_select_related = ("user", "organization__prefecture")


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    # Reference data (業務分野), also kept on the staff duty pages.
    list_display = ("name", "kana", "category", "sort_order", "is_active")
    list_filter = ("is_active", "category")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "kana", "category")
