"""Every write to accounts: credentials, sessions, two-factor devices, roles and suspension.

Security changes and staff decisions are audited; mail goes out through the queue after commit;
ending sessions also closes the person's open WebSockets after commit.
"""

import logging
import secrets
from functools import partial
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.contrib.auth.tokens import default_token_generator
from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.encoding import force_bytes
from django.utils.http import urlsafe_base64_encode
from django.utils.translation import gettext as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts import tokens
from cityhall.accounts.models import User, UserSession
from cityhall.accounts.throttle import Counter
from cityhall.audit.log import record
from cityhall.notifications.mail import queue_email
from cityhall.realtime.consumers import user_group
from cityhall.realtime.send import group_send

logger = logging.getLogger(__name__)

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


def find_account(email: str) -> User | None:
    return User.objects.filter(email__iexact=email.strip(), is_active=True).first()


def _close_websockets(user_id: int) -> None:
    try:
        group_send(user_group(user_id), {"type": "session_ended"})
    except Exception:  # the change is committed; a layer outage must not turn it into an error
        logger.exception(
            "could not tell the WebSockets of user %s that their sessions ended", user_id
        )


def _end_sessions(user: User, keep_session_key: str | None = None) -> int:
    """Delete the user's sessions (but the kept one) and, after commit, close their sockets.

    Every socket of the user is closed: those of a kept session simply reconnect.
    """
    sessions = UserSession.objects.filter(user=user)
    if keep_session_key:
        sessions = sessions.exclude(session_key=keep_session_key)
    count, _deleted = sessions.delete()
    transaction.on_commit(partial(_close_websockets, user.pk))
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
    """The member themself (password change or reset). Ends their other sessions, mails a
    notice, audits `accounts.password.changed`."""
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
    """The member themself, from the sessions page. Audits `accounts.session.ended`."""
    session.delete()
    transaction.on_commit(partial(_close_websockets, user.pk))
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
    closes open WebSockets after commit, audits `accounts.sessions.ended`. Returns the count."""
    count = _end_sessions(user, keep_session_key)
    record("accounts.sessions.ended", actor=actor, target=user, subject_user=user, count=count)
    return count


# --- Two-factor authentication --------------------------------------------------------------


@transaction.atomic
def do_enable_two_factor(user: User, *, actor: User, key: str, last_t: int) -> TOTPDevice:
    """The member themself, after entering a correct code for the new secret. Replaces any
    earlier device, mails a notice, audits `accounts.two_factor.enabled`."""
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


# --- Staff decisions ------------------------------------------------------------------------


@transaction.atomic
def do_suspend_user(user: User, *, actor: User, reason: str) -> None:
    """Staff, on another member who is not an admin. Ends every session of the member at once
    and closes their WebSockets after commit; mails them; audits `accounts.user.suspended`."""
    reason = reason.strip()
    if not actor.is_staff_member:
        raise AccountError(_("利用停止は運営事務局だけが行えます。"))
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
    if not actor.is_staff_member:
        raise AccountError(_("利用再開は運営事務局だけが行えます。"))
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
        raise AccountError(_("役割を変更できるのは管理者だけです。"))
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
