"""Notifications and preferences, for looking."""

from django.contrib import admin

from cityhall.core.admin_policy import LookOnlyAdmin
from cityhall.notifications.models import Notification, Preference


@admin.register(Notification)
class NotificationAdmin(LookOnlyAdmin):
    # Written by events as they happen; a notification made here could put words in
    # another member's mouth ("X mentioned you").
    list_display = ("created_at", "recipient", "kind", "actor", "post", "read_at")
    list_filter = ("kind",)
    raw_id_fields = ("recipient", "actor", "post", "comment")


@admin.register(Preference)
class PreferenceAdmin(LookOnlyAdmin):
    # Each member's own choice, made on their settings page.
    list_display = ("user", "digest_frequency", "digest_hour", "last_digest_at", "next_digest_at")
    list_filter = ("digest_frequency",)
    raw_id_fields = ("user",)
