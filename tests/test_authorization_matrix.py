"""Every URL pattern of the site, visited as every kind of person, with the expected outcome.

A URL pattern missing from MATRIX fails the suite: a new page must say who may open it.
Outcomes: OK (200), LOGIN (sent to sign in), STATUS (sent to one's application status),
HOME (sent to the start page), FORBIDDEN (403), NOT_FOUND (404), BAD (400), GONE (405 — the
URL only takes POST), or REDIRECT (some other redirect, e.g. a finished step).
"""

import io
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from PIL import Image

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.broadcasts.models import LiveComment
from cityhall.broadcasts.tests.conftest import make_episode, make_programme
from cityhall.events.models import AgendaItem, RegistrationQuestion
from cityhall.events.tests.conftest import make_event, make_series
from cityhall.knowledge.tests.conftest import make_entry
from cityhall.members.models import Duty
from cityhall.moderation.models import Case
from cityhall.notifications.models import Notification
from cityhall.posts.actions import do_create_post
from cityhall.posts.models import Comment, Post
from cityhall.posts.uploads import clean_upload
from cityhall.sections.models import Section, SectionMembership

OK, LOGIN, STATUS, HOME, FORBIDDEN, NOT_FOUND, BAD, GONE, REDIRECT = (
    "ok",
    "login",
    "status",
    "home",
    "forbidden",
    "not_found",
    "bad",
    "method",
    "redirect",
)
PERSONAS = ("anonymous", "applicant", "rejected", "suspended", "member", "staff", "admin")


@dataclass
class Row:
    url: Callable[[dict[str, Any]], str]
    expect: dict[str, str]
    method: str = "get"
    data: dict[str, Any] = field(default_factory=dict)


def everyone(outcome: str = OK) -> dict[str, str]:
    return dict.fromkeys(PERSONAS, outcome)


def members_only(member: str = OK) -> dict[str, str]:
    return {
        "anonymous": LOGIN,
        "applicant": STATUS,
        "rejected": STATUS,
        "suspended": STATUS,
        "member": member,
        "staff": member,
        "admin": member,
    }


def signed_in(outcome: str = OK, **overrides: str) -> dict[str, str]:
    return {**everyone(outcome), "anonymous": LOGIN, **overrides}


def staff_only(outcome: str = OK) -> dict[str, str]:
    return {**members_only(FORBIDDEN), "staff": outcome, "admin": outcome}


def admin_only(outcome: str = OK) -> dict[str, str]:
    return {**members_only(FORBIDDEN), "admin": outcome}


NON_MEMBERS = ("applicant", "rejected", "suspended")


def hosts() -> dict[str, str]:
    """Pages for those who run something (staff here): other members learn nothing (404)."""
    return {**members_only(NOT_FOUND), "staff": OK, "admin": OK}


def moderators() -> dict[str, str]:
    """Acting on another member's content: hidden from members (404), done by staff."""
    return {**members_only(NOT_FOUND), "staff": REDIRECT, "admin": REDIRECT}


def fixed(path: str) -> Callable[[dict[str, Any]], str]:
    return lambda ctx: path


def named(name: str, *args: Callable[[dict[str, Any]], Any]) -> Callable[[dict[str, Any]], str]:
    return lambda ctx: reverse(name, args=[arg(ctx) for arg in args])


def obj(key: str, attr: str = "pk") -> Callable[[dict[str, Any]], Any]:
    return lambda ctx: getattr(ctx[key], attr)


def const(value: Any) -> Callable[[dict[str, Any]], Any]:
    return lambda ctx: value


BAD_TOKEN = "not-a-valid-token"

