"""Comments as the post page shows them: rendered, with reactions and what the viewer may do,
top-level comments carrying their replies. Shared by the page and the live-comments fragment."""

from typing import Any

from django.db.models import Count, Q

from cityhall.accounts.models import User
from cityhall.core.markdown import render_markdown
from cityhall.posts.models import Comment, Post, Reaction

Table = dict[tuple[str, int], dict[str, Any]]


def reaction_counts(post: Post, user: User, comment_ids: list[int] | None = None) -> Table:
    """Counts and the viewer's own reactions, in one query: for the post and all its comments,
    or for the given comments only."""
    where = Q(comment__in=comment_ids)
    if comment_ids is None:
        # A subquery, not a join: OR across a join makes the database read every reaction.
        where = Q(post=post) | Q(comment__in=Comment.objects.filter(post=post).values("pk"))
    rows = (
        Reaction.objects.filter(where)
        .values("post_id", "comment_id", "kind")
        .annotate(n=Count("id"), mine=Count("id", filter=Q(user=user)))
    )
    table: Table = {}
    for row in rows:
        key = ("post", row["post_id"]) if row["post_id"] else ("comment", row["comment_id"])
        table.setdefault(key, {})[row["kind"]] = (row["n"], bool(row["mine"]))
    return table


def buttons(table: Table, key: tuple[str, int]) -> list[Any]:
    counts = table.get(key, {})
    return [
        {"kind": kind, "label": label, "count": counts.get(kind, (0, False))[0],
         "mine": counts.get(kind, (0, False))[1]}
        for kind, label in Reaction.Kind.choices
    ]  # fmt: skip


def prepare(
    comments: list[Comment], *, post: Post, user: User, table: Table, runs: bool
) -> list[Comment]:
    """Render each comment and note what the viewer may do (`runs`: access.runs_section);
    return the top-level comments, each with its `reply_list` (one level of replies)."""
    top: list[Comment] = []
    replies: dict[int, list[Comment]] = {}
    for comment in comments:
        comment.html = render_markdown(comment.body)  # type: ignore[attr-defined]
        comment.reactions_ui = buttons(table, ("comment", comment.pk))  # type: ignore[attr-defined]
        comment.deletable = comment.author_id == user.pk or runs  # type: ignore[attr-defined]
        # Only the author edits; leaders and staff delete instead.
        comment.editable = comment.author_id == user.pk and not post.is_deleted  # type: ignore[attr-defined]
        if comment.parent_id is None:
            top.append(comment)
        else:
            replies.setdefault(comment.parent_id, []).append(comment)
    for comment in top:
        comment.reply_list = replies.get(comment.pk, [])  # type: ignore[attr-defined]
    return top
