"""Every write to accounts: credentials, sessions, two-factor devices, roles and suspension.

Security changes and staff decisions are audited; mail goes out through the queue after commit;
ending sessions also closes the person's open WebSockets after commit.
"""

import secrets
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts import tokens
from cityhall.accounts.models import User, UserSession
from cityhall.audit.log import record
from cityhall.core.mail import queue_email
from cityhall.core.throttle import Counter
from cityhall.realtime.consumers import user_group
from cityhall.realtime.send import send_on_commit

# At most this many sign-in or reset mails per address per hour, so the form cannot mail-bomb.
MAIL_LIMIT = 5


class AccountError(Exception):
    """An action refused; the message is shown to the person as is."""


def _url(name: str, *args: Any) -> str:
    return settings.SITE_URL + reverse(name, args=args)


def _mail_allowed(kind: str, email: str) -> bool:
    counter = Counter(kind, email, limit=MAIL_LIMIT, window=60 * 60)
    if counter.blocked_until():
        return False
    counter.fail()
    return True


def check_own_account(user: User, *, actor: User, members_only: bool = False) -> None:
    """Raises PermissionDenied unless `actor` acts on their own account (and, for what only
    members may change, is a member: the pages behind it are for members only)."""
    if actor.pk != user.pk:
        raise PermissionDenied(_("ご自身のアカウントだけを変更できます。"))
    if members_only and not actor.is_member:
        raise PermissionDenied(_("この操作は会員だけが行えます。"))


def check_staff(actor: User, message: str) -> None:
    """Raises PermissionDenied with `message` unless `actor` is staff (or an admin)."""
    if not actor.is_staff_member:
        raise PermissionDenied(message)


