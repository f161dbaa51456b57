"""Every write of the joining path: apply, verify the address, answer staff, staff decisions,
and the first password. Mail is queued in the same transaction and sent after commit."""

import uuid
from collections.abc import Mapping
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth import password_validation
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.core.mail import queue_email
from cityhall.core.throttle import once_per
from cityhall.members import evidence, onboarding, tokens
from cityhall.members.models import MembershipApplication, Profile
from cityhall.members.queue import forget_pending_count
from cityhall.members.signals import application_verified

Status = MembershipApplication.Status
OPEN_STATUSES = (Status.UNVERIFIED, Status.PENDING, Status.NEEDS_INFO)
DECIDABLE_STATUSES = (Status.PENDING, Status.NEEDS_INFO)
# One notice per address, and one fresh verification link per application, per interval:
# the public form must not become a way to flood someone's mailbox.
NOTICE_INTERVAL = 10 * 60
RESEND_INTERVAL = 5 * 60
NAME_FIELDS = ("family_name", "given_name", "family_name_kana", "given_name_kana")
SURVEY_FIELDS = ("organization", "department", "title", "referral", "referral_detail")
ANSWER_FIELDS = (*NAME_FIELDS, *SURVEY_FIELDS, "interests", "introduction")


class ActionRefused(Exception):
    """The change cannot be made in the application's current state; `message` says why."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


REJECTED_RETENTION = timedelta(days=365)


def check_review_application(actor: User) -> None:
    """Raises PermissionDenied unless `actor` may decide applications: staff (or admins)."""
    if not actor.is_staff_member:
        raise PermissionDenied(_("申請の審査は運営事務局だけが行えます。"))


def check_own_application(application: MembershipApplication, *, actor: User) -> None:
    """Raises PermissionDenied unless the application is `actor`'s own."""
    if application.user_id != actor.pk:
        raise PermissionDenied(_("ご自身の申請だけを操作できます。"))


def _check_system_or_staff(actor: User | None) -> None:
    # Run by the clock (no actor); a person who runs it by hand must be staff.
    if actor is not None and not actor.is_staff_member:
        raise PermissionDenied(_("この操作は運営事務局だけが行えます。"))


def absolute_url(path: str) -> str:
    return settings.SITE_URL + path


def verification_url(application: MembershipApplication) -> str:
    return absolute_url(reverse("members:verify", args=[tokens.verification_token(application)]))


def activation_url(user: User) -> str:
    return absolute_url(reverse("members:activate", args=[tokens.activation_token(user)]))


def _queue_verification(application: MembershipApplication) -> None:
    queue_email(
        application.email,
        "members/email/verify",
        {
            "application": application,
            "url": verification_url(application),
            "hours": settings.EMAIL_VERIFICATION_MAX_AGE // 3600,
        },
        carries_secret=True,
    )


def _may_apply_again(user: User) -> bool:
    """Only a rejected person, with no application still open, starts a new application."""
    return (
        user.status == User.Status.REJECTED
        and not user.applications.filter(status__in=OPEN_STATUSES).exists()
    )


def _queue_existing_account_notice(user: User) -> None:
    """Tell the owner of the address what to do, with the link that helps them most."""
    if not once_per(f"members:notice:{user.pk}", NOTICE_INTERVAL):
        return
    open_application = user.applications.filter(status__in=OPEN_STATUSES).first()
    context: dict[str, Any] = {
        "user": user,
        "login_url": absolute_url(reverse("accounts:login")),
        "status_url": absolute_url(reverse("members:status")),
        "application": open_application,
    }
    if open_application is not None and open_application.status == Status.UNVERIFIED:
        context["verify_url"] = verification_url(open_application)
    if user.status == User.Status.MEMBER and not user.has_usable_password():
        context["activation_url"] = activation_url(user)
    secret = "verify_url" in context or "activation_url" in context
    queue_email(user.email, "members/email/already_registered", context, carries_secret=secret)


def _copy_answers_to_account(application: MembershipApplication) -> None:
    """The account and profile show what the latest application says about who the person
    is. The self-introduction and interests were written for the reviewers (「審査の参考に
    します」), so they stay in the application: the member writes a profile of their own."""
    user = application.user
    for field in NAME_FIELDS:
        setattr(user, field, getattr(application, field))
    user.save(update_fields=list(NAME_FIELDS))
    profile, _created = Profile.objects.update_or_create(
        user=user,
        defaults={
            "organization_id": application.organization_id,
            "department": application.department,
            "title": application.title,
        },
    )
    profile.duties.set(application.duties.all())


