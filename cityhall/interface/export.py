"""A member's own data, as a zip they can download (APPI: disclosure on request): the whole
record as JSON, and an HTML page that shows it readably.

Like erasure.py, this is the one place that knows where each domain keeps a member's data.
"""

import io
import json
import zipfile
from typing import Any

from django.forms.models import model_to_dict
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from cityhall.accounts.models import User
from cityhall.audit.models import AuditEntry
from cityhall.broadcasts.models import LiveComment, ProgrammeFollow
from cityhall.events.models import AgendaItem, AgendaVote, Attendance, Registration
from cityhall.members.models import MembershipApplication, Profile
from cityhall.notifications.models import Notification, Preference, SectionMute
from cityhall.posts.models import Comment, Post, Reaction
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


def _revisions(obj: Any, *fields: str) -> list[dict[str, Any]]:
    return [
        {**{f: getattr(r, f) for f in fields}, "replaced_at": _iso(r.created_at)}
        for r in obj.revisions.all()
    ]


def activity_data(user: User) -> dict[str, Any]:
    """What the member wrote and did: a fixed number of queries, whatever the amount."""
    posts = (
        Post.objects.filter(author=user)
        .select_related("section")
        .prefetch_related("revisions")
        .order_by("created_at")
    )
    comments = (
        Comment.objects.filter(author=user)
        .select_related("post")
        .prefetch_related("revisions")
        .order_by("created_at")
    )
    registrations = (
        Registration.objects.filter(user=user)
        .select_related("event")
        .prefetch_related("answers__question")
        .order_by("registered_at")
    )
    preference = Preference.objects.filter(user=user).first()
    return {
        "posts": [
            {
                "id": p.pk, "kind": p.kind, "section": p.section.name if p.section else None,
                "title": p.title, "body": p.body, "created_at": _iso(p.created_at),
                "edited_at": _iso(p.edited_at), "deleted_at": _iso(p.deleted_at),
                "earlier_versions": _revisions(p, "title", "body"),
            }
            for p in posts
        ],
        "comments": [
            {
                "id": c.pk, "post": c.post.title, "post_id": c.post_id, "body": c.body,
                "created_at": _iso(c.created_at), "edited_at": _iso(c.edited_at),
                "deleted_at": _iso(c.deleted_at), "earlier_versions": _revisions(c, "body"),
            }
            for c in comments
        ],
        "reactions": [
            {"kind": r.kind, "post_id": r.post_id, "comment_id": r.comment_id,
             "at": _iso(r.created_at)}
            for r in Reaction.objects.filter(user=user).order_by("created_at")
        ],
        "event_registrations": [
            {
                "event": r.event.title, "starts_at": _iso(r.event.starts_at), "status": r.status,
                "registered_at": _iso(r.registered_at), "cancelled_at": _iso(r.cancelled_at),
                "answers": [
                    {"question": a.question.label, "answer": a.answer} for a in r.answers.all()
                ],
            }
            for r in registrations
        ],
        "agenda_items": [
            {"event": i.event.title, "title": i.title, "detail": i.detail, "status": i.status,
             "at": _iso(i.created_at)}
            for i in AgendaItem.objects.filter(author=user).select_related("event")
        ],
        "agenda_votes": [
            {"event": v.item.event.title, "item": v.item.title, "at": _iso(v.created_at)}
            for v in AgendaVote.objects.filter(user=user).select_related("item__event")
        ],
        "attendance": [
            {"event": a.event.title, "source": a.source, "at": _iso(a.checked_in_at),
             "minutes": a.minutes}
            for a in Attendance.objects.filter(user=user).select_related("event")
        ],
        "notifications": [
            {"kind": n.kind, "at": _iso(n.created_at), "read_at": _iso(n.read_at),
             "post_id": n.post_id, "comment_id": n.comment_id, "episode_id": n.episode_id}
            for n in Notification.objects.filter(recipient=user).order_by("created_at")
        ],
        "notification_preferences": preference
        and {
            k: _iso(v) for k, v in model_to_dict(preference).items() if k != "user"
        },
        "muted_sections": [
            m.section.name for m in SectionMute.objects.filter(user=user).select_related("section")
        ],
        "programme_follows": [
            {"programme": f.programme.title, "since": _iso(f.created_at)}
            for f in ProgrammeFollow.objects.filter(user=user).select_related("programme")
        ],
        "live_comments": [
            {"episode": c.episode.title, "body": c.body, "at": _iso(c.created_at),
             "deleted_at": _iso(c.deleted_at)}
            for c in LiveComment.objects.filter(author=user).select_related("episode")
        ],
    }  # fmt: skip


SECTION_LABELS = {
    "account": _("アカウント"),
    "profile": _("プロフィール"),
    "applications": _("参加申請"),
    "sections": _("参加している課"),
    "posts": _("投稿（編集前の版を含む）"),
    "comments": _("コメント（編集前の版を含む）"),
    "reactions": _("リアクション"),
    "event_registrations": _("勉強会の申し込み"),
    "agenda_items": _("勉強会で聞きたいこと"),
    "agenda_votes": _("聞きたいことへの投票"),
    "attendance": _("出席の記録"),
    "notifications": _("通知"),
    "notification_preferences": _("通知の設定"),
    "muted_sections": _("通知を止めている課"),
    "programme_follows": _("フォローしている番組"),
    "live_comments": _("ライブコメント"),
    "sessions": _("ログイン中の端末"),
    "records_about_you": _("あなたに関する記録"),
}


def export_zip(user: User) -> bytes:
    """data.json (everything) and index.html (the same, readable in any browser)."""
    data = {**personal_data(user), **activity_data(user)}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("data.json", json.dumps(data, ensure_ascii=False, indent=2))
        sections = [(label, data.get(key)) for key, label in SECTION_LABELS.items()]
        html = render_to_string("accounts/export_index.html", {"data": data, "sections": sections})
        archive.writestr("index.html", html)
    return buffer.getvalue()
