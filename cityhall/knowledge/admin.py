from django.contrib import admin

from cityhall.knowledge.models import FaqEntry, Tag


@admin.register(FaqEntry)
class FaqEntryAdmin(admin.ModelAdmin):
    # Writing belongs in the member pages (versioned actions); the admin is for looking.
    list_display = ["question", "status", "as_of", "updated_at"]
    list_filter = ["status"]
    search_fields = ["question"]
    raw_id_fields = ["author", "updated_by"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False


@admin.register(Tag)
class TagAdmin(admin.ModelAdmin):
    search_fields = ["name"]
