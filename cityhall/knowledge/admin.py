from django.contrib import admin

from cityhall.core.admin_policy import LookOnlyAdmin
from cityhall.knowledge.models import FaqEntry, Tag


@admin.register(FaqEntry)
class FaqEntryAdmin(LookOnlyAdmin):
    # Writing belongs in the member pages (versioned actions); the admin is for looking.
    list_display = ["question", "status", "as_of", "updated_at"]
    list_filter = ["status"]
    search_fields = ["question"]
    raw_id_fields = ["author", "updated_by"]


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    # Reference data: staff may tidy tags up here.
    search_fields = ["name"]
