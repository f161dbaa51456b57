from django.contrib import admin

from cityhall.sections.models import Section, SectionMembership


class MembershipInline(admin.TabularInline):
    model = SectionMembership
    extra = 0
    raw_id_fields = ["user", "decided_by"]
    readonly_fields = ["created_at", "decided_at"]


@admin.register(Section)
class SectionAdmin(admin.ModelAdmin):
    # Changes belong in the staff pages (audited actions); the admin is for looking.
    list_display = ["name", "kind", "joining_rule", "is_closed", "archived_at"]
    list_filter = ["kind", "joining_rule", "is_closed"]
    search_fields = ["name", "slug"]
    inlines = [MembershipInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
