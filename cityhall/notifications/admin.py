from django.contrib import admin

from cityhall.notifications.models import Notification, OutboundEmail, Preference


@admin.register(OutboundEmail)
class OutboundEmailAdmin(admin.ModelAdmin):
    list_display = ("created_at", "to", "subject", "status", "attempts", "sent_at")
    list_filter = ("status",)
    search_fields = ("to", "subject")
    readonly_fields = ("created_at", "sent_at", "attempts", "last_error")


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "recipient", "kind", "actor", "post", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "actor", "post", "comment")


@admin.register(Preference)
class PreferenceAdmin(admin.ModelAdmin):
    list_display = ("user", "digest_frequency", "digest_hour", "last_digest_at", "next_digest_at")
    list_filter = ("digest_frequency",)
    raw_id_fields = ("user",)
