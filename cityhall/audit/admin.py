from django.contrib import admin

from cityhall.audit.models import AuditEntry
from cityhall.core.admin_policy import AdminsOnlyAdmin


@admin.register(AuditEntry)
class AuditEntryAdmin(AdminsOnlyAdmin):
    """Admins read the audit log; it is written by actions and never edited or deleted."""

    list_display = ("created_at", "action", "actor", "subject_user", "target_type", "target_id")
    list_filter = ("action",)
    search_fields = ("action", "target_id")
    list_select_related = ("actor", "subject_user")