@transaction.atomic
def do_submit_application(
    data: Mapping[str, Any], *, actor: User | None = None
) -> MembershipApplication | None:
    """Anyone, from the public form (`data` is ApplicationForm.cleaned_data).

    Creates the account (applicant, no usable password, address unverified), its profile and
    the application, audits `members.application.submitted` and queues the verification mail.
    Returns None and creates nothing for a second submission of the same form, or when the
    address already has an account: that address is mailed a notice instead, and the page the
    visitor sees is the same, so nobody learns whether an address is registered. A rejected
    person may apply again: the new application joins their existing account. Without a
    submission key (an old page) every submission is a new one.
    """
    key = data.get("submission_key") or uuid.uuid4()
    if MembershipApplication.objects.filter(submission_key=key).exists():
        return None
    email = data["email"].strip().lower()
    user = User.objects.select_for_update().filter(email__iexact=email).first()
    if user is not None and not _may_apply_again(user):
        _queue_existing_account_notice(user)
        return None
    try:
        with transaction.atomic():  # a savepoint, so a concurrent twin submission fails cleanly
            if user is None:
                user = User.objects.create_user(
                    email, None, status=User.Status.APPLICANT, email_verified=False
                )
            application = MembershipApplication.objects.create(
                user=user,
                submission_key=key,
                email=email,
                **evidence.match_fields(email, data["family_name"], data["given_name"]),
                policy_version=settings.POLICY_VERSION,
                consented_at=timezone.now(),
                **{field: data[field] for field in ANSWER_FIELDS},
            )
    except IntegrityError:
        return None
    application.duties.set(data["duties"])
    if user.status == User.Status.APPLICANT:  # a rejected person's account waits for the link
        _copy_answers_to_account(application)
    record("members.application.submitted", actor=actor, target=application, subject_user=user)
    _queue_verification(application)
    return application


def do_resend_verification(
    application: MembershipApplication, *, actor: User | None = None
) -> bool:
    """Anyone holding an expired verification link of an application still unverified.

    Queues a fresh link; False (and nothing sent) when one was sent in the last few minutes.
    """
    if application.status != Status.UNVERIFIED:
        return False
    if not once_per(f"members:resend:{application.pk}", RESEND_INTERVAL):
        return False
    with transaction.atomic():
        _queue_verification(application)
    return True


@transaction.atomic
def do_verify_email(application: MembershipApplication, *, actor: User | None = None) -> bool:
    """Anyone holding a valid verification link: the address is confirmed.

    The application moves to PENDING (staff's queue) and the account's address is verified; a
    rejected person's account returns to applicant with the new answers. Audits
    `members.application.verified`. False when the link was already used.
    """
    moved = MembershipApplication.objects.filter(
        pk=application.pk, status=Status.UNVERIFIED
    ).update(status=Status.PENDING, verified_at=timezone.now())
    if not moved:
        return False
    forget_pending_count()
    application.refresh_from_db()
    user = User.objects.select_for_update().get(pk=application.user_id)
    application.user = user
    user.email_verified = True
    fields = ["email_verified"]
    if user.status == User.Status.REJECTED:
        user.status = User.Status.APPLICANT
        fields.append("status")
    user.save(update_fields=fields)
    _copy_answers_to_account(application)
    record(
        "members.application.verified", actor=actor or user, target=application, subject_user=user
    )
    application_verified.send(sender=MembershipApplication, application=application)
    return True


@transaction.atomic
def do_resubmit_application(
    application: MembershipApplication, data: Mapping[str, Any], *, actor: User
) -> MembershipApplication:
    """The applicant, answering staff's request for more information (`data`: ReplyForm).

    Updates the answers and the profile, moves NEEDS_INFO back to PENDING and audits
    `members.application.resubmitted`.
    """
    check_own_application(application, actor=actor)
    fields = ("applicant_reply", "organization", "department", "title", "introduction")
    moved = MembershipApplication.objects.filter(
        pk=application.pk, user=actor, status=Status.NEEDS_INFO
    ).update(status=Status.PENDING, **{f: data[f] for f in fields})
    if not moved:
        raise ActionRefused(_("この申請は現在、回答を受け付けていません。"))
    forget_pending_count()
    application.refresh_from_db()
    application.duties.set(data["duties"])
    _copy_answers_to_account(application)
    record(
        "members.application.resubmitted",
        actor=actor,
        target=application,
        subject_user=application.user,
    )
    return application


def check_correct_application(application: MembershipApplication, *, actor: User) -> None:
    """Raises PermissionDenied unless the application is `actor`'s own, and ActionRefused once
    staff decided it (or it was withdrawn): only an open application may be corrected."""
    check_own_application(application, actor=actor)
    if application.status not in OPEN_STATUSES:
        raise ActionRefused(
            _("この申請はすでに「%(status)s」になっているため、修正できません。")
            % {"status": application.get_status_display()}
        )