MATRIX: dict[str, Row] = {
    # Site
    "home": Row(
        named("home"),
        {**everyone(OK), "applicant": STATUS, "rejected": STATUS, "suspended": STATUS},
    ),
    "set_language": Row(
        named("set_language"), everyone(HOME), method="post", data={"language": "en", "next": "/"}
    ),
    # Joining
    "members:apply": Row(
        named("members:apply"),
        {
            "anonymous": OK,
            "applicant": STATUS,
            "rejected": OK,
            "suspended": STATUS,
            "member": HOME,
            "staff": HOME,
            "admin": HOME,
        },
    ),
    "members:sent": Row(named("members:sent"), everyone()),
    "members:rules": Row(named("members:rules"), everyone()),
    "members:privacy": Row(named("members:privacy"), everyone()),
    "members:verify": Row(named("members:verify", const(BAD_TOKEN)), everyone(BAD)),
    "members:resend": Row(named("members:resend", const(BAD_TOKEN)), everyone(GONE)),
    "members:activate": Row(named("members:activate", const(BAD_TOKEN)), everyone(BAD)),
    "members:status": Row(named("members:status"), signed_in(member=HOME, staff=HOME, admin=HOME)),
    "members:reply": Row(named("members:reply", obj("application")), signed_in(GONE)),
    "members:withdraw": Row(named("members:withdraw", obj("application")), signed_in(GONE)),
    "members:welcome": Row(named("members:welcome"), members_only()),
    # Staff: the review queue
    "staff_applications:list": Row(named("staff_applications:list"), staff_only()),
    "staff_applications:queue": Row(named("staff_applications:queue"), staff_only()),
    "staff_applications:detail": Row(
        named("staff_applications:detail", obj("application")), staff_only()
    ),
    "staff_applications:approve": Row(
        named("staff_applications:approve", obj("application")), staff_only(GONE)
    ),
    "staff_applications:reject": Row(
        named("staff_applications:reject", obj("application")), staff_only(GONE)
    ),
    "staff_applications:request_information": Row(
        named("staff_applications:request_information", obj("application")), staff_only(GONE)
    ),
    # Accounts
    "accounts:login": Row(
        named("accounts:login"),
        {
            "anonymous": OK,
            "applicant": STATUS,
            "rejected": STATUS,
            "suspended": STATUS,
            "member": HOME,
            "staff": HOME,
            "admin": HOME,
        },
    ),
    "accounts:logout": Row(named("accounts:logout"), everyone(HOME), method="post"),
    "accounts:login_link": Row(named("accounts:login_link"), everyone()),
    "accounts:login_link_sent": Row(named("accounts:login_link_sent"), everyone()),
    "accounts:login_link_use": Row(
        named("accounts:login_link_use", const(BAD_TOKEN)), everyone(BAD)
    ),
    "accounts:password_reset": Row(named("accounts:password_reset"), everyone()),
    "accounts:password_reset_done": Row(named("accounts:password_reset_done"), everyone()),
    "accounts:password_reset_confirm": Row(
        named("accounts:password_reset_confirm", const("MQ"), const(BAD_TOKEN)), everyone()
    ),
    "accounts:password_reset_complete": Row(named("accounts:password_reset_complete"), everyone()),
    "accounts:export": Row(named("accounts:export"), members_only()),
    "accounts:settings": Row(named("accounts:settings"), members_only()),
    "accounts:delete": Row(named("accounts:delete"), members_only()),
    "accounts:delete_confirm": Row(
        named("accounts:delete_confirm", const(BAD_TOKEN)), members_only(BAD)
    ),
    "accounts:delete_requested": Row(named("accounts:delete_requested"), everyone()),
    "accounts:password_change": Row(named("accounts:password_change"), members_only()),
    "accounts:email_change": Row(named("accounts:email_change"), members_only()),
    "accounts:email_change_sent": Row(named("accounts:email_change_sent"), members_only()),
    "accounts:email_change_confirm": Row(
        named("accounts:email_change_confirm", const(BAD_TOKEN)), everyone(BAD)
    ),
    "accounts:sessions": Row(named("accounts:sessions"), members_only()),
    "accounts:session_end": Row(named("accounts:session_end", const("0" * 24)), members_only(GONE)),
    "accounts:sessions_end_others": Row(named("accounts:sessions_end_others"), members_only(GONE)),
    "accounts:two_factor": Row(named("accounts:two_factor"), members_only(HOME)),
    "accounts:two_factor_setup": Row(named("accounts:two_factor_setup"), members_only()),
    "accounts:two_factor_disable": Row(named("accounts:two_factor_disable"), members_only(GONE)),
    # Staff: members and suspensions
    "staff_members:list": Row(named("staff_members:list"), staff_only()),
    "staff_members:detail": Row(named("staff_members:detail", obj("member")), staff_only()),
    "staff_members:suspend": Row(named("staff_members:suspend", obj("member")), staff_only(GONE)),
    "staff_members:reactivate": Row(
        named("staff_members:reactivate", obj("suspended")), staff_only(GONE)
    ),
    "staff_members:role": Row(named("staff_members:role", obj("member")), admin_only(GONE)),
    "staff_members:delete": Row(named("staff_members:delete", obj("member")), staff_only(GONE)),
    # Insights
    "insights:coverage": Row(named("insights:coverage"), members_only()),
    "insights:prefecture": Row(named("insights:prefecture", const("01")), members_only()),
    "insights:mine": Row(named("insights:mine"), members_only()),
    "staff_insights:dashboard": Row(named("staff_insights:dashboard"), staff_only()),
    "staff_insights:export": Row(fixed("/staff/insights/export/funnel.csv/"), staff_only()),
    # Sections
    "sections:list": Row(named("sections:list"), members_only()),
    "sections:mine": Row(named("sections:mine"), members_only()),
    "sections:detail": Row(named("sections:detail", obj("section", "slug")), members_only()),
    "sections:cover": Row(named("sections:cover", obj("section", "slug")), members_only(NOT_FOUND)),
    "sections:join": Row(
        named("sections:join", obj("section", "slug")), members_only(REDIRECT), method="post"
    ),
    "sections:leave": Row(
        named("sections:leave", obj("section", "slug")), members_only(REDIRECT), method="post"
    ),
    "sections:decide": Row(
        named("sections:decide", obj("section", "slug"), obj("section_request")),
        {**members_only(NOT_FOUND), "staff": REDIRECT, "admin": REDIRECT},
        method="post",
        data={"decision": "approve"},
    ),
    "sections:set_role": Row(
        named("sections:set_role", obj("section", "slug")),
        {**members_only(NOT_FOUND), "staff": REDIRECT, "admin": REDIRECT},
        method="post",
        data={"user_id": 0, "role": "member"},
    ),
    "staff_sections:health": Row(named("staff_sections:health"), staff_only()),
    "staff_sections:create": Row(named("staff_sections:create"), staff_only()),
    "staff_sections:edit": Row(named("staff_sections:edit", obj("section", "slug")), staff_only()),
    "staff_sections:archive": Row(
        named("staff_sections:archive", obj("section", "slug")), staff_only(REDIRECT), method="post"
    ),
    "staff_sections:roles": Row(
        named("staff_sections:roles", obj("section", "slug")), staff_only()
    ),
    # Posts
    "posts:lobby": Row(named("posts:lobby"), members_only()),
    "posts:new": Row(named("posts:new"), members_only()),
    "posts:unanswered": Row(named("posts:unanswered"), members_only()),
    "posts:section": Row(named("posts:section", obj("section", "slug")), members_only()),
    "posts:detail": Row(named("posts:detail", obj("post")), members_only()),
    "posts:history": Row(named("posts:history", obj("post")), members_only()),
    "posts:edit": Row(named("posts:edit", obj("post")), members_only(NOT_FOUND)),
    # Personas visit in order: once staff deleted it, the admin finds nothing left to delete.
    "posts:delete": Row(
        named("posts:delete", obj("post")), {**moderators(), "admin": NOT_FOUND}, method="post"
    ),
    "posts:restore": Row(named("posts:restore", obj("post")), moderators(), method="post"),
    "posts:pin": Row(
        named("posts:pin", obj("post")), moderators(), method="post", data={"pinned": "1"}
    ),
    "posts:accept": Row(
        named("posts:accept", obj("post"), obj("comment")), moderators(), method="post"
    ),
    "posts:delete_comment": Row(
        named("posts:delete_comment", obj("comment")),
        {**moderators(), "admin": NOT_FOUND},
        method="post",
    ),
    "posts:comment": Row(
        named("posts:comment", obj("post")),
        members_only(REDIRECT),
        method="post",
        data={"body": "参考になります。"},
    ),
    "posts:react": Row(
        named("posts:react", obj("post")),
        members_only(REDIRECT),
        method="post",
        data={"kind": "like"},
    ),
    # Broadcasts
    "broadcasts:timetable": Row(named("broadcasts:timetable"), members_only()),
    "broadcasts:new_programme": Row(named("broadcasts:new_programme"), staff_only()),
    "broadcasts:programme": Row(
        named("broadcasts:programme", obj("programme", "slug")), members_only()
    ),
    "broadcasts:edit_programme": Row(
        named("broadcasts:edit_programme", obj("programme", "slug")), staff_only()
    ),
    "broadcasts:archive_programme": Row(
        named("broadcasts:archive_programme", obj("programme", "slug")),
        staff_only(REDIRECT),
        method="post",
    ),
    "broadcasts:cover": Row(
        named("broadcasts:cover", obj("programme", "slug")), members_only(NOT_FOUND)
    ),
    "broadcasts:follow": Row(
        named("broadcasts:follow", obj("programme", "slug")), members_only(REDIRECT), method="post"
    ),
    "broadcasts:new_episode": Row(
        named("broadcasts:new_episode", obj("programme", "slug")), staff_only()
    ),
    "broadcasts:episode": Row(named("broadcasts:episode", obj("episode")), members_only()),
    "broadcasts:edit_episode": Row(named("broadcasts:edit_episode", obj("episode")), staff_only()),
    "broadcasts:cancel_episode": Row(
        named("broadcasts:cancel_episode", obj("episode")), staff_only(REDIRECT), method="post"
    ),
    "broadcasts:comments": Row(named("broadcasts:comments", obj("episode")), members_only()),
    "broadcasts:post_comment": Row(
        named("broadcasts:post_comment", obj("episode")),
        members_only(REDIRECT),
        method="post",
        data={"body": "こんばんは"},
    ),
    # Personas visit in order: once staff deleted it, the admin finds nothing left to delete.
    "broadcasts:delete_comment": Row(
        named("broadcasts:delete_comment", obj("live_comment")),
        {**staff_only(REDIRECT), "admin": NOT_FOUND},
        method="post",
    ),
    "broadcasts:mute": Row(
        named("broadcasts:mute", obj("live_comment")), staff_only(REDIRECT), method="post"
    ),
    # Post files and comment edits
    "posts:attachment": Row(
        named("posts:attachment", obj("file_post"), obj("pdf")), members_only()
    ),
    "posts:attachment_thumbnail": Row(
        named("posts:attachment_thumbnail", obj("file_post"), obj("image")), members_only()
    ),
    "posts:comment_history": Row(named("posts:comment_history", obj("comment")), members_only()),
    "posts:comments_since": Row(named("posts:comments_since", obj("post")), members_only()),
    "posts:edit_comment": Row(named("posts:edit_comment", obj("comment")), members_only(NOT_FOUND)),
    # Home feed
    "feed:feed": Row(named("feed:feed"), members_only()),
    "feed:mark_all_read": Row(named("feed:mark_all_read"), members_only(REDIRECT), method="post"),
    "feed:member_posts": Row(named("feed:member_posts", obj("outsider")), members_only()),
    # Notifications
    "notifications:list": Row(named("notifications:list"), members_only()),
    "notifications:bell": Row(named("notifications:bell"), members_only()),
    "notifications:preferences": Row(named("notifications:preferences"), members_only()),
    "notifications:mention_search": Row(
        named("notifications:mention_search"), members_only(), data={"q": "新家"}
    ),
    "notifications:read_all": Row(
        named("notifications:read_all"), members_only(REDIRECT), method="post"
    ),
    # Someone else's notification: nobody but its recipient may open it.
    "notifications:open": Row(
        named("notifications:open", obj("notification")), members_only(NOT_FOUND), method="post"
    ),
    # Reports and moderation
    "moderation:report_post": Row(named("moderation:report_post", obj("post")), members_only()),
    "moderation:report_comment": Row(
        named("moderation:report_comment", obj("comment")), members_only()
    ),
    "moderation:hidden": Row(named("moderation:hidden"), members_only()),
    "staff_moderation:queue": Row(named("staff_moderation:queue"), staff_only()),
    "staff_moderation:case": Row(named("staff_moderation:case", obj("case")), staff_only()),
    "staff_moderation:decide": Row(
        named("staff_moderation:decide", obj("case")),
        staff_only(REDIRECT),
        method="post",
        data={"decision": "dismiss", "note": "問題ありません。"},
    ),
    # Study sessions
    "events:list": Row(named("events:list"), members_only()),
    "events:settings": Row(named("events:settings"), members_only()),
    "events:briefing": Row(named("events:briefing"), members_only(REDIRECT)),
    "events:detail": Row(named("events:detail", obj("event")), members_only()),
    "events:ics": Row(named("events:ics", obj("event")), members_only()),
    "events:series": Row(named("events:series", obj("series", "slug")), members_only()),
    "events:new": Row(named("events:new"), hosts()),
    "events:series_new": Row(named("events:series_new"), hosts()),
    "events:manage": Row(named("events:manage", obj("event")), hosts()),
    "events:edit": Row(named("events:edit", obj("event")), hosts()),
    "events:questions": Row(named("events:questions", obj("event")), hosts()),
    "events:move": Row(named("events:move", obj("event")), hosts()),
    "events:cancel": Row(named("events:cancel", obj("event")), hosts()),
    "events:series_edit": Row(named("events:series_edit", obj("series", "slug")), hosts()),
    "events:series_questions": Row(
        named("events:series_questions", obj("series", "slug")), hosts()
    ),
    "events:question_delete": Row(
        named("events:question_delete", obj("question")),
        {**members_only(NOT_FOUND), "staff": REDIRECT, "admin": NOT_FOUND},
        method="post",
    ),
    "events:register": Row(
        named("events:register", obj("event")), members_only(REDIRECT), method="post"
    ),
    "events:agenda": Row(named("events:agenda", obj("event")), members_only()),
    "events:agenda_vote": Row(
        named("events:agenda_vote", obj("agenda_item")), members_only(REDIRECT), method="post"
    ),
    "events:agenda_decide": Row(
        named("events:agenda_decide", obj("agenda_item")),
        moderators(),
        method="post",
        data={"status": "planned"},
    ),
    "events:check_in": Row(
        named("events:check_in", obj("event")), members_only(REDIRECT), method="post"
    ),
    "events:attendance_mark": Row(
        named("events:attendance_mark", obj("event")), moderators(), method="post"
    ),
    "events:attendance_import": Row(named("events:attendance_import", obj("event")), hosts()),
    # Without a report to confirm, hosts are sent back to upload one.
    "events:attendance_import_confirm": Row(
        named("events:attendance_import_confirm", obj("event")), moderators(), method="post"
    ),
    "events:figures": Row(named("events:figures"), staff_only()),
    # Nobody here is registered: there is nothing to cancel.
    "events:cancel_registration": Row(
        named("events:cancel_registration", obj("event")), members_only(NOT_FOUND), method="post"
    ),
    "events:feed_regenerate": Row(
        named("events:feed_regenerate"), members_only(REDIRECT), method="post"
    ),
    "events:feed_revoke": Row(named("events:feed_revoke"), members_only(REDIRECT), method="post"),
    # The calendar feed answers only to its secret token.
    "events:feed": Row(named("events:feed", const("not-a-token")), everyone(NOT_FOUND)),
    # FAQ
    "knowledge:list": Row(named("knowledge:list"), members_only()),
    "knowledge:detail": Row(named("knowledge:detail", obj("faq")), members_only()),
    "knowledge:history": Row(named("knowledge:history", obj("faq")), members_only()),
    "knowledge:new": Row(named("knowledge:new"), hosts()),
    "knowledge:edit": Row(named("knowledge:edit", obj("faq")), hosts()),
    "knowledge:document": Row(named("knowledge:document"), members_only()),
    "knowledge:document_pdf": Row(named("knowledge:document_pdf"), members_only()),
    "knowledge:document_xlsx": Row(named("knowledge:document_xlsx"), members_only()),
    # Search
    "search:results": Row(named("search:results"), members_only(), data={"q": "防災"}),
    "search:suggest": Row(named("search:suggest"), members_only(), data={"title": "窓口の混雑"}),
    # Broadcasts: media, streaming keys, and what nginx asks
    "broadcasts:archive_media": Row(
        named("broadcasts:archive_media", obj("episode")), members_only(NOT_FOUND)
    ),
    "broadcasts:archive_audio": Row(
        named("broadcasts:archive_audio", obj("episode")), members_only(NOT_FOUND)
    ),
    # The episode here is on air: there is no archive to have played yet.
    "broadcasts:played": Row(
        named("broadcasts:played", obj("episode")), members_only(BAD), method="post"
    ),
    "broadcasts:rotate_key": Row(
        named("broadcasts:rotate_key", obj("programme", "slug")),
        staff_only(REDIRECT),
        method="post",
    ),
    # nginx's auth_request: a bare status, never a redirect to sign in.
    "broadcasts:hls_auth": Row(
        named("broadcasts:hls_auth"),
        {**everyone("204"), "anonymous": "401", **dict.fromkeys(NON_MEMBERS, FORBIDDEN)},
    ),
    # RTMP callbacks without the shared secret are refused, whoever calls.
    "broadcasts:rtmp_publish": Row(
        named("broadcasts:rtmp_publish"), everyone(FORBIDDEN), method="post"
    ),
    "broadcasts:rtmp_publish_done": Row(
        named("broadcasts:rtmp_publish_done"), everyone(FORBIDDEN), method="post"
    ),
    "broadcasts:rtmp_record_done": Row(
        named("broadcasts:rtmp_record_done"), everyone(FORBIDDEN), method="post"
    ),
    # Directory
    "directory:search": Row(named("directory:search"), members_only()),
    "directory:duties": Row(named("directory:duties"), members_only()),
    "directory:duty": Row(named("directory:duty", obj("duty")), members_only()),
    # Reference data
    "organizations:search": Row(named("organizations:search"), everyone()),
    # Profiles
    "profiles:detail": Row(named("profiles:detail", obj("outsider")), members_only()),
    "profiles:photo": Row(named("profiles:photo", obj("outsider")), members_only(NOT_FOUND)),
    "profiles:edit": Row(named("profiles:edit"), members_only()),
    # Staff area
    "staff_duties:list": Row(named("staff_duties:list"), staff_only()),
    "staff_duties:create": Row(named("staff_duties:create"), staff_only()),
    "staff_duties:edit": Row(named("staff_duties:edit", obj("duty")), staff_only()),
    "staff_duties:set_active": Row(
        named("staff_duties:set_active", obj("duty")),
        staff_only(REDIRECT),
        method="post",
        data={"active": "1"},
    ),
    "staff:dashboard": Row(named("staff:dashboard"), staff_only()),
    "staff:audit_log": Row(named("staff:audit_log"), admin_only()),
}

