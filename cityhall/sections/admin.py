from django.contrib import admin

from cityhall.core.admin_policy import LookOnlyAdmin, LookOnlyTabularInline
from cityhall.sections.models import Section, SectionMembership


class MembershipInline(LookOnlyTabularInline):
    model = SectionMembership
    extra = 0
    raw_id_fields = ["user", "decided_by"]
    readonly_fields = ["created_at", "decided_at"]


@admin.register(Section)
class SectionAdmin(LookOnlyAdmin):
    # Changes belong in the staff pages (audited actions); the admin is for looking.
    list_display = ["name", "kind", "joining_rule", "is_closed", "archived_at"]
    list_filter = ["kind", "joining_rule", "is_closed"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]