def _answer(application: MembershipApplication, field: str) -> Any:
    return application.organization_id if field == "organization" else getattr(application, field)


@transaction.atomic
def do_correct_application(
    application: MembershipApplication, data: Mapping[str, Any], *, actor: User
) -> list[str]:
    """The applicant, on their own application not yet decided (`data`: CorrectionForm).

    Saves the changed answers (and the account's names and profile, as a new application
    does), keeps duties staff have since hidden, and returns the names of the changed fields:
    none, and nothing saved, when nothing changed. An application staff asked about
    (NEEDS_INFO) goes back to their queue, as a reply does. Audits
    `members.application.corrected` with the changed fields, never their values.
    """
    check_own_application(application, actor=actor)
    current = (
        MembershipApplication.objects.select_for_update()
        .select_related("user")
        .get(pk=application.pk)
    )
    check_correct_application(current, actor=actor)
    new_values = {
        field: data[field].pk if field == "organization" else data[field] for field in ANSWER_FIELDS
    }
    changed = [field for field in ANSWER_FIELDS if _answer(current, field) != new_values[field]]
    old_duties = set(current.duties.all())
    # A duty staff hid since is no longer offered on the form; the applicant did not drop it.
    new_duties = set(data["duties"]) | {duty for duty in old_duties if not duty.is_active}
    if new_duties != old_duties:
        changed.append("duties")
    if not changed:
        return []
    for field in ANSWER_FIELDS:
        setattr(current, field, data[field])
    for key, value in evidence.match_fields(
        current.email, current.family_name, current.given_name
    ).items():
        setattr(current, key, value)
    update_fields = [*ANSWER_FIELDS, "email_key", "name_key", "government_domain"]
    returned_to_review = current.status == Status.NEEDS_INFO
    if returned_to_review:
        current.status = Status.PENDING
        update_fields.append("status")
    current.save(update_fields=update_fields)
    if "duties" in changed:
        current.duties.set(new_duties)
    if returned_to_review:
        forget_pending_count()
    if current.user.status == User.Status.APPLICANT:  # a rejected person's waits for the link
        _copy_answers_to_account(current)
    record(
        "members.application.corrected",
        actor=actor,
        target=current,
        subject_user=current.user,
        fields=changed,
        returned_to_review=returned_to_review,
    )
    application.refresh_from_db()
    return changed


def _decide(
    application: MembershipApplication,
    status: str,
    *,
    actor: User,
    message: str,
    allowed: tuple[str, ...] = DECIDABLE_STATUSES,
) -> MembershipApplication:
    """Move an open application to `status`, unless someone decided it first."""
    changes: dict[str, Any] = {"status": status, "staff_message": message}
    if status in (Status.APPROVED, Status.REJECTED):
        changes.update(decided_at=timezone.now(), decided_by=actor)
    moved = MembershipApplication.objects.filter(pk=application.pk, status__in=allowed).update(
        **changes
    )
    if not moved:
        current = MembershipApplication.objects.get(pk=application.pk)
        raise ActionRefused(
            _("この申請はすでに「%(status)s」になっているため、操作できません。")
            % {"status": current.get_status_display()}
        )
    forget_pending_count()
    application.refresh_from_db()
    return application


@transaction.atomic
def do_approve_application(
    application: MembershipApplication, *, actor: User
) -> MembershipApplication:
    """Staff. The applicant becomes a member (the password stays unusable until they set it
    from the link in the approval mail). Audits `members.application.approved`."""
    check_review_application(actor)
    application = _decide(application, Status.APPROVED, actor=actor, message="")
    user = User.objects.select_for_update().get(pk=application.user_id)
    user.status = User.Status.MEMBER
    user.approved_at = timezone.now()
    user.email_verified = True
    user.save(update_fields=["status", "approved_at", "email_verified"])
    record("members.application.approved", actor=actor, target=application, subject_user=user)
    queue_email(
        user.email,
        "members/email/approved",
        {
            "user": user,
            "url": activation_url(user),
            "days": settings.ACTIVATION_MAX_AGE // 86400,
            "welcome_url": absolute_url(reverse("members:welcome")),
            "briefing": onboarding.next_briefing_time(),
            "briefing_url": absolute_url(reverse("events:briefing")),
        },
        carries_secret=True,
    )
    return application


