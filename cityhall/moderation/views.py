"""Members report posts and comments, and see which of their own were hidden by the staff."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from cityhall.accounts.requests import SignedInRequest
from cityhall.moderation.actions import ModerationError, do_report, existing_report
from cityhall.moderation.forms import ReportForm
from cityhall.moderation.models import Case, Decision
from cityhall.posts.access import access_comment, access_post
from cityhall.posts.models import Comment, Post


def _back(target: Post | Comment) -> str:
    if isinstance(target, Post):
        return reverse("posts:detail", args=[target.pk])
    return reverse("posts:detail", args=[target.post_id]) + f"#comment-{target.pk}"


def _report(request: SignedInRequest, target: Post | Comment) -> HttpResponse:
    if target.author_id == request.user.pk:
        messages.error(request, _("ご自身の投稿やコメントは報告できません。"))
        return redirect(_back(target))
    earlier = existing_report(target, request.user)
    initial = {"reason": earlier.reason, "note": earlier.note} if earlier else None
    form = ReportForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            _report_row, created = do_report(
                target,
                reason=form.cleaned_data["reason"],
                note=form.cleaned_data["note"],
                actor=request.user,
            )
        except PermissionDenied as error:
            raise Http404 from error
        except ModerationError as error:
            form.add_error(None, str(error))
        else:
            if created:
                messages.success(
                    request,
                    _(
                        "ご報告ありがとうございます。運営事務局が内容を確認します。"
                        "報告したことが投稿者に伝わることはありません。"
                    ),
                )
            else:
                messages.success(
                    request,
                    _(
                        "この内容はすでに報告いただいていたため、新しい報告は作らず、"
                        "前回の報告の理由と補足を更新しました。ありがとうございます。"
                    ),
                )
            return redirect(_back(target))
    context = {
        "form": form,
        "target": target,
        "is_post": isinstance(target, Post),
        "post": target if isinstance(target, Post) else target.post,
        "earlier": earlier,
        "back_url": _back(target),
    }
    return render(request, "moderation/report.html", context)


def report_post(request: SignedInRequest, post_id: int) -> HttpResponse:
    return _report(request, access_post(request.user, post_id))


def report_comment(request: SignedInRequest, comment_id: int) -> HttpResponse:
    return _report(request, access_comment(request.user, comment_id))


def hidden(request: SignedInRequest) -> HttpResponse:
    """The member's own posts and comments that the staff hid, and why — never who reported."""
    cases = (
        Case.objects.filter(author=request.user, content_hidden=True)
        .filter(Q(post__deleted_at__isnull=False) | Q(comment__deleted_at__isnull=False))
        .select_related("post", "comment__post")
        .order_by("-decided_at", "-id")[:100]
    )
    seen: set[tuple[str, int]] = set()
    items = []
    for case in cases:
        key = (case.target_kind, case.target.pk)
        if key not in seen:  # hidden again after a later report: show it once
            seen.add(key)
            items.append(case)
    return render(request, "moderation/hidden.html", {"cases": items, "HIDE": Decision.HIDE})