# Django admin: every admin pattern is behind the gate; staff see raw data, admins the audit log.
ADMIN_VISITS = {
    "/admin/": "staff",
    "/admin/accounts/user/": "staff",
    "/admin/members/membershipapplication/": "staff",
    "/admin/audit/auditentry/": "admin",
}


def all_url_names() -> set[str]:
    names: set[str] = set()

    def walk(patterns: list[Any], namespace: str) -> None:
        for pattern in patterns:
            if isinstance(pattern, URLResolver):
                if pattern.namespace == "admin":
                    continue
                inner = f"{namespace}{pattern.namespace}:" if pattern.namespace else namespace
                walk(pattern.url_patterns, inner)
            elif isinstance(pattern, URLPattern):
                names.add(f"{namespace}{pattern.name}" if pattern.name else f"<unnamed {pattern}>")

    walk(get_resolver().url_patterns, "")
    return names


def test_it_lists_every_url_pattern_in_the_matrix():
    missing = sorted(all_url_names() - set(MATRIX))
    assert not missing, f"URL patterns missing from the authorization matrix: {missing}"
    stale = sorted(set(MATRIX) - all_url_names())
    assert not stale, f"Matrix rows for URL patterns that no longer exist: {stale}"


@pytest.fixture
def people(applicant, rejected, suspended, member, staff, admin_user) -> dict[str, Any]:
    return {
        "applicant": applicant,
        "rejected": rejected,
        "suspended": suspended,
        "member": member,
        "staff": staff,
        "admin": admin_user,
    }


