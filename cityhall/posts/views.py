"""Posts for members: feeds, the post page, writing, commenting and reacting."""

from datetime import datetime
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from cityhall.accounts.models import User
from cityhall.accounts.requests import SignedInRequest
from cityhall.core.limits import attachments_limit, body_limit
from cityhall.core.markdown import render_markdown
from cityhall.posts import access, signals
from cityhall.posts.actions import (
    do_accept_answer,
    do_add_comment,
    do_create_post,
    do_delete_comment,
    do_delete_post,
    do_edit_post,
    do_pin_post,
    do_restore_post,
    do_toggle_reaction,
)
from cityhall.posts.forms import CommentForm, EditPostForm, NewPostForm
from cityhall.posts.models import Attachment, Post, PostQuerySet
from cityhall.posts.threads import buttons, prepare, reaction_counts
from cityhall.posts.uploads import pick_files, shown_name
from cityhall.sections.access import access_section, can_read_posts
from cityhall.sections.models import Section

PER_PAGE = 20


def _forbidden_is_missing(error: PermissionDenied) -> Http404:
    """What a member may not do is answered like what does not exist."""
    return Http404()


def _parse_cursor(raw: str) -> tuple[datetime, int] | None:
    stamp, _sep, pk = raw.rpartition("|")
    try:
        return datetime.fromisoformat(stamp), int(pk)
    except ValueError:
        return None


def _feed(request: SignedInRequest, posts: PostQuerySet) -> dict[str, Any]:
    """One page of a feed, newest activity first, after the `before` cursor: stable while new
    posts arrive, and no OFFSET however deep the reader goes."""
    cursor = _parse_cursor(request.GET.get("before", ""))
    if cursor is not None:
        stamp, pk = cursor
        posts = posts.filter(Q(last_activity_at__lt=stamp) | Q(last_activity_at=stamp, id__lt=pk))
    page = list(posts.for_list()[: PER_PAGE + 1])
    more = len(page) > PER_PAGE
    page = page[:PER_PAGE]
    next_url = ""
    if more:
        last = page[-1]
        cursor_value = f"{last.last_activity_at.isoformat()}|{last.pk}"
        next_url = "?" + urlencode({"before": cursor_value})
    return {"posts": page, "next_url": next_url, "is_first_page": cursor is None}


def lobby(request: SignedInRequest) -> HttpResponse:
    posts = Post.objects.visible_to(request.user).alive().filter(section=None)
    context = _feed(request, posts.filter(is_pinned=False))
    pinned = list(posts.filter(is_pinned=True).for_list()[:5]) if context["is_first_page"] else []
    context.update(
        pinned=pinned,
        heading=_("全体の投稿"),
        new_url=reverse("posts:new"),
    )
    return render(request, "posts/list.html", context)


def section_posts(request: SignedInRequest, slug: str) -> HttpResponse:
    section = access_section(request.user, slug)
    membership = access.section_membership(request.user, section)
    if not can_read_posts(request.user, section, membership):
        raise Http404
    posts = Post.objects.alive().filter(section=section)
    context = _feed(request, posts.filter(is_pinned=False))
    pinned = list(posts.filter(is_pinned=True).for_list()[:5]) if context["is_first_page"] else []
    context.update(
        pinned=pinned,
        section=section,
        heading=_("「%(name)s」の投稿") % {"name": section.name},
        new_url=reverse("posts:new") + "?" + urlencode({"section": section.slug})
        if access.can_post_in(request.user, section) and not section.is_archived
        else "",
    )
    return render(request, "posts/list.html", context)


def unanswered(request: SignedInRequest) -> HttpResponse:
    posts = (
        Post.objects.visible_to(request.user)
        .alive()
        .filter(kind=Post.Kind.QUESTION, accepted_comment=None, comment_count=0)
    )
    context = _feed(request, posts)
    context.update(pinned=[], heading=_("回答を待っている質問"), new_url=reverse("posts:new"))
    return render(request, "posts/list.html", context)


