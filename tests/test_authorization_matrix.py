"""Every URL pattern of the site, visited as every kind of person, with the expected outcome.

A URL pattern missing from MATRIX fails the suite: a new page must say who may open it.
Outcomes: OK (200), LOGIN (sent to sign in), STATUS (sent to one's application status),
HOME (sent to the start page), FORBIDDEN (403), NOT_FOUND (404), BAD (400), GONE (405 — the
URL only takes POST), or REDIRECT (some other redirect, e.g. a finished step).
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.test import Client
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.members.models import Duty
from cityhall.posts.models import Comment, Post
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
    "members:welcome": Row(named("members:welcome"), members_only()),
    # Staff: the review queue
    "staff_applications:list": Row(named("staff_applications:list"), staff_only()),
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
def context(people, outsider) -> dict[str, Any]:
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
    }


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