@pytest.fixture
def context(people, outsider, settings, tmp_path) -> dict[str, Any]:
    settings.MEDIA_ROOT = tmp_path
    settings.MEDIA_ACCEL_REDIRECT = ""
    return {**people, "outsider": outsider, **matrix_objects(people, outsider)}


def matrix_objects(people: dict[str, Any], outsider: User) -> dict[str, Any]:
    """Objects the parameterised URLs point at."""
    section = Section.objects.create(name="防災課", slug="bousai", kind="work", purpose="備え")
    requester = testing.make_user("requester@city.example.lg.jp")
    return {
        "application": people["applicant"].applications.get(),
        "duty": Duty.objects.first(),
        "section": section,
        "post": (
            post := Post.objects.create(
                author=outsider, kind="question", title="窓口の混雑対策", body="教えてください。"
            )
        ),
        "comment": Comment.objects.create(post=post, author=outsider, body="整理券です。"),
        "section_request": SectionMembership.objects.create(
            section=section, user=requester, status="pending"
        ),
        "programme": (programme := make_programme()),
        "episode": (episode := make_episode(programme)),
        "live_comment": LiveComment.objects.create(
            episode=episode, author=outsider, body="こんばんは"
        ),
        **file_objects(outsider),
        "notification": Notification.objects.create(
            recipient=outsider, actor=people["member"], kind="post_reply", post=post
        ),
        "case": Case.objects.create(post=post, author=outsider, snapshot=post.body),
        "event": (event := make_event(capacity=10)),
        "series": make_series(),
        "question": RegistrationQuestion.objects.create(event=event, label="所属の規模は？"),
        "faq": make_entry(people["staff"]),
        "agenda_item": AgendaItem.objects.create(
            event=event, author=outsider, title="接種券の再発行の流れ"
        ),
    }


