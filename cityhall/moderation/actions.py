"""Every write in moderation: members report content, staff decide.

Refusals are raised as ModerationError with a polite Japanese message to show as is; things the
actor may never do raise PermissionDenied (views answer 404).
"""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.actions import AccountError, do_suspend_user
from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.core.mail import queue_email
from cityhall.moderation.models import Case, Decision, Reason, Report
from cityhall.posts.actions import (
    do_delete_comment,
    do_delete_post,
    do_restore_comment,
    do_restore_post,
)
from cityhall.posts.models import Comment, Post

# New reports a member may file per window: enough for a real problem, too few for a campaign.
REPORT_LIMIT = 20
REPORT_WINDOW = timedelta(hours=1)
NOTE_MAX = 1000


class ModerationError(Exception):
    """An action refused; the message is shown to the person as is."""


def snapshot_of(target: Post | Comment) -> str:
    if isinstance(target, Post):
        return f"{target.title}\n\n{target.body}"
    return target.body


def _target_filter(target: Post | Comment) -> dict[str, Any]:
    return {"post": target} if isinstance(target, Post) else {"comment": target}


def open_case_for(target: Post | Comment, *, lock: bool = False) -> Case | None:
    cases = Case.objects.open().filter(**_target_filter(target))
    if lock:
        # Holds off a decision on this case until the report is attached to it.
        cases = cases.select_for_update()
    return cases.first()


def existing_report(target: Post | Comment, reporter: User) -> Report | None:
    """The member's report in the target's open case, if they already reported it."""
    return (
        Report.objects.filter(
            case__status=Case.Status.OPEN,
            reporter=reporter,
            **{f"case__{k}": v for k, v in _target_filter(target).items()},
        )
        .select_related("case")
        .first()
    )


def _open_case(target: Post | Comment) -> Case:
    case = open_case_for(target, lock=True)
    if case is not None:
        return case
    try:
        with transaction.atomic():
            return Case.objects.create(
                author_id=target.author_id, snapshot=snapshot_of(target), **_target_filter(target)
            )
    except IntegrityError:
        # Someone else opened it a moment ago: join theirs.
        case = open_case_for(target, lock=True)
        if case is None:
            raise
        return case


def check_report(target: Post | Comment, *, actor: User) -> None:
    """Raises PermissionDenied unless `actor` is a member who can read the live target: a
    closed section's content exists only for its members, so nobody else may report it."""
    if not actor.is_member:
        raise PermissionDenied(_("報告できるのは会員だけです。"))
    post_id = target.pk if isinstance(target, Post) else target.post_id
    readable = Post.objects.visible_to(actor).filter(pk=post_id, deleted_at=None).exists()
    if target.is_deleted or not readable:
        raise PermissionDenied(_("この投稿やコメントは報告できません。"))


@transaction.atomic
def do_report(
    target: Post | Comment, *, reason: str, note: str, actor: User
) -> tuple[Report, bool]:
    """Any member who can read the target, on someone else's content. Returns the report and
    whether it is new; a second report on the same open case updates the first. New reports
    are rate-limited."""
    check_report(target, actor=actor)
    if target.author_id == actor.pk:
        raise ModerationError(_("ご自身の投稿やコメントは報告できません。"))
    if reason not in Reason.values:
        raise ModerationError(_("報告の理由を選んでください。"))
    note = note.strip()
    if len(note) > NOTE_MAX:
        raise ModerationError(_("補足は1,000文字以内で入力してください。"))
    now = timezone.now()
    case = _open_case(target)
    report = Report.objects.filter(case=case, reporter=actor).first()
    if report is not None:
        report.reason, report.note, report.updated_at = reason, note, now
        report.save(update_fields=["reason", "note", "updated_at"])
        return report, False
    recent = Report.objects.filter(reporter=actor, created_at__gte=now - REPORT_WINDOW).count()
    if recent >= REPORT_LIMIT:
        raise ModerationError(
            _(
                "短い時間にたくさんの報告をいただいたため、いったん受付を止めています。"
                "ご協力ありがとうございます。1時間ほどしてから、もう一度お試しください。"
            )
        )
    report = Report.objects.create(
        case=case, reporter=actor, reason=reason, note=note, created_at=now, updated_at=now
    )
    return report, True


