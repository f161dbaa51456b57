from django.contrib import admin

from cityhall.core.admin_policy import LookOnlyAdmin, LookOnlyTabularInline
from cityhall.moderation.models import Case, Report


class ReportInline(LookOnlyTabularInline):
    model = Report
    extra = 0
    raw_id_fields = ["reporter"]


@admin.register(Case)
class CaseAdmin(LookOnlyAdmin):
    # Decisions are made in the staff queue (audited actions); the admin is for looking.
    list_display = ["pk", "status", "decision", "author", "opened_at", "decided_at"]
    list_filter = ["status", "decision"]
    raw_id_fields = ["post", "comment", "author", "decided_by"]
    inlines = [ReportInline]
