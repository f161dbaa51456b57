"""Editing a comment, its edit history, and the fragment of new comments that open post pages
fetch when told (over the WebSocket) or when they poll."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cityhall.accounts.requests import SignedInRequest
from cityhall.core.markdown import render_markdown
from cityhall.posts import access
from cityhall.posts.actions import do_edit_comment
from cityhall.posts.forms import CommentForm
from cityhall.posts.threads import prepare, reaction_counts

# New comments sent at once; a page that is further behind gets the rest on its next fetch.
SINCE_LIMIT = 50


def edit_comment(request: SignedInRequest, comment_id: int) -> HttpResponse:
    target = access.access_comment(request.user, comment_id)
    if target.author_id != request.user.pk or target.post.is_deleted:
        raise Http404
    form = CommentForm(request.POST or None, initial={"body": target.body})
    if request.method == "POST" and form.is_valid():
        try:
            do_edit_comment(target, body=form.cleaned_data["body"], actor=request.user)
        except PermissionDenied as error:
            raise Http404 from error
        except ValidationError as error:
            form.add_error("body", error)
        else:
            messages.success(request, _("コメントを更新しました。"))
            return redirect(
                reverse("posts:detail", args=[target.post_id]) + f"#comment-{target.pk}"
            )
    return render(
        request, "posts/comment_edit.html", {"form": form, "comment": target, "post": target.post}
    )


def comment_history(request: SignedInRequest, comment_id: int) -> HttpResponse:
    """Earlier versions of a comment, for anyone who can read the post."""
    target = access.access_comment(request.user, comment_id)
    revisions = list(target.revisions.select_related("edited_by").order_by("-created_at", "-id"))
    for revision in revisions:
        revision.html = render_markdown(revision.body)  # type: ignore[attr-defined]
    return render(
        request,
        "posts/comment_history.html",
        {"comment": target, "post": target.post, "revisions": revisions},
    )


def comments_since(request: SignedInRequest, post_id: int) -> HttpResponse:
    """Comments newer than ?after=<id>, rendered as on the post page; 204 when there are none."""
    user = request.user
    post = access.access_post(user, post_id)
    try:
        after = max(0, int(request.GET.get("after", "0")))
    except ValueError:
        after = 0
    comments = list(
        post.comments.filter(pk__gt=after, deleted_at=None)
        .select_related("author__profile__organization")
        .order_by("id")[:SINCE_LIMIT]
    )
    if not comments:
        response = HttpResponse(status=204)
    else:
        table = reaction_counts(post, user, [c.pk for c in comments])
        runs = access.runs_section(user, post.section)
        prepare(comments, post=post, user=user, table=table, runs=runs)
        for comment in comments:
            comment.reply_list = []  # type: ignore[attr-defined]  # replies arrive on their own
        context = {
            "post": post,
            "comments": comments,
            "can_accept": access.can_accept(user, post),
        }
        response = render(request, "posts/comments_since.html", context)
    response["Cache-Control"] = "private, no-store"
    return response
