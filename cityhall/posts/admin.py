from django.contrib import admin

from cityhall.core.admin_policy import LookOnlyAdmin
from cityhall.posts.models import Comment, Post


@admin.register(Post)
class PostAdmin(LookOnlyAdmin):
    # Moderation belongs in the member pages (audited actions); the admin is for looking.
    list_display = ["title", "kind", "section", "author", "created_at", "deleted_at"]
    list_filter = ["kind", "is_pinned"]
    search_fields = ["title"]
    raw_id_fields = ["author", "section", "case_organization", "accepted_comment", "deleted_by"]


@admin.register(Comment)
class CommentAdmin(LookOnlyAdmin):
    list_display = ["pk", "post", "author", "created_at", "deleted_at"]
    raw_id_fields = ["post", "author", "parent"]
