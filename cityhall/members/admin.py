"""Raw data for staff. Decisions on applications are made in the review queue, where they are
mailed and audited; here the review fields are read-only."""

from django.contrib import admin

from cityhall.members.models import Duty, MembershipApplication, Profile


@admin.register(MembershipApplication)
class MembershipApplicationAdmin(admin.ModelAdmin):
    list_display = ("full_name", "organization", "email", "status", "submitted_at", "decided_at")
    list_filter = ("status", "referral")
    search_fields = ("family_name", "given_name", "family_name_kana", "given_name_kana", "email")
    date_hierarchy = "submitted_at"
    raw_id_fields = ("user", "organization")
    filter_horizontal = ("duties",)
    list_select_related = ("organization__prefecture",)
    readonly_fields = (
        "status",
        "submission_key",
        "submitted_at",
        "verified_at",
        "decided_at",
        "decided_by",
        "staff_message",
        "policy_version",
        "consented_at",
        "email_key",
        "name_key",
    )


@admin.register(Profile)
class ProfileAdmin(admin.ModelAdmin):
    list_display = ("user", "organization", "department", "title", "updated_at")
    search_fields = ("user__family_name", "user__given_name", "user__email", "department")
    raw_id_fields = ("user", "organization")
    filter_horizontal = ("duties",)
    list_select_related = ("user", "organization__prefecture")


@admin.register(Duty)
class DutyAdmin(admin.ModelAdmin):
    list_display = ("name", "kana", "category", "sort_order", "is_active")
    list_filter = ("is_active", "category")
    list_editable = ("sort_order", "is_active")
    search_fields = ("name", "kana", "category")