@transaction.atomic
def do_reject_application(
    application: MembershipApplication, reason: str, *, actor: User
) -> MembershipApplication:
    """Staff. The reason (required) is mailed to the applicant and shown on their status
    page. Audits `members.application.rejected`."""
    check_review_application(actor)
    reason = reason.strip()
    if not reason:
        raise ActionRefused(_("不承認の理由を入力してください。"))
    application = _decide(application, Status.REJECTED, actor=actor, message=reason)
    user = User.objects.select_for_update().get(pk=application.user_id)
    if user.status == User.Status.APPLICANT:
        user.status = User.Status.REJECTED
        user.save(update_fields=["status"])
    record(
        "members.application.rejected",
        actor=actor,
        target=application,
        subject_user=user,
        reason=reason,
    )
    queue_email(
        user.email,
        "members/email/rejected",
        {
            "user": user,
            "reason": reason,
            "status_url": absolute_url(reverse("members:status")),
        },
    )
    return application


@transaction.atomic
def do_request_more_information(
    application: MembershipApplication, message: str, *, actor: User
) -> MembershipApplication:
    """Staff. Asks the applicant a question (required); they answer on their status page.
    Audits `members.application.info_requested`."""
    check_review_application(actor)
    message = message.strip()
    if not message:
        raise ActionRefused(_("申請者に確認したいことを入力してください。"))
    application = _decide(
        application, Status.NEEDS_INFO, actor=actor, message=message, allowed=(Status.PENDING,)
    )
    record(
        "members.application.info_requested",
        actor=actor,
        target=application,
        subject_user=application.user,
        message=message,
    )
    queue_email(
        application.user.email,
        "members/email/info_requested",
        {
            "user": application.user,
            "message": message,
            "status_url": absolute_url(reverse("members:status")),
        },
    )
    return application


@transaction.atomic
def do_withdraw_application(
    application: MembershipApplication, *, actor: User
) -> MembershipApplication:
    """The applicant, on their own application not yet decided. The account becomes one that
    may apply again (like a rejected one, and purged the same way after a year). Audits
    `members.application.withdrawn`."""
    check_own_application(application, actor=actor)
    moved = MembershipApplication.objects.filter(
        pk=application.pk, status__in=OPEN_STATUSES
    ).update(status=Status.WITHDRAWN, decided_at=timezone.now(), decided_by=None)
    if not moved:
        current = MembershipApplication.objects.get(pk=application.pk)
        raise ActionRefused(
            _("この申請はすでに「%(status)s」になっているため、取り下げられません。")
            % {"status": current.get_status_display()}
        )
    forget_pending_count()
    application.refresh_from_db()
    user = User.objects.select_for_update().get(pk=application.user_id)
    if user.status == User.Status.APPLICANT:
        user.status = User.Status.REJECTED
        user.save(update_fields=["status"])
    record("members.application.withdrawn", actor=actor, target=application, subject_user=user)
    return application


@transaction.atomic
def do_activate_account(user: User, password: str, *, actor: User | None = None) -> User:
    """The approved member, from the link in the approval mail: sets the first password.

    The link is the permission (the page checks it); a signed-in actor, if given, must be the
    member themself. Refused once a password exists (the link is single use). Audits
    `members.account.activated`.
    """
    if actor is not None and actor.pk != user.pk:
        raise PermissionDenied(_("パスワードはご本人だけが設定できます。"))
    user = User.objects.select_for_update().get(pk=user.pk)
    if user.has_usable_password() or user.status != User.Status.MEMBER:
        raise ActionRefused(_("このリンクはすでに使用されています。"))
    user.set_password(password)
    user.save(update_fields=["password"])
    password_validation.password_changed(password, user)
    record("members.account.activated", actor=actor or user, target=user, subject_user=user)
    return user


@transaction.atomic
def do_purge_expired_applications(*, actor: User | None = None, now: datetime | None = None) -> int:
    """Delete applications declined more than a year ago, as the privacy policy promises, and
    the accounts of people who never became members. Run daily (`manage.py purge_expired_data`)
    with no actor; a person who runs it must be staff.
    """
    _check_system_or_staff(actor)
    cutoff = (now or timezone.now()) - REJECTED_RETENTION
    expired = MembershipApplication.objects.filter(
        status__in=(Status.REJECTED, Status.WITHDRAWN), decided_at__lt=cutoff
    )
    user_ids = set(expired.values_list("user_id", flat=True))
    count, _ = expired.delete()
    # An account goes with its last application, unless it has since become something else.
    User.objects.filter(
        pk__in=user_ids, status=User.Status.REJECTED, applications__isnull=True
    ).delete()
    if count:
        record("members.application.purged", actor=actor, count=count)
    return count
