from django.contrib import admin

from cityhall.posts.models import Comment, Post


@admin.register(Post)
class PostAdmin(admin.ModelAdmin):
    # Moderation belongs in the member pages (audited actions); the admin is for looking.
    list_display = ["title", "kind", "section", "author", "created_at", "deleted_at"]
    list_filter = ["kind", "is_pinned"]
    search_fields = ["title"]
    raw_id_fields = ["author", "section", "case_organization", "accepted_comment", "deleted_by"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False


@admin.register(Comment)
class CommentAdmin(admin.ModelAdmin):
    list_display = ["pk", "post", "author", "created_at", "deleted_at"]
    raw_id_fields = ["post", "author", "parent"]

    def has_change_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False

    def has_add_permission(self, request):  # type: ignore[no-untyped-def]
        return False

    def has_delete_permission(self, request, obj=None):  # type: ignore[no-untyped-def]
        return False
