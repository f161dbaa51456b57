from django.contrib import admin

from cityhall.notifications.models import OutboundEmail


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to", "subject", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("to", "subject")
    readonly_fields = ("created_at", "sent_at", "attempts", "last_error")
