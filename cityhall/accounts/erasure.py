"""Anonymising a deleted account, in the caller's transaction.

The account row itself stays, emptied, so that what the community keeps (posts and comments
the member did not ask to delete, attendance counts, staff decisions in the audit log) points
at 「退会した会員」 instead of dangling. This module empties what the accounts app and the
audit log keep; `account_erased` then lets every domain above remove its own part
(cityhall/interface/erasure.py, the one place that knows where each domain keeps a member's
personal data, beside the data export).
"""

from datetime import datetime

from django.db.models import Q
from django.dispatch import Signal
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall.accounts.models import User, UserSession
from cityhall.audit.models import AuditEntry
from cityhall.core.models import Submission

DELETED_NAME = "退会した会員"
# Audit data keys that name or locate the person; the fact of the entry stays.
PERSONAL_AUDIT_KEYS = {
    "email", "old_email", "new_email", "ip", "device", "name", "full_name", "title",
    "reason", "message",
}  # fmt: skip

# Sent inside the erasing transaction once the account row is emptied, with `user`,
# `delete_content` (the member asked for their posts and comments to go too) and `now`.
account_erased = Signal()


def pseudonym(user_id: int) -> str:
    """How the audit log names a deleted member: stable, and nothing more."""
    return f"{DELETED_NAME} #{user_id}"


def freed_email(user_id: int) -> str:
    """A placeholder that can never receive mail (.invalid is reserved), so the member's own
    address is free to apply again."""
    return f"deleted-{user_id}@deleted.invalid"


def _scrub_audit(user: User) -> None:
    entries = AuditEntry.objects.filter(
        Q(subject_user=user)
        | Q(actor=user)
        | Q(target_type="accounts.user", target_id=str(user.pk))
    )
    for entry in entries.only("pk", "data"):
        data = {k: v for k, v in (entry.data or {}).items() if k not in PERSONAL_AUDIT_KEYS}
        data["person"] = pseudonym(user.pk)
        AuditEntry.objects.filter(pk=entry.pk).update(data=data)


def erase_account(user: User, *, delete_content: bool) -> None:
    """Remove everything that identifies `user`; call inside one transaction per member."""
    now: datetime = timezone.now()
    UserSession.objects.filter(user=user).delete()
    TOTPDevice.objects.filter(user=user).delete()
    Submission.objects.filter(user=user).delete()
    _scrub_audit(user)
    user.email = freed_email(user.pk)
    user.email_verified = False
    user.family_name = DELETED_NAME
    user.given_name = ""
    user.family_name_kana = ""
    user.given_name_kana = ""
    user.status = User.Status.DELETED
    user.role = User.Role.MEMBER
    user.is_active = False
    user.is_superuser = False
    user.two_factor_enabled = False
    user.suspension_reason = ""
    user.email_change_nonce = ""
    user.last_login = None
    user.set_unusable_password()
    user.save()
    account_erased.send(sender=User, user=user, delete_content=delete_content, now=now)
