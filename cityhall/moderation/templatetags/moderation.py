from typing import Any

from django import template

from cityhall.moderation.models import Case

register = template.Library()


@register.simple_tag(takes_context=True)
def hidden_by_moderators(context: dict[str, Any], comment: Any) -> bool:
    """Whether the staff hid this deleted comment (rather than its author or a leader deleting
    it). Asked only for deleted comments; one query per page, remembered on the post."""
    if comment.deleted_at is None:
        return False
    post = context.get("post")
    hidden: dict[int, Any] | None = getattr(post, "_moderation_hidden", None)
    if hidden is None:
        hidden = {}
        rows = Case.objects.filter(
            comment__post_id=comment.post_id, content_hidden=True
        ).values_list("comment_id", "decided_at")
        for comment_id, decided_at in rows:
            if decided_at and (comment_id not in hidden or decided_at > hidden[comment_id]):
                hidden[comment_id] = decided_at
        if post is not None:
            post._moderation_hidden = hidden
    decided_at = hidden.get(comment.pk)
    # Hidden after the decision means someone deleted it again later, for another reason.
    return decided_at is not None and comment.deleted_at <= decided_at
