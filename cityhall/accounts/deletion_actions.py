"""Deleting an account (APPI): the request, its cancellation, and the anonymisation.

A request waits ACCOUNT_DELETION_GRACE_DAYS; signing in meanwhile cancels it. Then the clock
(jobs.py) anonymises the account in one transaction per member (erasure.py). The email address
is freed at that moment, so the person may apply again later as a newcomer.
"""

from datetime import datetime, timedelta

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.actions import AccountError, _end_sessions
from cityhall.accounts.erasure import erase_account, pseudonym
from cityhall.accounts.models import AccountDeletion, User
from cityhall.audit.log import record
from cityhall.core.mail import queue_email
from cityhall.core.signing import LinkInvalid, read_link, sign_link

DELETION_LINK_SALT = "cityhall.accounts.deletion-link"


def pending_deletion(user: User) -> AccountDeletion | None:
    return AccountDeletion.objects.filter(user=user, state=AccountDeletion.State.PENDING).first()


def admin_refusal(user: User, *, actor: User) -> str:
    """Why `user`'s account may not be deleted because it is an admin's ("" if it is not):
    neither staff nor the admin themself start it. Only another admin changes an admin's
    role, so the last admin can never remove the community's last admin account."""
    if user.role != User.Role.ADMIN:
        return ""
    if actor.pk == user.pk:
        return _(
            "管理者のアカウントは削除できません。先にほかの管理者に役割を変更してもらってください。"
        )
    return _("管理者のアカウントは削除できません。先に役割を変更してください。")


def check_request_account_deletion(user: User, *, actor: User) -> None:
    """Refuses unless `actor` may ask to delete `user`'s account: the member themself (the
    page is for members only), or staff on a member's request; never an admin's account
    (`admin_refusal`). PermissionDenied for who may ask, AccountError for the account's
    state."""
    if not actor.is_member:
        raise PermissionDenied(_("退会の手続きは会員だけが行えます。運営事務局にご連絡ください。"))
    if actor.pk != user.pk and not actor.is_staff_member:
        raise PermissionDenied(_("ほかの会員の退会手続きは運営事務局だけが行えます。"))
    if refusal := admin_refusal(user, actor=actor):
        raise AccountError(refusal)
    if user.status == User.Status.DELETED:
        raise AccountError(_("このアカウントはすでに削除されています。"))
    if pending_deletion(user) is not None:
        raise AccountError(
            _("退会の手続きはすでに受け付けています。削除予定日までにログインすると取り消せます。")
        )


def make_deletion_token(user: User, delete_content: bool) -> str:
    """For a member without a password: the mailed link stands in for re-authentication."""
    last_login = user.last_login.isoformat() if user.last_login else ""
    data = {"u": user.pk, "c": bool(delete_content), "l": last_login}
    return sign_link(data, salt=DELETION_LINK_SALT)


def check_deletion_token(token: str, user: User) -> bool | None:
    """The link's `delete_content` choice when the link is valid for `user`, else None."""
    try:
        data = read_link(
            token, salt=DELETION_LINK_SALT, max_age=settings.ACCOUNT_DELETION_LINK_MAX_AGE
        )
    except LinkInvalid:  # expired links too
        return None
    last_login = user.last_login.isoformat() if user.last_login else ""
    if data.get("u") != user.pk or data.get("l") != last_login:
        return None
    return bool(data.get("c"))


@transaction.atomic
def do_send_deletion_link(user: User, *, delete_content: bool, actor: User) -> None:
    """The member themself, when they have no password to confirm with."""
    check_request_account_deletion(user, actor=actor)
    token = make_deletion_token(user, delete_content)
    queue_email(
        user.email,
        "accounts/email/deletion_link",
        {
            "user": user,
            "url": settings.SITE_URL + reverse("accounts:delete_confirm", args=[token]),
            "hours": settings.ACCOUNT_DELETION_LINK_MAX_AGE // 3600,
        },
        carries_secret=True,
    )