def _mail_context(case: Case) -> dict[str, Any]:
    target = case.target
    reasons = set(case.reports.values_list("reason", flat=True))
    return {
        "user": case.author,
        "is_post": case.post_id is not None,
        "title": case.thread.title,
        "excerpt": (target.body or "")[:200],
        "message": case.message,
        "hidden": case.content_hidden,
        "reasons": reasons,
        "rules_url": settings.SITE_URL + reverse("members:rules"),
        "hidden_url": settings.SITE_URL + reverse("moderation:hidden"),
    }


def _hide(target: Post | Comment, actor: User) -> None:
    if isinstance(target, Post):
        do_delete_post(target, actor=actor)
    else:
        do_delete_comment(target, actor=actor)


def _restore(target: Post | Comment, actor: User) -> None:
    if isinstance(target, Post):
        do_restore_post(target, actor=actor)
    else:
        do_restore_comment(target, actor=actor)


def _check_fresh(case: Case, target: Post | Comment, decision: str) -> None:
    """Refusals that depend on the current state of the content and its author."""
    if decision == Decision.RESTORE and not target.is_deleted:
        raise ModerationError(_("この内容は削除されていないため、元に戻す必要はありません。"))
    if decision == Decision.SUSPEND:
        author = case.author
        if author.role != User.Role.MEMBER:
            raise ModerationError(
                _("運営事務局や管理者のアカウントは、ここから利用停止にできません。")
            )
        if not author.is_member:
            raise ModerationError(_("この投稿者はすでに利用停止中か、会員ではありません。"))


@transaction.atomic
def do_decide(
    case: Case,
    *,
    decision: str,
    note: str,
    message: str = "",
    also_hide: bool = False,
    actor: User,
) -> Case:
    """Staff only. Resolves every open report on the case with one decision:

    - hide: soft-deletes the post or comment and mails the author;
    - restore: brings back deleted content;
    - dismiss: nothing changes;
    - warn: mails the author the community rules that apply (and hides the content if asked);
    - suspend: suspends the author through accounts (ends their sessions and WebSockets; never
      staff or admins), and hides the content if asked.

    Only one decision wins when two staff members decide at once; the other gets a
    ModerationError. Audits `moderation.case.<decision>` (the posts and accounts actions add
    their own entries). Reporters are never named to the author.
    """
    if not actor.is_staff_member:
        raise PermissionDenied(_("報告への対応は運営事務局だけが行えます。"))
    note, message = note.strip(), message.strip()
    if decision not in Decision.values:
        raise ModerationError(_("対応を選んでください。"))
    if not note:
        raise ModerationError(_("記録のため、判断の理由をメモに入力してください。"))
    already = _("この報告は、すでにほかの運営メンバーが対応しました。")
    if not case.is_open:
        raise ModerationError(already)
    hides = decision == Decision.HIDE or (
        also_hide and decision in {Decision.WARN, Decision.SUSPEND}
    )
    # The conditional update is the lock: of two decisions at once, only one changes the row.
    # Any refusal below raises, which rolls the update back with everything else.
    won = Case.objects.filter(pk=case.pk, status=Case.Status.OPEN).update(
        status=Case.Status.RESOLVED,
        decision=decision,
        note=note,
        message=message,
        content_hidden=hides,
        decided_by=actor,
        decided_at=timezone.now(),
    )
    if not won:
        raise ModerationError(already)
    case.refresh_from_db()  # also forgets the cached content and author: check them fresh
    target = case.target
    _check_fresh(case, target, decision)
    if hides:
        _hide(target, actor)
    if decision == Decision.RESTORE:
        _restore(target, actor)
    if decision == Decision.SUSPEND:
        try:
            do_suspend_user(case.author, actor=actor, reason=note)
        except AccountError as error:  # rolls the whole decision back
            raise ModerationError(str(error)) from error
    if hides:
        # Stamped after hiding, so "deleted no later than decided" marks what the staff hid.
        Case.objects.filter(pk=case.pk).update(decided_at=timezone.now())
    if decision == Decision.WARN:
        queue_email(case.author.email, "moderation/email/warned", _mail_context(case))
    elif hides and decision != Decision.SUSPEND:  # the suspension mail says enough
        queue_email(case.author.email, "moderation/email/hidden", _mail_context(case))
    record(
        f"moderation.case.{decision}",
        actor=actor,
        target=case,
        subject_user=case.author,
        content=f"posts.{case.target_kind}:{target.pk}",
        reports=case.reports.count(),
        hidden=hides,
        note=note,
    )
    return case