def find_account(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()


def _end_sessions(user: User, keep_session_key: str | None = None) -> int:
    """Delete the user's sessions (but the kept one) and, after commit, close their sockets.

    Every socket of the user is closed: those of a kept session simply reconnect.
    """
    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    count, _deleted = sessions.delete()
    send_on_commit(user_group(user.pk), {"type": "session_ended"})
    return count


# --- Signing in -----------------------------------------------------------------------------


def do_record_login_throttled(email: str, *, ip: str | None, limit: str) -> None:
    """Called by the sign-in page when it refuses because of repeated failures."""
    record(
        "accounts.login.throttled",
        actor=None,
        subject_user=find_account(email),
        email=email.strip()[:254],
        ip=ip,
        limit=limit,
    )


@transaction.atomic
def do_send_sign_in_link(email: str) -> None:
    """Anyone may ask. Every active account gets a single-use sign-in link: applicants and
    members without a password sign in this way, and members with one use it when password
    sign-in is slowed down by someone guessing. Unknown addresses get nothing, and the caller
    never learns which case applied."""
    user = find_account(email)
    if user is None or not _mail_allowed("sign-in-mail", user.email):
        return
    _queue_sign_in_link(user)


def _queue_sign_in_link(user: User) -> None:
    queue_email(
        user.email,
        "accounts/email/sign_in_link",
        {
            "user": user,
            "url": tokens.sign_in_url(user),
            "minutes": settings.SIGN_IN_LINK_MAX_AGE // 60,
        },
        carries_secret=True,
    )


@transaction.atomic
def do_send_password_reset(email: str) -> None:
    """Anyone may ask. Members (with or without a password yet) and anyone who already has a
    password get a reset link; applicants without a password get a sign-in link instead,
    since they are not given a password before approval."""
    user = find_account(email)
    if user is None or not _mail_allowed("reset-mail", user.email):
        return
    if not user.is_member and not user.has_usable_password():
        _queue_sign_in_link(user)
        return
    uid = urlsafe_base64_encode(force_bytes(user.pk))
    queue_email(
        user.email,
        "accounts/email/password_reset",
        {
            "user": user,
            "url": _url(
                "accounts:password_reset_confirm", uid, default_token_generator.make_token(user)
            ),
            "hours": settings.PASSWORD_RESET_TIMEOUT // 3600,
        },
        carries_secret=True,
    )


@transaction.atomic
def do_set_password(
    user: User, password: str, *, actor: User, keep_session_key: str | None = None
) -> None:
    """The person themself (password change, or a reset link, which any account may use).
    Ends their other sessions, mails a notice, audits `accounts.password.changed`."""
    check_own_account(user, actor=actor)
    first_time = not user.has_usable_password()
    user.set_password(password)
    user.save(update_fields=["password"])
    password_validation.password_changed(password, user)
    _end_sessions(user, keep_session_key)
    record(
        "accounts.password.changed",
        actor=actor,
        target=user,
        subject_user=user,
        first_time=first_time,
    )
    queue_email(
        user.email,
        "accounts/email/password_changed",
        {
            "user": user,
            "first_time": first_time,
            "reset_url": _url("accounts:password_reset"),
        },
    )


# --- Email address --------------------------------------------------------------------------


@transaction.atomic
def do_request_email_change(user: User, new_email: str, *, actor: User) -> None:
    """The member themself, after giving their password. Mails a confirmation link to the new
    address (or, if another account uses it, a note saying so, so the page reveals nothing).
    Any earlier link is superseded."""
    check_own_account(user, actor=actor, members_only=True)
    new_email = User.objects.normalize_email(new_email.strip()).lower()
    user.email_change_nonce = secrets.token_hex(16)
    user.save(update_fields=["email_change_nonce"])
    record(
        "accounts.email.change_requested",
        actor=actor,
        target=user,
        subject_user=user,
        new_email=new_email,
    )
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        queue_email(new_email, "accounts/email/email_change_taken", {"user": user})
        return
    token = tokens.make_email_change_token(user, new_email)
    queue_email(
        new_email,
        "accounts/email/email_change_confirm",
        {
            "user": user,
            "url": _url("accounts:email_change_confirm", token),
            "hours": settings.EMAIL_CHANGE_MAX_AGE // 3600,
        },
        carries_secret=True,
    )


@transaction.atomic
def do_confirm_email_change(user: User, new_email: str) -> None:
    """Whoever holds the link sent to the new address. Changes the address, notifies the old
    one, audits `accounts.email.changed`. Raises AccountError if the address is taken."""
    user = User.objects.select_for_update().get(pk=user.pk)
    if User.objects.filter(email__iexact=new_email).exclude(pk=user.pk).exists():
        raise AccountError(_("このメールアドレスはすでに別のアカウントで使われています。"))
    old_email = user.email
    user.email = new_email
    user.email_verified = True
    user.email_change_nonce = ""
    user.save(update_fields=["email", "email_verified", "email_change_nonce"])
    record(
        "accounts.email.changed",
        actor=user,
        target=user,
        subject_user=user,
        old_email=old_email,
        new_email=new_email,
    )
    queue_email(
        old_email,
        "accounts/email/email_changed",
        {"user": user, "old_email": old_email, "new_email": new_email},
    )


# --- Sessions -------------------------------------------------------------------------------


@transaction.atomic
def do_sign_out_session(user: User, session: UserSession, *, actor: User) -> None:
    """The person themself, on one of their own sessions. Audits `accounts.session.ended`."""
    check_own_account(user, actor=actor)
    if session.user_id != user.pk:
        raise PermissionDenied(_("ご自身のログイン中の端末だけをログアウトできます。"))
    session.delete()
    send_on_commit(user_group(user.pk), {"type": "session_ended"})
    record(
        "accounts.session.ended",
        actor=actor,
        target=user,
        subject_user=user,
        device=session.user_agent[:100],
    )


@transaction.atomic
def do_sign_out_everywhere(user: User, *, actor: User, keep_session_key: str | None = None) -> int:
    """The member themself (keeping the current session) or staff. Ends the sessions at once,
    closes open WebSockets after commit, audits `accounts.sessions.ended`. Returns the count.
    Ending one's own sessions is allowed whatever the account's status: it only protects it."""
    if actor.pk != user.pk:
        check_staff(actor, _("ほかの会員をログアウトさせられるのは運営事務局だけです。"))
    count = _end_sessions(user, keep_session_key)
    record("accounts.sessions.ended", actor=actor, target=user, subject_user=user, count=count)
    return count


# --- Two-factor authentication --------------------------------------------------------------


@transaction.atomic
def do_enable_two_factor(user: User, *, actor: User, key: str, last_t: int) -> TOTPDevice:
    """The member themself, after entering a correct code for the new secret. Replaces any
    earlier device, mails a notice, audits `accounts.two_factor.enabled`."""
    check_own_account(user, actor=actor, members_only=True)
    TOTPDevice.objects.filter(user=user).delete()
    device = TOTPDevice.objects.create(
        user=user, name=_("認証アプリ"), key=key, confirmed=True, last_t=last_t
    )
    user.two_factor_enabled = True
    user.save(update_fields=["two_factor_enabled"])
    record("accounts.two_factor.enabled", actor=actor, target=user, subject_user=user)
    queue_email(user.email, "accounts/email/two_factor_enabled", {"user": user})
    return device


@transaction.atomic
def do_disable_two_factor(user: User, *, actor: User) -> None:
    """Members only (staff must keep it), after entering a correct code. Mails a notice,
    audits `accounts.two_factor.disabled`."""
    check_own_account(user, actor=actor, members_only=True)
    if user.is_staff_member:
        raise AccountError(_("運営事務局の方は二段階認証を無効にできません。"))
    TOTPDevice.objects.filter(user=user).delete()
    user.two_factor_enabled = False
    user.save(update_fields=["two_factor_enabled"])
    record("accounts.two_factor.disabled", actor=actor, target=user, subject_user=user)
    queue_email(user.email, "accounts/email/two_factor_disabled", {"user": user})


def do_record_two_factor_throttled(user: User) -> None:
    """Called by the code page when it refuses because of repeated wrong codes."""
    record("accounts.two_factor.throttled", actor=user, target=user, subject_user=user)


RESET_REASON_MAX = 1000


@transaction.atomic
def do_reset_two_factor(user: User, reason: str, *, actor: User) -> None:
    """Admins, for someone who lost their authenticator, never on themselves or another admin
    (whose role must change first). Deletes the TOTP devices and ends every session (closing
    open WebSockets after commit). The requirement stays: staff, and members who had turned it
    on, set up a new authenticator at their next sign-in, as the mail to them says. Audits
    `accounts.two_factor.reset` with the reason (required; kept out of the mail)."""
    if not actor.is_admin:
        raise PermissionDenied(_("二段階認証をリセットできるのは管理者だけです。"))
    if user.pk == actor.pk:
        raise AccountError(_("自分自身の二段階認証はリセットできません。"))
    if user.role == User.Role.ADMIN:
        raise AccountError(
            _("管理者の二段階認証はリセットできません。先に役割を変更してください。")
        )
    reason = reason.strip()
    if not reason:
        raise AccountError(_("リセットの理由を入力してください。"))
    if len(reason) > RESET_REASON_MAX:
        raise AccountError(
            _("リセットの理由は%(limit)d文字以内で入力してください。") % {"limit": RESET_REASON_MAX}
        )
    devices = TOTPDevice.objects.filter(user=user)
    if not devices.exists():
        raise AccountError(_("この方は認証アプリを登録していません。"))
    devices.delete()
    _end_sessions(user)
    record("accounts.two_factor.reset", actor=actor, target=user, subject_user=user, reason=reason)
    queue_email(
        user.email,
        "accounts/email/two_factor_reset",
        {"user": user, "login_url": _url("accounts:login")},
    )


# --- Staff decisions ------------------------------------------------------------------------


@transaction.atomic
def do_suspend_user(user: User, *, actor: User, reason: str) -> None:
    """Staff, on another member who is not an admin. Ends every session of the member at once
    and closes their WebSockets after commit; mails them; audits `accounts.user.suspended`."""
    check_staff(actor, _("利用停止は運営事務局だけが行えます。"))
    reason = reason.strip()
    if user.pk == actor.pk:
        raise AccountError(_("自分自身を利用停止にすることはできません。"))
    if user.role == User.Role.ADMIN:
        raise AccountError(
            _("管理者を利用停止にすることはできません。先に役割を変更してください。")
        )
    if user.status != User.Status.MEMBER:
        raise AccountError(_("利用停止にできるのは会員だけです。"))
    if not reason:
        raise AccountError(_("利用停止の理由を入力してください。"))
    user.status = User.Status.SUSPENDED
    user.suspended_at = timezone.now()
    user.suspension_reason = reason
    user.save(update_fields=["status", "suspended_at", "suspension_reason"])
    _end_sessions(user)
    record("accounts.user.suspended", actor=actor, target=user, subject_user=user, reason=reason)
    queue_email(user.email, "accounts/email/suspended", {"user": user, "reason": reason})


@transaction.atomic
def do_reactivate_user(user: User, *, actor: User) -> None:
    """Staff, on a suspended member. Mails them; audits `accounts.user.reactivated`."""
    check_staff(actor, _("利用再開は運営事務局だけが行えます。"))
    if user.status != User.Status.SUSPENDED:
        raise AccountError(_("このアカウントは利用停止中ではありません。"))
    user.status = User.Status.MEMBER
    user.suspended_at = None
    user.suspension_reason = ""
    user.save(update_fields=["status", "suspended_at", "suspension_reason"])
    record("accounts.user.reactivated", actor=actor, target=user, subject_user=user)
    queue_email(
        user.email,
        "accounts/email/reactivated",
        {"user": user, "login_url": _url("accounts:login")},
    )


@transaction.atomic
def do_change_role(user: User, *, actor: User, role: str) -> None:
    """Admins only, on another member. Mails them; audits `accounts.user.role_changed`."""
    if not actor.is_admin:
        raise PermissionDenied(_("役割を変更できるのは管理者だけです。"))
    if user.pk == actor.pk:
        raise AccountError(_("自分自身の役割は変更できません。"))
    if role not in User.Role.values:
        raise AccountError(_("役割の指定が正しくありません。"))
    if not user.is_member:
        raise AccountError(_("役割を変更できるのは会員だけです。"))
    if user.role == role:
        return
    old_role = user.role
    user.role = role
    user.save(update_fields=["role"])
    record(
        "accounts.user.role_changed",
        actor=actor,
        target=user,
        subject_user=user,
        old_role=old_role,
        new_role=role,
    )
    queue_email(
        user.email,
        "accounts/email/role_changed",
        {
            "user": user,
            "role": user.get_role_display(),
            "needs_two_factor": user.is_staff_member and not user.two_factor_enabled,
            "setup_url": _url("accounts:two_factor_setup"),
        },
    )
