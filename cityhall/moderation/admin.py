from django.contrib import admin

from cityhall.moderation.models import Case, Report


class ReportInline(admin.TabularInline):
    model = Report
    extra = 0
    raw_id_fields = ["reporter"]


@admin.register(Case)
class CaseAdmin(admin.ModelAdmin):
    # Decisions are made in the staff queue (audited actions); the admin is for looking.
    list_display = ["pk", "status", "decision", "author", "opened_at", "decided_at"]
    list_filter = ["status", "decision"]
    raw_id_fields = ["post", "comment", "author", "decided_by"]
    inlines = [ReportInline]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
