"""A member's own data, as one JSON document they can download (APPI: disclosure on request)."""

from typing import Any

from django.utils import timezone

from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.members.models import MembershipApplication, Profile
from cityhall.sections.models import SectionMembership

APPLICATION_FIELDS = (
    "status", "family_name", "given_name", "family_name_kana", "given_name_kana", "department",
    "title", "email", "referral", "referral_detail", "interests", "introduction",
    "policy_version", "consented_at", "submitted_at", "verified_at", "decided_at",
    "staff_message", "applicant_reply",
)  # fmt: skip


def _iso(value: Any) -> Any:
    return value.isoformat() if hasattr(value, "isoformat") else value


def personal_data(user: User) -> dict[str, Any]:
    """Everything the site stores about the user that is theirs to see, in a fixed query count."""
    profile = (
        Profile.objects.select_related("organization").prefetch_related("duties").filter(user=user)
    ).first()
    applications = (
        MembershipApplication.objects.filter(user=user)
        .select_related("organization")
        .order_by("submitted_at")
    )
    memberships = SectionMembership.objects.filter(user=user).select_related("section")
    return {
        "exported_at": timezone.now().isoformat(),
        "account": {
            "email": user.email,
            "family_name": user.family_name,
            "given_name": user.given_name,
            "family_name_kana": user.family_name_kana,
            "given_name_kana": user.given_name_kana,
            "status": user.status,
            "role": user.role,
            "date_joined": _iso(user.date_joined),
            "approved_at": _iso(user.approved_at),
            "last_login": _iso(user.last_login),
            "two_factor_enabled": user.two_factor_enabled,
        },
        "profile": profile
        and {
            "organization": profile.organization.display_name,
            "department": profile.department,
            "title": profile.title,
            "duties": [duty.name for duty in profile.duties.all()],
            "interests": profile.interests,
            "bio": profile.bio,
            "has_photo": bool(profile.photo),
            "visibility": profile.visibility,
        },
        "applications": [
            {
                "organization": a.organization.display_name,
                **{name: _iso(getattr(a, name)) for name in APPLICATION_FIELDS},
            }
            for a in applications
        ],
        "sections": [
            {
                "section": m.section.name,
                "role": m.role,
                "status": m.status,
                "since": _iso(m.created_at),
            }
            for m in memberships.order_by("created_at")
        ],
        "sessions": [
            {
                "device": s.user_agent,
                "ip_address": s.ip_address,
                "started": _iso(s.created_at),
                "last_seen": _iso(s.last_seen_at),
            }
            for s in user.sessions.order_by("created_at")
        ],
        "records_about_you": [
            {"action": e.action, "at": _iso(e.created_at)}
            for e in AuditEntry.objects.filter(subject_user=user).order_by("created_at")
        ],
    }
