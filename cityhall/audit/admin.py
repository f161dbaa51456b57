from django.contrib import admin
from django.http import HttpRequest

from cityhall.audit.models import AuditEntry


@admin.register(AuditEntry)
class AuditEntryAdmin(admin.ModelAdmin):
    """Read-only: the audit log is written by actions and never edited."""

    list_display = ("created_at", "action", "actor", "subject_user", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("action", "target_id")
    list_select_related = ("actor", "subject_user")

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: object = None) -> bool:
        return False