def _my_sections(user: User) -> list[Section]:
    sections = Section.objects.active()
    if not user.is_staff_member:
        sections = sections.joined_by(user)
    return list(sections.order_by("kind", "name"))


def _unsaved_files(request: SignedInRequest) -> list[str]:
    """Files sent with a form that is shown again: browsers cannot keep them, so the page
    names them for the member to choose again."""
    return [shown_name(f.name) for f in pick_files(request.FILES, "attachments")]


@body_limit(attachments_limit)
def new(request: SignedInRequest) -> HttpResponse:
    sections = _my_sections(request.user)
    initial = {"where": request.GET.get("section", "")}
    form = NewPostForm(
        request.POST or None, request.FILES or None, sections=sections, initial=initial
    )
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            try:
                post = do_create_post(
                    section=form.cleaned_data["where"],
                    kind=form.cleaned_data["kind"],
                    data=form.post_data(),
                    attachments=form.cleaned_data["attachments"],
                    submission_key=form.cleaned_data["submission_key"],
                    actor=request.user,
                )
            except PermissionDenied as error:
                raise _forbidden_is_missing(error) from error
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("投稿しました。"))
                return redirect("posts:detail", post_id=post.pk)
    return render(
        request,
        "posts/new.html",
        {"form": form, "preview": preview, "unsaved_files": _unsaved_files(request)},
    )


def detail(request: SignedInRequest, post_id: int) -> HttpResponse:
    user = request.user
    post = access.access_post(user, post_id, include_deleted=True)
    signals.post_viewed.send(sender=Post, post=post, user=user)
    return _post_page(request, post)


def _post_page(
    request: SignedInRequest,
    post: Post,
    *,
    comment_form: CommentForm | None = None,
    status: int = 200,
) -> HttpResponse:
    """The post page; after a refused comment, with what was typed in the box it was typed in
    (the comment box, or the reply box under its comment) and the reason."""
    user = request.user
    reply_form, reply_to = None, None
    if comment_form is not None and comment_form["parent"].value():
        reply_form, comment_form = comment_form, None
        try:
            reply_to = int(reply_form["parent"].value())
        except (TypeError, ValueError):
            reply_to = None
    comments = list(
        post.comments.select_related("author__profile__organization").order_by("created_at", "id")
    )
    table = reaction_counts(post, user)
    runs = access.runs_section(user, post.section)
    top = prepare(comments, post=post, user=user, table=table, runs=runs)
    accepted = next((c for c in comments if c.pk == post.accepted_comment_id), None)
    attachments = list(post.attachments.order_by("id"))
    return render(
        request,
        "posts/detail.html",
        {
            "post": post,
            "body_html": render_markdown(post.body),
            "comments": top,
            "last_comment_id": max((c.pk for c in comments), default=0),
            "images": [a for a in attachments if a.kind == Attachment.Kind.IMAGE],
            "pdfs": [a for a in attachments if a.kind == Attachment.Kind.PDF],
            "accepted": accepted,
            "reactions": buttons(table, ("post", post.pk)),
            "can_edit": post.author_id == user.pk,
            "can_delete": post.author_id == user.pk or runs,
            "can_pin": runs,
            "can_accept": access.can_accept(user, post),
            "comment_form": comment_form or CommentForm(),
            "reply_form": reply_form,
            "reply_to": reply_to,
        },
        status=status,
    )