def file_objects(author: User) -> dict[str, Any]:
    image, pdf = io.BytesIO(), b"%PDF-1.4\n1 0 obj\n<< >>\nendobj\ntrailer\n<< >>\n%%EOF\n"
    Image.new("RGB", (64, 48), (30, 120, 200)).save(image, format="PNG")
    uploads = [
        SimpleUploadedFile("写真.png", image.getvalue(), content_type="image/png"),
        SimpleUploadedFile("手順.pdf", pdf, content_type="application/pdf"),
    ]
    post = do_create_post(
        section=None,
        kind="discussion",
        data={"title": "添付つき", "body": "資料です。"},
        attachments=[clean_upload(f) for f in uploads],
        actor=author,
    )
    files = {a.kind: a for a in post.attachments.all()}
    return {"file_post": post, "image": files["image"], "pdf": files["pdf"]}


def outcome_of(response: Any) -> str:
    code = response.status_code
    if code in (301, 302, 303):
        location = response["Location"]
        if location.startswith(reverse("accounts:login")):
            return LOGIN
        if location.startswith(reverse("members:status")):
            return STATUS
        if location == reverse("home"):
            return HOME
        return REDIRECT
    return {200: OK, 400: BAD, 403: FORBIDDEN, 404: NOT_FOUND, 405: GONE}.get(code, str(code))


def visit(user: User | None, row: Row, ctx: dict[str, Any]) -> str:
    client = Client()
    if user is not None:
        testing.sign_in(client, user)
    url = row.url(ctx)
    response = getattr(client, row.method)(url, row.data)
    return outcome_of(response)


@pytest.mark.parametrize("name", sorted(MATRIX))
def test_it_lets_in_only_the_right_people(name, context, people):
    row = MATRIX[name]
    actual = {persona: visit(people.get(persona), row, context) for persona in PERSONAS}
    assert actual == row.expect


@pytest.mark.parametrize("path", sorted(ADMIN_VISITS))
def test_it_keeps_django_admin_to_staff(path, people):
    audience = staff_only() if ADMIN_VISITS[path] == "staff" else admin_only()
    expect = {**audience, "anonymous": LOGIN}
    actual = {}
    for persona in PERSONAS:
        client = Client()
        if persona != "anonymous":
            testing.sign_in(client, people[persona])
        actual[persona] = outcome_of(client.get(path))
    assert actual == expect