@transaction.atomic
def do_request_account_deletion(
    user: User, *, delete_content: bool, actor: User
) -> AccountDeletion:
    """The member themself (after re-authenticating) or staff on their request.

    Schedules the anonymisation ACCOUNT_DELETION_GRACE_DAYS ahead, signs the member out
    everywhere (signing in again cancels), mails them, audits `accounts.deletion.requested`.
    """
    user = User.objects.select_for_update().get(pk=user.pk)
    check_request_account_deletion(user, actor=actor)
    now = timezone.now()
    try:
        with transaction.atomic():
            deletion = AccountDeletion.objects.create(
                user=user,
                delete_content=delete_content,
                requested_by=actor,
                requested_at=now,
                due_at=now + timedelta(days=settings.ACCOUNT_DELETION_GRACE_DAYS),
            )
    except IntegrityError as error:  # a twin request committed first
        raise AccountError(_("退会の手続きはすでに受け付けています。")) from error
    _end_sessions(user)
    record(
        "accounts.deletion.requested",
        actor=actor,
        target=user,
        subject_user=user,
        delete_content=delete_content,
        due_at=deletion.due_at.isoformat(),
        by_staff=actor.pk != user.pk,
    )
    queue_email(
        user.email,
        "accounts/email/deletion_requested",
        {
            "user": user,
            "due_at": deletion.due_at,
            "delete_content": delete_content,
            "by_staff": actor.pk != user.pk,
            "login_url": settings.SITE_URL + reverse("accounts:login"),
        },
    )
    return deletion


@transaction.atomic
def do_cancel_account_deletion(user: User, *, actor: User) -> bool:
    """The member, by signing in during the grace period (or staff). True if one was pending.
    Audits `accounts.deletion.cancelled`."""
    if actor.pk != user.pk and not actor.is_staff_member:
        raise PermissionDenied(_("ほかの会員の退会手続きは運営事務局だけが取り消せます。"))
    cancelled = AccountDeletion.objects.filter(
        user=user, state=AccountDeletion.State.PENDING
    ).update(state=AccountDeletion.State.CANCELLED, finished_at=timezone.now())
    if cancelled:
        record("accounts.deletion.cancelled", actor=actor, target=user, subject_user=user)
    return bool(cancelled)


def do_erase_account(deletion: AccountDeletion, *, actor: User | None = None) -> bool:
    """The clock, once the request is due. One transaction per member: either everything
    personal is gone or nothing changed. Mails the old address a last confirmation and
    audits `accounts.deletion.completed` (naming the account by its pseudonym only).
    A person (rather than the clock) who runs it must be staff."""
    if actor is not None and not actor.is_staff_member:
        raise PermissionDenied(_("アカウントの削除は運営事務局だけが行えます。"))
    with transaction.atomic():
        deletion = (
            AccountDeletion.objects.select_for_update().select_related("user").get(pk=deletion.pk)
        )
        if deletion.state != AccountDeletion.State.PENDING:
            return False
        user = deletion.user
        old_email = user.email
        _end_sessions(user)
        erase_account(user, delete_content=deletion.delete_content)
        deletion.state = AccountDeletion.State.DONE
        deletion.finished_at = timezone.now()
        deletion.save(update_fields=["state", "finished_at"])
        record(
            "accounts.deletion.completed",
            actor=actor,
            target=user,
            subject_user=user,
            person=pseudonym(user.pk),
            delete_content=deletion.delete_content,
        )
        queue_email(old_email, "accounts/email/deletion_completed", {})
    return True


def do_erase_due_accounts(now: datetime) -> int:
    """Anonymise every account whose grace period is over (idempotent; run by the clock)."""
    due = AccountDeletion.objects.filter(
        state=AccountDeletion.State.PENDING, due_at__lte=now
    ).order_by("due_at", "pk")
    return sum(do_erase_account(deletion) for deletion in due)