@body_limit(attachments_limit)
def edit(request: SignedInRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    if post.author_id != request.user.pk:
        raise Http404
    form = EditPostForm(request.POST or None, request.FILES or None, instance=post)
    preview = None
    if request.method == "POST" and form.is_valid():
        if "preview" in request.POST:
            preview = render_markdown(form.cleaned_data["body"])
        else:
            # Re-read the stored post: the bound form already changed the instance in memory.
            stored = access.access_post(request.user, post_id)
            try:
                do_edit_post(
                    stored,
                    data=form.post_data(),
                    attachments=form.cleaned_data["attachments"],
                    remove=list(form.cleaned_data["remove_attachments"]),
                    actor=request.user,
                )
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("投稿を更新しました。"))
                return redirect("posts:detail", post_id=post.pk)
    context = {
        "form": form,
        "post": post,
        "preview": preview,
        "unsaved_files": _unsaved_files(request),
    }
    return render(request, "posts/edit.html", context)


def history(request: SignedInRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    revisions = list(post.revisions.select_related("edited_by").order_by("-created_at", "-id"))
    for revision in revisions:
        revision.html = render_markdown(revision.body)  # type: ignore[attr-defined]
    return render(request, "posts/history.html", {"post": post, "revisions": revisions})


def _act(request: SignedInRequest, action: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return action(*args, actor=request.user, **kwargs)
    except PermissionDenied as error:
        raise _forbidden_is_missing(error) from error


@require_POST
def delete(request: SignedInRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    _act(request, do_delete_post, post)
    messages.success(request, _("投稿を削除しました。"))
    if request.user.is_staff_member:
        return redirect("posts:detail", post_id=post.pk)
    if post.section is not None:
        return redirect("posts:section", slug=post.section.slug)
    return redirect("posts:lobby")


@require_POST
def restore(request: SignedInRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id, include_deleted=True)
    _act(request, do_restore_post, post)
    messages.success(request, _("投稿を元に戻しました。"))
    return redirect("posts:detail", post_id=post.pk)


@require_POST
def pin(request: SignedInRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    pinned = request.POST.get("pinned") == "1"
    _act(request, do_pin_post, post, pinned=pinned)
    messages.success(request, _("固定表示にしました。") if pinned else _("固定表示を外しました。"))
    return redirect("posts:detail", post_id=post.pk)


@require_POST
def comment(request: SignedInRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    form = CommentForm(request.POST)
    if form.is_valid():
        parent = None
        if form.cleaned_data["parent"]:
            parent = access.access_comment(request.user, form.cleaned_data["parent"])
        try:
            added = _act(
                request,
                do_add_comment,
                post,
                body=form.cleaned_data["body"],
                parent=parent,
                submission_key=form.cleaned_data["submission_key"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("コメントしました。"))
            return redirect(reverse("posts:detail", args=[added.post_id]) + f"#comment-{added.pk}")
    # Refused: the page again, keeping the text (a long comment is not typed twice on a phone).
    return _post_page(request, post, comment_form=form, status=400)


@require_POST
def delete_comment(request: SignedInRequest, comment_id: int) -> HttpResponse:
    target = access.access_comment(request.user, comment_id)
    _act(request, do_delete_comment, target)
    messages.success(request, _("コメントを削除しました。"))
    return redirect(reverse("posts:detail", args=[target.post_id]) + "#comments")


@require_POST
def accept(request: SignedInRequest, post_id: int, comment_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    answer = access.access_comment(request.user, comment_id)
    _act(request, do_accept_answer, post, answer)
    messages.success(request, _("解決済みにしました。ありがとうございました。"))
    return redirect(reverse("posts:detail", args=[post.pk]) + f"#comment-{answer.pk}")


@require_POST
def react(request: SignedInRequest, post_id: int) -> HttpResponse:
    post = access.access_post(request.user, post_id)
    target: dict[str, Any] = {"post": post}
    anchor = "#reactions"
    if request.POST.get("comment"):
        target = {"comment": access.access_comment(request.user, request.POST["comment"])}
        if target["comment"].post_id != post.pk:
            raise Http404
        anchor = f"#comment-{target['comment'].pk}"
    _act(request, do_toggle_reaction, kind=request.POST.get("kind", ""), **target)
    return redirect(reverse("posts:detail", args=[post.pk]) + anchor)
