"""Test personas and helpers shared by every app's tests (see conftest.py for the fixtures)."""

from typing import Any

from django.test import Client
from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.members.evidence import match_fields
from cityhall.members.models import MembershipApplication, Profile
from cityhall.organizations.models import Organization

PASSWORD = "correct-horse-battery-staple"


def organization(code: str = "015113") -> Organization:
    """A real local government from the reference data (default: 猿払村, 北海道)."""
    return Organization.objects.get(code=code)


def make_user(
    email: str,
    *,
    status: str = User.Status.MEMBER,
    role: str = User.Role.MEMBER,
    family_name: str = "山田",
    given_name: str = "花子",
    org: Organization | None = None,
    password: str | None = PASSWORD,
    **profile: Any,
) -> User:
    user = User.objects.create_user(
        email,
        password,
        family_name=family_name,
        given_name=given_name,
        family_name_kana="ヤマダ",
        given_name_kana="ハナコ",
        status=status,
        role=role,
        email_verified=True,
        approved_at=timezone.now() if status != User.Status.APPLICANT else None,
    )
    Profile.objects.create(user=user, organization=org or organization(), **profile)
    return user


def make_application(
    user: User, *, status: str = MembershipApplication.Status.PENDING, **answers: Any
) -> MembershipApplication:
    fields: dict[str, Any] = {
        "family_name": user.family_name,
        "given_name": user.given_name,
        "family_name_kana": user.family_name_kana,
        "given_name_kana": user.given_name_kana,
        "organization": user.profile.organization,
        "department": "総務課",
        "title": "主事",
        "email": user.email,
        "referral": "colleague",
        "introduction": "よろしくお願いします。",
        "policy_version": "2026-11-01",
        "consented_at": timezone.now(),
        "status": status,
        "verified_at": timezone.now() if status != "unverified" else None,
    }
    fields.update(answers)
    fields.update(match_fields(fields["email"], fields["family_name"], fields["given_name"]))
    return MembershipApplication.objects.create(user=user, **fields)


def sign_in(client: Client, user: User) -> Client:
    """Sign a user in; staff also pass the second factor, as they must to see any page."""
    client.force_login(user)
    if user.is_staff_member:
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
        if device is None:
            device = TOTPDevice.objects.create(user=user, name="test", confirmed=True)
        session = client.session
        session["otp_device_id"] = device.persistent_id
        session.save()
    return client
