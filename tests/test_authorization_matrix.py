"""Every URL pattern of the site, visited by every persona with objects it owns, objects it may
read and objects it may not, with the outcome the product's rules give.

A URL pattern missing from MATRIX fails the suite: a new page must say who may open it and with
which objects. Each row is one URL pattern with one object variant (`posts:detail[post_closed]`);
each (row, persona) pair is a test case run against the same freshly rolled-back world
(tests/authz_world.py, built once per module under a frozen clock).

Outcomes: OK (200), BAD (400), FORBIDDEN (403), NOT_FOUND (404), GONE (405: the URL only takes
POST), a status code as text ("204", "401"), or a redirect: `Redirect(target)` must go exactly
there, `Refused(target)` goes there with an error message (the request was turned down).
LOGIN is the sign-in page with `next=` the page asked for; STATUS one's application status;
HOME the start page.

`Secret(label, text, privy)`: a text only `privy` personas may see in the page (a closed
section's post title, an event's venue URL); it must be in the page for them (unless
`shown_to_privy=False`) and nowhere for anyone else.
"""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.contrib import messages
from django.core.files.base import ContentFile
from django.db import transaction
from django.test import override_settings
from django.urls import URLPattern, URLResolver, get_resolver, reverse
from django.utils.http import urlencode

from cityhall.accounts.access import session_public_id
from cityhall.posts.models import Comment, Post
from tests.authz_world import (
    ANONYMOUS,
    APPLICANT_NAME,
    ARCHIVED_PROGRAMME_TITLE,
    CLOSED_ANNOUNCEMENT_TITLE,
    CLOSED_EVENT_TITLE,
    CLOSED_MEMBER_NAME,
    CLOSED_POST_TITLE,
    CLOSED_REQUESTER_NAME,
    CLOSED_SECTION_NAME,
    DRAFT_QUESTION,
    HIDDEN_DEPARTMENT,
    HOSTED_DRAFT_QUESTION,
    MEMBERS,
    NON_MEMBERS,
    NOW,
    PERSONAS,
    REQUESTER_NAME,
    STAFF,
    SUSPENDED_NAME,
    VENUE_CLOSED,
    VENUE_HOSTED,
    VENUE_SECTION,
    VENUE_STAFF,
    Visit,
    World,
    build_world,
)

OK, BAD, FORBIDDEN, NOT_FOUND, GONE = "200", "400", "403", "404", "405"
UrlOf = Callable[[Visit], str]


@dataclass(frozen=True)
class Redirect:
    """A redirect to exactly `to` (a path, or computed from the visit after the request)."""

    to: str | UrlOf
    refused: bool = False

    def text(self, visit: Visit) -> str:
        target = self.to(visit) if callable(self.to) else self.to
        return f"redirect {target}" + (" (refused)" if self.refused else "")


def Refused(to: str | UrlOf) -> Redirect:
    return Redirect(to, refused=True)


class _Login:
    """The sign-in page, with `next` the page that was asked for."""


LOGIN = _Login()
Outcome = str | Redirect | _Login


@dataclass(frozen=True)
class Secret:
    label: str
    text: str | Callable[[Visit], str]
    privy: tuple[str, ...]
    # False: the page may leave it out even for the privy (only the others are checked).
    shown_to_privy: bool = True

    def in_page(self, body: str, visit: Visit) -> bool:
        return (self.text(visit) if callable(self.text) else self.text) in body


@dataclass
class Row:
    name: str
    variant: str
    url: UrlOf
    expect: dict[str, Outcome]
    method: str = "get"
    data: dict[str, Any] | Callable[[Visit], dict[str, Any]] = field(default_factory=dict)
    secrets: tuple[Secret, ...] = ()

    @property
    def id(self) -> str:
        return f"{self.name}[{self.variant}]"


# --- building URLs ------------------------------------------------------------------------


def ref(key: str, attr: str = "pk") -> Callable[[Visit], Any]:
    """An attribute of a world object; `own_<kind>` is the visiting persona's own object."""
    return lambda v: getattr(v[key], attr)


def url(name: str, *args: Any, suffix: str | Callable[[Visit], str] = "") -> UrlOf:
    def build(v: Visit) -> str:
        path = reverse(name, args=[a(v) if callable(a) else a for a in args])
        return path + (suffix(v) if callable(suffix) else suffix)

    return build


def at_comment(key: str) -> Callable[[Visit], str]:
    return lambda v: f"#comment-{v[key].pk}"


def then(fn: Callable[[Visit], str]) -> UrlOf:
    """A target known only after the request (the id of what it created)."""
    return fn


def newest_post(v: Visit) -> str:
    return reverse("posts:detail", args=[Post.objects.latest("pk").pk])


def newest_comment(v: Visit) -> str:
    comment = Comment.objects.latest("pk")
    return reverse("posts:detail", args=[comment.post_id]) + f"#comment-{comment.pk}"


# --- who gets what ------------------------------------------------------------------------

STATUS = Redirect(url("members:status"))
HOME = Redirect(url("home"))
CLOSED_READERS = ("closed_member", *STAFF)
OPEN_RUNNERS = ("leader", "deputy", *STAFF)
HOSTS = ("host", *STAFF)
FAQ_WRITERS = ("leader", "deputy", *STAFF)


def everyone(outcome: Outcome = OK, **overrides: Outcome) -> dict[str, Outcome]:
    return {**dict.fromkeys(PERSONAS, outcome), **overrides}


def signed_in(outcome: Outcome = OK, **overrides: Outcome) -> dict[str, Outcome]:
    return {**everyone(outcome), ANONYMOUS: LOGIN, **overrides}


def members_only(outcome: Outcome = OK, **overrides: Outcome) -> dict[str, Outcome]:
    return {
        ANONYMOUS: LOGIN,
        **dict.fromkeys(NON_MEMBERS, STATUS),
        **dict.fromkeys((*MEMBERS, *STAFF), outcome),
        **overrides,
    }


def only(outcome: Outcome, *personas: str, others: Outcome = NOT_FOUND) -> dict[str, Outcome]:
    """Members-only, `outcome` for `personas`, `others` for every other member."""
    return members_only(others, **dict.fromkeys(personas, outcome))


def staff_only(outcome: Outcome = OK) -> dict[str, Outcome]:
    return only(outcome, *STAFF, others=FORBIDDEN)


def admin_only(outcome: Outcome = OK) -> dict[str, Outcome]:
    return only(outcome, "admin", others=FORBIDDEN)


def rows(
    name: str,
    make_url: Callable[[str], UrlOf],
    variants: dict[str, dict[str, Outcome]],
    **options: Any,
) -> list[Row]:
    """One row per object variant: `make_url(variant)` is the URL of that variant."""
    return [Row(name, v, make_url(v), expect, **options) for v, expect in variants.items()]


def page(name: str, expect: dict[str, Outcome], *args: Any, **options: Any) -> Row:
    """A URL without an object of its own (or with one fixed object): one row."""
    return Row(name, "page", url(name, *args), expect, **options)


def closed_secret(label: str, text: str) -> Secret:
    return Secret(label, text, CLOSED_READERS)


BAD_TOKEN = "not-a-valid-token"


def _site() -> list[Row]:
    return [
        page(
            "home",
            everyone(**dict.fromkeys(NON_MEMBERS, STATUS)),
            # Members start on their feed: announcements only from where they may read.
            secrets=(
                Secret(
                    "a closed section's announcement", CLOSED_ANNOUNCEMENT_TITLE, CLOSED_READERS
                ),
            ),
        ),
        page("set_language", everyone(HOME), method="post", data={"language": "en", "next": "/"}),
    ]


def _joining() -> list[Row]:
    join_page = {
        **members_only(HOME),
        ANONYMOUS: OK,
        "applicant": STATUS,
        "rejected": OK,
        "suspended": STATUS,
    }
    member_home = dict.fromkeys((*MEMBERS, *STAFF), HOME)

    applications = {
        "pending_application": "application",
        "rejected_application": "rejected_application",
    }

    return [
        page("members:apply", join_page),
        page("members:sent", everyone()),
        page("members:rules", everyone()),
        page("members:privacy", everyone()),
        page("members:verify", everyone(BAD), BAD_TOKEN),
        page("members:resend", everyone(GONE), BAD_TOKEN),
        page("members:activate", everyone(BAD), BAD_TOKEN),
        page("members:status", signed_in(**member_home)),
        # An applicant answers and withdraws their own application only.
        *rows(
            "members:reply",
            lambda key: url("members:reply", ref(applications[key])),
            {
                # An empty answer: the status page again, with the form's errors.
                "pending_application": signed_in(NOT_FOUND, applicant=OK, **member_home),
                "rejected_application": signed_in(NOT_FOUND, rejected=OK, **member_home),
            },
            method="post",
        ),
        # Correcting one's answers: the form while pending, the reason why not once decided.
        *rows(
            "members:correct",
            lambda key: url("members:correct", ref(applications[key])),
            {
                "pending_application": signed_in(NOT_FOUND, applicant=OK, **member_home),
                "rejected_application": signed_in(NOT_FOUND, rejected=OK, **member_home),
            },
        ),
        Row(
            "members:withdraw",
            "pending_application",
            url("members:withdraw", ref("application")),
            signed_in(NOT_FOUND, applicant=STATUS, **member_home),
            method="post",
        ),
        Row(
            "members:withdraw",
            "rejected_application",
            url("members:withdraw", ref("rejected_application")),
            signed_in(NOT_FOUND, rejected=Refused(url("members:status")), **member_home),
            method="post",
        ),
        page("members:welcome", members_only()),
    ]


def _review() -> list[Row]:
    listing = url("staff_applications:list")
    return [
        page("staff_applications:list", staff_only()),
        page("staff_applications:queue", staff_only()),
        page("staff_applications:detail", staff_only(), ref("application")),
        page(
            "staff_applications:approve",
            staff_only(Redirect(listing)),
            ref("application"),
            method="post",
        ),
        page(
            "staff_applications:reject",
            staff_only(Redirect(listing)),
            ref("application"),
            method="post",
            data={"reason": "所属を確認できませんでした。"},
        ),
        page(
            "staff_applications:request_information",
            staff_only(Redirect(listing)),
            ref("application"),
            method="post",
            data={"message": "所属の部署を教えてください。"},
        ),
    ]


def export_of(owner: str) -> UrlOf:
    """A finished data export of the visitor's own, or of someone else's, made for the visit
    (inside the case's transaction)."""

    def build(v: Visit) -> str:
        model = apps.get_model("interface", "DataExport")
        user = (v.user or v["member"]) if owner == "own_export" else v["poster"]
        export = model.objects.create(
            user=user, status="ready", finished_at=NOW, expires_at=NOW + timedelta(days=7)
        )
        export.file.save("export.zip", ContentFile(b"PK\x05\x06" + bytes(18)))
        return reverse("export_data_download", args=[export.pk])

    return build


def session_of(which: str) -> UrlOf:
    """The public id of one of the visitor's sessions, or of someone else's."""

    def build(v: Visit) -> str:
        sessions = v.world.sessions if which == "own_this_device" else v.world.other_sessions
        # The anonymous visitor has none: anyone's will do, it is sent to sign in first.
        owner = v.persona if v.persona in sessions else "member"
        key = sessions["others" if which == "others_session" else owner]
        return reverse("accounts:session_end", args=[session_public_id(key)])

    return build


def _accounts() -> list[Row]:
    sign_in_page = {**members_only(HOME), ANONYMOUS: OK}
    return [
        page("accounts:login", sign_in_page),
        page("accounts:logout", everyone(HOME), method="post"),
        page("accounts:login_link", everyone()),
        page("accounts:login_link_sent", everyone()),
        page("accounts:login_link_use", everyone(BAD), BAD_TOKEN),
        page("accounts:password_reset", everyone()),
        page("accounts:password_reset_done", everyone()),
        page("accounts:password_reset_confirm", everyone(), "MQ", BAD_TOKEN),
        page("accounts:password_reset_complete", everyone()),
        page("export_data", members_only()),
        page("export_data_panel", members_only()),
        *rows(
            "export_data_download",
            export_of,
            # The zip goes to the member who asked for it only: 404 for anyone else, staff too.
            {"own_export": members_only(), "others_export": members_only(NOT_FOUND)},
        ),
        page("accounts:settings", members_only()),
        page("accounts:delete", members_only()),
        page("accounts:delete_confirm", members_only(BAD), BAD_TOKEN),
        page("accounts:delete_requested", everyone()),
        page("accounts:password_change", members_only()),
        page("accounts:email_change", members_only()),
        page("accounts:email_change_sent", members_only()),
        page("accounts:email_change_confirm", everyone(BAD), BAD_TOKEN),
        page("accounts:sessions", members_only()),
        *rows(
            "accounts:session_end",
            session_of,
            {
                "own_other_device": members_only(Redirect(url("accounts:sessions"))),
                # This device signs out with the sign-out button instead.
                "own_this_device": members_only(Refused(url("accounts:sessions"))),
                "others_session": members_only(NOT_FOUND),
            },
            method="post",
        ),
        page(
            "accounts:sessions_end_others",
            members_only(Redirect(url("accounts:sessions"))),
            method="post",
        ),
        page("accounts:two_factor", members_only(HOME)),
        page("accounts:two_factor_setup", members_only()),
        page("accounts:two_factor_disable", members_only(GONE)),
    ]


def _staff_members() -> list[Row]:
    def detail(key: str) -> UrlOf:
        return url("staff_members:detail", ref(key))

    return [
        page("staff_members:list", staff_only()),
        page("staff_members:detail", staff_only(), ref("outsider")),
        *rows(
            "staff_members:suspend",
            lambda key: url("staff_members:suspend", ref(key)),
            {
                "outsider": staff_only(Redirect(detail("outsider"))),
                # Nobody suspends an administrator (nor themself).
                "admin": staff_only(Refused(detail("admin"))),
            },
            method="post",
            data={"reason": "規約違反の投稿が続いたため。"},
        ),
        *rows(
            "staff_members:reset_two_factor",
            lambda key: url("staff_members:reset_two_factor", ref(key)),
            {
                "staff": admin_only(Redirect(detail("staff"))),
                # Never one's own, nor another administrator's.
                "admin": admin_only(Refused(detail("admin"))),
            },
            method="post",
            data={"reason": "認証アプリを入れた端末を紛失したため。"},
        ),
        page(
            "staff_members:reactivate",
            staff_only(Redirect(detail("suspended"))),
            ref("suspended"),
            method="post",
        ),
        page(
            "staff_members:role",
            admin_only(Redirect(detail("outsider"))),
            ref("outsider"),
            method="post",
            data={"role": "staff"},
        ),
        page(
            "staff_members:delete",
            staff_only(Redirect(detail("outsider"))),
            ref("outsider"),
            method="post",
            data={"confirm": "on"},
        ),
    ]


def _insights() -> list[Row]:
    return [
        page("insights:coverage", members_only()),
        page(
            "insights:prefecture",
            members_only(),
            "01",
            # Applicants and suspended people (both of Hokkaido here) are not members.
            secrets=(
                Secret("an applicant", APPLICANT_NAME, ()),
                Secret("a suspended person", SUSPENDED_NAME, ()),
            ),
        ),
        page("insights:mine", members_only()),
        page("staff_insights:dashboard", staff_only()),
        Row(
            "staff_insights:export",
            "page",
            lambda v: "/staff/insights/export/funnel.csv/",
            staff_only(),
        ),
    ]


def _sections() -> list[Row]:
    def detail(key: str) -> UrlOf:
        return url("sections:detail", ref(key, "slug"))

    def at(name: str) -> Callable[[str], UrlOf]:
        return lambda key: url(name, ref(key, "slug"))

    return [
        page("sections:list", members_only()),
        page("sections:mine", members_only()),
        *rows(
            "sections:detail",
            at("sections:detail"),
            {"closed": members_only(), "archived": members_only()},
        ),
        # Requests to join are shown to those who decide them only.
        Row(
            "sections:detail",
            "open",
            detail("open"),
            members_only(),
            secrets=(Secret("a pending request", REQUESTER_NAME, OPEN_RUNNERS),),
        ),
        # Who belongs to a closed section is for its members and staff.
        Row(
            "sections:detail",
            "closed_members_list",
            detail("closed"),
            members_only(),
            secrets=(
                closed_secret("a closed section's member", CLOSED_MEMBER_NAME),
                closed_secret("a closed section's event", CLOSED_EVENT_TITLE),
                Secret("a pending request", CLOSED_REQUESTER_NAME, STAFF),
            ),
        ),
        page("sections:cover", members_only(), ref("open", "slug")),
        *rows(
            "sections:join",
            at("sections:join"),
            {
                "open": members_only(Redirect(detail("open"))),
                "closed": members_only(Redirect(detail("closed"))),
                "archived": members_only(Refused(detail("archived"))),
            },
            method="post",
        ),
        *rows(
            "sections:leave",
            at("sections:leave"),
            {
                # The only leader must hand over first.
                "open": members_only(Redirect(detail("open")), leader=Refused(detail("open"))),
                "closed": members_only(Redirect(detail("closed"))),
                "archived": members_only(Refused(detail("archived"))),
            },
            method="post",
        ),
        Row(
            "sections:decide",
            "request_open",
            url("sections:decide", ref("open", "slug"), ref("request_open")),
            only(Redirect(detail("open")), *OPEN_RUNNERS),
            method="post",
            data={"decision": "approve"},
        ),
        Row(
            "sections:decide",
            "request_closed",
            url("sections:decide", ref("closed", "slug"), ref("request_closed")),
            only(Redirect(detail("closed")), *STAFF),
            method="post",
            data={"decision": "approve"},
        ),
        # Another section's request through one's own section's URL: nothing to decide.
        Row(
            "sections:decide",
            "request_closed_via_open",
            url("sections:decide", ref("open", "slug"), ref("request_closed")),
            only(Refused(detail("open")), *OPEN_RUNNERS),
            method="post",
            data={"decision": "approve"},
        ),
        Row(
            "sections:set_role",
            "open",
            url("sections:set_role", ref("open", "slug")),
            only(Redirect(detail("open")), "leader", *STAFF),
            method="post",
            data=lambda v: {"user_id": v["poster"].pk, "role": "deputy"},
        ),
        Row(
            "sections:set_role",
            "closed",
            url("sections:set_role", ref("closed", "slug")),
            only(Redirect(detail("closed")), *STAFF),
            method="post",
            data=lambda v: {"user_id": v["closed_member"].pk, "role": "deputy"},
        ),
        # Someone outside the section: only its members get roles here.
        Row(
            "sections:set_role",
            "not_in_section",
            url("sections:set_role", ref("open", "slug")),
            only(Refused(detail("open")), "leader", *STAFF),
            method="post",
            data=lambda v: {"user_id": v["outsider"].pk, "role": "deputy"},
        ),
        page("staff_sections:health", staff_only()),
        page("staff_sections:create", staff_only()),
        page("staff_sections:edit", staff_only(), ref("open", "slug")),
        page(
            "staff_sections:archive",
            staff_only(Redirect(url("staff_sections:health"))),
            ref("open", "slug"),
            method="post",
        ),
        page("staff_sections:roles", staff_only(), ref("closed", "slug")),
    ]


def _posts() -> list[Row]:
    def detail(key: str, suffix: str | Callable[[Visit], str] = "") -> UrlOf:
        return url("posts:detail", ref(key), suffix=suffix)

    def at(name: str) -> Callable[[str], UrlOf]:
        return lambda key: url(name, ref(key))

    def new_post(where: str, kind: str = "discussion") -> dict[str, Any]:
        return {"kind": kind, "where": where, "title": "備蓄の点検表", "body": "共有します。"}

    readable = {
        "post_lobby": members_only(),
        "post_open": members_only(),
        "post_closed": only(OK, *CLOSED_READERS),
        "own_post": members_only(),
    }
    created = Redirect(then(newest_post))
    return [
        page("posts:lobby", members_only()),
        page("posts:new", members_only()),
        Row(
            "posts:new",
            "into_open",
            url("posts:new"),
            # Members write in sections they belong to; others get the form again (the
            # section is not among their choices).
            only(created, "member", *OPEN_RUNNERS, others=OK),
            method="post",
            data=new_post("bousai"),
        ),
        Row(
            "posts:new",
            "into_closed",
            url("posts:new"),
            only(created, *CLOSED_READERS, others=OK),
            method="post",
            data=new_post("jinji"),
        ),
        Row(
            "posts:new",
            "announcement_open",
            url("posts:new"),
            # Announcements: the section's leader and deputy, and staff.
            only(created, *OPEN_RUNNERS, others=OK),
            method="post",
            data=new_post("bousai", "announcement"),
        ),
        page(
            "posts:unanswered",
            members_only(),
            secrets=(closed_secret("a closed section's question", CLOSED_POST_TITLE),),
        ),
        *rows(
            "posts:section",
            lambda key: url("posts:section", ref(key, "slug")),
            {
                "open": members_only(),
                "closed": only(OK, *CLOSED_READERS),
                "archived": members_only(),
            },
        ),
        *rows(
            "posts:detail",
            at("posts:detail"),
            {**readable, "post_deleted": only(OK, *STAFF)},
        ),
        *rows(
            "posts:history",
            at("posts:history"),
            {**readable, "post_deleted": members_only(NOT_FOUND)},
        ),
        *rows(
            "posts:comments_since",
            at("posts:comments_since"),
            {"post_lobby": members_only(), "post_closed": only(OK, *CLOSED_READERS)},
        ),
        *rows(
            "posts:edit",
            at("posts:edit"),
            {
                "own_post": members_only(),
                "post_lobby": members_only(NOT_FOUND),
                "post_closed": members_only(NOT_FOUND),
            },
        ),
        *rows(
            "posts:delete",
            at("posts:delete"),
            {
                # Staff stay on the (now deleted) post; members go back to where it was.
                "own_post": members_only(
                    Redirect(url("posts:lobby")),
                    **dict.fromkeys(STAFF, Redirect(detail("own_post"))),
                ),
                "post_lobby": only(Redirect(detail("post_lobby")), *STAFF),
                "post_open": {
                    **only(Redirect(url("posts:section", ref("open", "slug"))), "leader", "deputy"),
                    **dict.fromkeys(STAFF, Redirect(detail("post_open"))),
                },
                "post_closed": only(Redirect(detail("post_closed")), *STAFF),
            },
            method="post",
        ),
        *rows(
            "posts:restore",
            at("posts:restore"),
            {
                "post_deleted": only(Redirect(detail("post_deleted")), *STAFF),
                "own_post": only(Redirect(detail("own_post")), *STAFF),
            },
            method="post",
        ),
        *rows(
            "posts:pin",
            at("posts:pin"),
            {
                "post_lobby": only(Redirect(detail("post_lobby")), *STAFF),
                "post_open": only(Redirect(detail("post_open")), *OPEN_RUNNERS),
                "post_closed": only(Redirect(detail("post_closed")), *STAFF),
                "own_post": only(Redirect(detail("own_post")), *STAFF),
            },
            method="post",
            data={"pinned": "1"},
        ),
        *[
            Row(
                "posts:accept",
                variant,
                url("posts:accept", ref(post), ref(comment)),
                expect,
                method="post",
            )
            for variant, post, comment, expect in (
                (
                    "own_question",
                    "own_post",
                    "own_answer",
                    members_only(Redirect(detail("own_post", at_comment("own_answer")))),
                ),
                (
                    "post_lobby",
                    "post_lobby",
                    "comment_lobby",
                    only(Redirect(detail("post_lobby", at_comment("comment_lobby"))), *STAFF),
                ),
                (
                    "post_open",
                    "post_open",
                    "comment_open",
                    only(Redirect(detail("post_open", at_comment("comment_open"))), *OPEN_RUNNERS),
                ),
                (
                    "post_closed",
                    "post_closed",
                    "comment_closed",
                    only(Redirect(detail("post_closed", at_comment("comment_closed"))), *STAFF),
                ),
                # A closed section's comment as the answer to a post in another section.
                (
                    "post_open_comment_closed",
                    "post_open",
                    "comment_closed",
                    members_only(NOT_FOUND),
                ),
            )
        ],
        *rows(
            "posts:comment",
            at("posts:comment"),
            {
                "post_lobby": members_only(Redirect(then(newest_comment))),
                "post_closed": only(Redirect(then(newest_comment)), *CLOSED_READERS),
                "post_deleted": members_only(NOT_FOUND),
            },
            method="post",
            data={"body": "参考になります。"},
        ),
        *rows(
            "posts:react",
            at("posts:react"),
            {
                "post_lobby": members_only(Redirect(detail("post_lobby", "#reactions"))),
                "post_closed": only(Redirect(detail("post_closed", "#reactions")), *CLOSED_READERS),
            },
            method="post",
            data={"kind": "like"},
        ),
        # Replying, under a readable post, to a closed section's comment.
        Row(
            "posts:comment",
            "reply_to_comment_closed",
            url("posts:comment", ref("post_lobby")),
            members_only(NOT_FOUND),
            method="post",
            data=lambda v: {"body": "同感です。", "parent": v["comment_closed"].pk},
        ),
        # Reacting, through a readable post, to a closed section's comment.
        Row(
            "posts:react",
            "comment_closed_via_lobby",
            url("posts:react", ref("post_lobby")),
            members_only(NOT_FOUND),
            method="post",
            data=lambda v: {"kind": "like", "comment": v["comment_closed"].pk},
        ),
        *rows(
            "posts:delete_comment",
            at("posts:delete_comment"),
            {
                "own_comment": members_only(Redirect(detail("post_lobby", "#comments"))),
                "comment_lobby": only(Redirect(detail("post_lobby", "#comments")), *STAFF),
                "comment_open": only(Redirect(detail("post_open", "#comments")), *OPEN_RUNNERS),
                "comment_closed": only(Redirect(detail("post_closed", "#comments")), *STAFF),
            },
            method="post",
        ),
        *rows(
            "posts:edit_comment",
            at("posts:edit_comment"),
            {
                "own_comment": members_only(),
                "comment_lobby": members_only(NOT_FOUND),
                "comment_closed": members_only(NOT_FOUND),
            },
        ),
        *rows(
            "posts:comment_history",
            at("posts:comment_history"),
            {
                "comment_lobby": members_only(),
                "comment_closed": only(OK, *CLOSED_READERS),
            },
        ),
        *[
            Row(name, variant, url(name, ref(post), ref(file)), expect)
            for name, kind in (
                ("posts:attachment", "pdf"),
                ("posts:attachment_thumbnail", "image"),
            )
            for variant, post, file, expect in (
                ("lobby", "file_post", kind, members_only()),
                ("closed", "file_post_closed", f"{kind}_closed", only(OK, *CLOSED_READERS)),
                # A closed section's file through a readable post's URL.
                ("closed_via_lobby", "file_post", f"{kind}_closed", members_only(NOT_FOUND)),
            )
        ],
    ]


def _moderation() -> list[Row]:
    return [
        *rows(
            "moderation:report_post",
            lambda key: url("moderation:report_post", ref(key)),
            {
                "post_lobby": members_only(),
                "post_closed": only(OK, *CLOSED_READERS),
                # One's own post cannot be reported: back to it.
                "own_post": members_only(Refused(url("posts:detail", ref("own_post")))),
            },
        ),
        *rows(
            "moderation:report_comment",
            lambda key: url("moderation:report_comment", ref(key)),
            {
                "comment_lobby": members_only(),
                "comment_closed": only(OK, *CLOSED_READERS),
                "own_comment": members_only(
                    Refused(
                        url("posts:detail", ref("post_lobby"), suffix=at_comment("own_comment"))
                    )
                ),
            },
        ),
        page("moderation:hidden", members_only()),
        page("staff_moderation:queue", staff_only()),
        page("staff_moderation:case", staff_only(), ref("case")),
        page(
            "staff_moderation:decide",
            staff_only(Redirect(url("staff_moderation:queue"))),
            ref("case"),
            method="post",
            data={"decision": "dismiss", "note": "問題ありません。"},
        ),
    ]


def stream_key(episode: str) -> Callable[[Visit], str]:
    return lambda v: v[episode].programme.stream_key


def _broadcasts() -> list[Row]:
    def programme(key: str) -> UrlOf:
        return url("broadcasts:programme", ref(key, "slug"))

    def episode(key: str, suffix: str = "") -> UrlOf:
        return url("broadcasts:episode", ref(key), suffix=suffix)

    def slugged(name: str) -> Callable[[str], UrlOf]:
        return lambda key: url(name, ref(key, "slug"))

    def at(name: str) -> Callable[[str], UrlOf]:
        return lambda key: url(name, ref(key))

    runs_own = ("personality", *STAFF)
    archive_files = {
        "recorded": members_only(),
        # Nothing recorded while on air.
        "on_air": members_only(NOT_FOUND),
        # An archived programme's episodes exist for staff only.
        "archived": only(OK, *STAFF),
    }
    episodes = {"recorded": "episode_recorded", "on_air": "episode", "archived": "episode_archived"}
    return [
        page(
            "broadcasts:timetable",
            members_only(),
            secrets=(Secret("an archived programme", ARCHIVED_PROGRAMME_TITLE, ()),),
        ),
        page("broadcasts:new_programme", staff_only()),
        *rows(
            "broadcasts:programme",
            slugged("broadcasts:programme"),
            {"programme": members_only(), "programme_archived": only(OK, *STAFF)},
        ),
        # Personalities run their episodes, not the programme itself.
        page("broadcasts:edit_programme", staff_only(), ref("programme", "slug")),
        page(
            "broadcasts:archive_programme",
            staff_only(Redirect(url("broadcasts:timetable"))),
            ref("programme", "slug"),
            method="post",
        ),
        *rows(
            "broadcasts:cover",
            slugged("broadcasts:cover"),
            {
                "programme": members_only(),
                "programme_other": members_only(NOT_FOUND),  # it has none
                "programme_archived": only(OK, *STAFF),
            },
        ),
        *rows(
            "broadcasts:follow",
            slugged("broadcasts:follow"),
            {
                "programme": members_only(Redirect(programme("programme"))),
                "programme_archived": only(Redirect(programme("programme_archived")), *STAFF),
            },
            method="post",
        ),
        *rows(
            "broadcasts:rotate_key",
            slugged("broadcasts:rotate_key"),
            {
                "programme": only(Redirect(programme("programme")), *runs_own, others=FORBIDDEN),
                "programme_other": staff_only(Redirect(programme("programme_other"))),
                "programme_archived": only(Redirect(programme("programme_archived")), *STAFF),
            },
            method="post",
        ),
        *rows(
            "broadcasts:new_episode",
            slugged("broadcasts:new_episode"),
            {
                "programme": only(OK, *runs_own, others=FORBIDDEN),
                "programme_other": staff_only(),
            },
        ),
        *rows(
            "broadcasts:episode",
            at("broadcasts:episode"),
            {"episode_archived": only(OK, *STAFF)},
        ),
        # A self-hosted episode on air: the stream key is for those who run the programme.
        *[
            Row(
                "broadcasts:episode",
                key,
                url("broadcasts:episode", ref(key)),
                members_only(),
                secrets=(Secret("the stream key", stream_key(key), runners),),
            )
            for key, runners in (("episode", runs_own), ("episode_other", STAFF))
        ],
        *rows(
            "broadcasts:edit_episode",
            at("broadcasts:edit_episode"),
            {"episode": only(OK, *runs_own, others=FORBIDDEN), "episode_other": staff_only()},
        ),
        *rows(
            "broadcasts:cancel_episode",
            at("broadcasts:cancel_episode"),
            {
                "episode": only(Redirect(episode("episode")), *runs_own, others=FORBIDDEN),
                "episode_other": staff_only(Redirect(episode("episode_other"))),
                # An episode that has ended cannot be cancelled.
                "episode_recorded": only(
                    Refused(episode("episode_recorded")), *runs_own, others=FORBIDDEN
                ),
            },
            method="post",
        ),
        *rows(
            "broadcasts:comments",
            at("broadcasts:comments"),
            {"episode": members_only(), "episode_archived": only(OK, *STAFF)},
        ),
        *rows(
            "broadcasts:post_comment",
            at("broadcasts:post_comment"),
            {
                "episode": members_only(Redirect(episode("episode", "#live-comments"))),
                # Comments close when the episode ends: the page again, with the reason.
                "episode_recorded": members_only(BAD),
                "episode_archived": only(BAD, *STAFF),
            },
            method="post",
            data={"body": "こんばんは"},
        ),
        *rows(
            "broadcasts:delete_comment",
            at("broadcasts:delete_comment"),
            {
                "live_comment": only(Redirect(episode("episode")), *runs_own, others=FORBIDDEN),
                "live_comment_other": staff_only(Redirect(episode("episode_other"))),
            },
            method="post",
        ),
        *rows(
            "broadcasts:mute",
            at("broadcasts:mute"),
            {
                "live_comment": only(Redirect(episode("episode")), *runs_own, others=FORBIDDEN),
                # Personalities and staff cannot be muted.
                "live_comment_personality": only(
                    Refused(episode("episode")), *runs_own, others=FORBIDDEN
                ),
                "live_comment_other": staff_only(Redirect(episode("episode_other"))),
            },
            method="post",
        ),
        *rows(
            "broadcasts:archive_media",
            lambda key: url("broadcasts:archive_media", ref(episodes[key])),
            archive_files,
        ),
        *rows(
            "broadcasts:archive_audio",
            lambda key: url("broadcasts:archive_audio", ref(episodes[key])),
            archive_files,
        ),
        *rows(
            "broadcasts:played",
            lambda key: url("broadcasts:played", ref(episodes[key])),
            {
                "recorded": members_only("204"),
                # Still on air: there is no archive to have played yet.
                "on_air": members_only(BAD),
                "archived": only("204", *STAFF),
            },
            method="post",
        ),
        # nginx's auth_request: a bare status, never a redirect to sign in.
        page(
            "broadcasts:hls_auth",
            {**everyone("204"), ANONYMOUS: "401", **dict.fromkeys(NON_MEMBERS, FORBIDDEN)},
        ),
        # RTMP callbacks without the shared secret are refused, whoever calls.
        page("broadcasts:rtmp_publish", everyone(FORBIDDEN), method="post"),
        page("broadcasts:rtmp_publish_done", everyone(FORBIDDEN), method="post"),
        page("broadcasts:rtmp_record_done", everyone(FORBIDDEN), method="post"),
    ]


def _feed_and_notifications() -> list[Row]:
    return [
        page(
            "feed:feed",
            members_only(),
            secrets=(closed_secret("a closed section's announcement", CLOSED_ANNOUNCEMENT_TITLE),),
        ),
        page("feed:mark_all_read", members_only(Redirect(url("feed:feed"))), method="post"),
        *rows(
            "feed:member_posts",
            lambda key: url("feed:member_posts", ref(key)),
            {
                "own_user": members_only(),
                "closed_leader": members_only(),
                # Suspended people do not exist for members.
                "suspended": only(OK, *STAFF),
            },
        ),
        Row(
            "feed:member_posts",
            "closed_leader_posts",
            url("feed:member_posts", ref("closed_leader")),
            members_only(),
            secrets=(closed_secret("a closed section's post", CLOSED_POST_TITLE),),
        ),
        page(
            "notifications:list",
            members_only(),
            # Everyone has a notification about a closed section's post: only its readers see it.
            secrets=(closed_secret("a closed section's post", CLOSED_POST_TITLE),),
        ),
        page("notifications:bell", members_only()),
        page("notifications:preferences", members_only()),
        page(
            "notifications:mention_search",
            members_only(),
            data={"q": "新家"},
            secrets=(Secret("a member", "新家", (*MEMBERS, *STAFF)),),
        ),
        # Only members are offered: not applicants, not suspended people.
        *[
            Row(
                "notifications:mention_search",
                variant,
                url("notifications:mention_search"),
                members_only(),
                data={"q": name.split()[0]},
                secrets=(Secret(variant.replace("_", " "), name.split()[0], ()),),
            )
            for variant, name in (("an_applicant", APPLICANT_NAME), ("suspended", SUSPENDED_NAME))
        ],
        page(
            "notifications:read_all",
            members_only(Redirect(url("notifications:list"))),
            method="post",
        ),
        *rows(
            "notifications:open",
            lambda key: url("notifications:open", ref(key)),
            {
                "own_notification": members_only(Redirect(url("posts:detail", ref("post_lobby")))),
                # About a post the recipient may no longer read: gone.
                "own_notification_closed": only(
                    Redirect(url("posts:detail", ref("post_closed"))), *CLOSED_READERS
                ),
                "notification_others": members_only(NOT_FOUND),
            },
            method="post",
        ),
    ]


def _events() -> list[Row]:
    def detail(key: str) -> UrlOf:
        return url("events:detail", ref(key))

    def at(name: str) -> Callable[[str], UrlOf]:
        return lambda key: url(name, ref(key))

    def slugged(name: str) -> Callable[[str], UrlOf]:
        return lambda key: url(name, ref(key, "slug"))

    venues = {
        "event_staff": Secret("the venue", VENUE_STAFF, ("member", *STAFF)),
        "event_hosted": Secret("the venue", VENUE_HOSTED, HOSTS),
        "event_open": Secret("the venue", VENUE_SECTION, OPEN_RUNNERS),
        "event_closed": Secret("the venue", VENUE_CLOSED, STAFF),
        "event_closed_hosted": Secret("the venue", VENUE_CLOSED, HOSTS),
        "event_in_hosted_series": Secret("the venue", VENUE_HOSTED, HOSTS),
    }
    visible = {
        "event_staff": members_only(),
        "event_hosted": members_only(),
        "event_open": members_only(),
        "event_closed": only(OK, *CLOSED_READERS),
        # A closed section's session exists for its hosts too.
        "event_closed_hosted": only(OK, "host", *CLOSED_READERS),
        "event_in_hosted_series": members_only(),
    }
    managed = {
        "event_staff": only(OK, *STAFF),
        "event_hosted": only(OK, *HOSTS),
        "event_open": only(OK, *OPEN_RUNNERS),
        "event_closed": only(OK, *STAFF),
        "event_closed_hosted": only(OK, *HOSTS),
        # Hosts of a series host each of its sessions.
        "event_in_hosted_series": only(OK, *HOSTS),
    }
    series_managed = {
        "series_staff": only(OK, *STAFF),
        "series_hosted": only(OK, *HOSTS),
        "series_open": only(OK, *OPEN_RUNNERS),
        "series_closed": only(OK, *STAFF),
    }

    def agenda(key: str, item: str) -> UrlOf:
        return url("events:agenda", ref(key), suffix=lambda v: f"#agenda-{v[item].pk}")

    creators = only(OK, "leader", "deputy", *STAFF)
    return [
        page(
            "events:list",
            members_only(),
            secrets=(closed_secret("a closed section's event", CLOSED_EVENT_TITLE),),
        ),
        page("events:settings", members_only()),
        # No 説明会 session has been generated: the series page.
        page("events:briefing", members_only(Redirect(url("events:series", "briefing")))),
        *[
            Row("events:detail", key, detail(key), expect, secrets=(venues[key],))
            for key, expect in visible.items()
        ],
        *[
            Row("events:ics", key, url("events:ics", ref(key)), expect, secrets=(venues[key],))
            for key, expect in visible.items()
        ],
        *rows(
            "events:series",
            slugged("events:series"),
            {
                "series_staff": members_only(),
                "series_hosted": members_only(),
                "series_closed": only(OK, *CLOSED_READERS),
            },
        ),
        page("events:new", creators),
        # A session of a series is added by those who manage that series.
        Row(
            "events:new",
            "for_hosted_series",
            url("events:new"),
            only(OK, *HOSTS),
            data={"series": "survey"},
        ),
        page("events:series_new", creators),
        *rows("events:manage", at("events:manage"), managed),
        *rows("events:edit", at("events:edit"), managed),
        *rows("events:questions", at("events:questions"), managed),
        *rows("events:move", at("events:move"), managed),
        *rows("events:cancel", at("events:cancel"), managed),
        *rows("events:attendance_import", at("events:attendance_import"), managed),
        *rows("events:series_edit", slugged("events:series_edit"), series_managed),
        *rows("events:series_questions", slugged("events:series_questions"), series_managed),
        *rows(
            "events:question_delete",
            at("events:question_delete"),
            {
                "question_staff": only(
                    Redirect(url("events:questions", ref("event_staff"))), *STAFF
                ),
                "question_hosted": only(
                    Redirect(url("events:questions", ref("event_hosted"))), *HOSTS
                ),
                "question_series_open": only(
                    Redirect(url("events:series_questions", ref("series_open", "slug"))),
                    *OPEN_RUNNERS,
                ),
            },
            method="post",
        ),
        *rows(
            "events:register",
            at("events:register"),
            {
                # The member is registered already.
                "event_staff": members_only(
                    Redirect(detail("event_staff")), member=Refused(detail("event_staff"))
                ),
                "event_closed": only(Redirect(detail("event_closed")), *CLOSED_READERS),
            },
            method="post",
        ),
        *rows(
            "events:cancel_registration",
            at("events:cancel_registration"),
            {
                # Only the member is registered: nobody else has anything to cancel.
                "event_staff": only(Redirect(detail("event_staff")), "member"),
                "event_closed": members_only(NOT_FOUND),
            },
            method="post",
        ),
        *rows(
            "events:agenda",
            at("events:agenda"),
            {"event_staff": members_only(), "event_closed": only(OK, *CLOSED_READERS)},
        ),
        *rows(
            "events:agenda_vote",
            at("events:agenda_vote"),
            {
                "agenda_staff": members_only(Redirect(agenda("event_staff", "agenda_staff"))),
                "agenda_closed": only(
                    Redirect(agenda("event_closed", "agenda_closed")), *CLOSED_READERS
                ),
            },
            method="post",
        ),
        *rows(
            "events:agenda_decide",
            at("events:agenda_decide"),
            {
                f"agenda_{kind}": only(
                    Redirect(agenda(f"event_{kind}", f"agenda_{kind}")), *runners
                )
                for kind, runners in (
                    ("staff", STAFF),
                    ("hosted", HOSTS),
                    ("open", OPEN_RUNNERS),
                    ("closed", STAFF),
                )
            },
            method="post",
            data={"status": "planned"},
        ),
        # Check-in opens 15 minutes before the start, for confirmed registrants (no walk-ins
        # here): `event_staff` starts in ten minutes, `event_closed` in days.
        *rows(
            "events:check_in",
            at("events:check_in"),
            {
                "event_staff": members_only(
                    Refused(detail("event_staff")), member=Redirect(detail("event_staff"))
                ),
                "event_closed": only(Refused(detail("event_closed")), *CLOSED_READERS),
            },
            method="post",
        ),
        *rows(
            "events:attendance_mark",
            at("events:attendance_mark"),
            {
                # Marks are taken from the check-in window on.
                "event_hosted": only(Redirect(url("events:manage", ref("event_hosted"))), *HOSTS),
                "event_closed": only(Refused(url("events:manage", ref("event_closed"))), *STAFF),
            },
            method="post",
        ),
        # Without a report to confirm, those who manage are sent back to upload one.
        *rows(
            "events:attendance_import_confirm",
            at("events:attendance_import_confirm"),
            {
                "event_hosted": only(
                    Refused(url("events:attendance_import", ref("event_hosted"))), *HOSTS
                ),
                "event_open": only(
                    Refused(url("events:attendance_import", ref("event_open"))), *OPEN_RUNNERS
                ),
            },
            method="post",
        ),
        page("events:figures", staff_only()),
        page(
            "events:feed_regenerate",
            members_only(Redirect(url("events:settings"))),
            method="post",
        ),
        page("events:feed_revoke", members_only(Redirect(url("events:settings"))), method="post"),
        # The calendar feed answers only to its secret token, and only while its owner is a
        # member.
        *rows(
            "events:feed",
            lambda key: url("events:feed", lambda v: v.world.feed_tokens[key]),
            {
                "bad_token": everyone(NOT_FOUND),
                "member_token": everyone(OK),
                "suspended_token": everyone(NOT_FOUND),
            },
        ),
    ]


def _knowledge() -> list[Row]:
    def at(name: str) -> Callable[[str], UrlOf]:
        return lambda key: url(name, ref(key))

    readable = {
        "faq": members_only(),
        "faq_draft": only(OK, *FAQ_WRITERS),
        "faq_hosted_draft": only(OK, "host", *FAQ_WRITERS),
    }
    return [
        page(
            "knowledge:list",
            members_only(),
            secrets=(
                Secret("a draft", DRAFT_QUESTION, FAQ_WRITERS),
                Secret("a draft from a session", HOSTED_DRAFT_QUESTION, ("host", *FAQ_WRITERS)),
                # The list does not name an entry's session to those who may not see it.
                Secret(
                    "a closed section's event",
                    CLOSED_EVENT_TITLE,
                    CLOSED_READERS,
                    shown_to_privy=False,
                ),
            ),
        ),
        *rows("knowledge:detail", at("knowledge:detail"), readable),
        Row(
            "knowledge:detail",
            "faq_closed_source",
            url("knowledge:detail", ref("faq_closed_source")),
            members_only(),
            # A published answer from a closed section's session: the session stays hidden.
            secrets=(closed_secret("a closed section's event", CLOSED_EVENT_TITLE),),
        ),
        *rows("knowledge:history", at("knowledge:history"), readable),
        # Entries from a closed section's session: every writer reads and edits drafts, and
        # edits published entries, but the session itself stays hidden from those outside the
        # section (and from its plain members, who cannot edit).
        *[
            Row(
                name,
                key,
                url(name, ref(key)),
                only(OK, *FAQ_WRITERS),
                secrets=(Secret("a closed section's event", CLOSED_EVENT_TITLE, STAFF),),
            )
            for name, key in (
                ("knowledge:detail", "faq_closed_draft"),
                ("knowledge:edit", "faq_closed_draft"),
                ("knowledge:edit", "faq_closed_source"),
            )
        ],
        page("knowledge:new", only(OK, "host", *FAQ_WRITERS)),
        *rows(
            "knowledge:edit",
            at("knowledge:edit"),
            {
                "faq": only(OK, *FAQ_WRITERS),
                "faq_draft": only(OK, *FAQ_WRITERS),
                "faq_hosted_draft": only(OK, "host", *FAQ_WRITERS),
            },
        ),
        page(
            "knowledge:document",
            members_only(),
            secrets=(
                Secret("a draft", DRAFT_QUESTION, ()),
                closed_secret("a closed section's event", CLOSED_EVENT_TITLE),
            ),
        ),
        Row(
            "knowledge:document",
            "event_closed_filter",
            url("knowledge:document"),
            # Filtering by a session one may not see: no such selection.
            only(OK, *CLOSED_READERS),
            data=lambda v: {"event": v["event_closed"].pk},
            secrets=(closed_secret("a closed section's event", CLOSED_EVENT_TITLE),),
        ),
        page("knowledge:document_pdf", members_only()),
        page("knowledge:document_xlsx", members_only()),
    ]


def _search_directory_profiles() -> list[Row]:
    def at(name: str) -> Callable[[str], UrlOf]:
        return lambda key: url(name, ref(key))

    return [
        page("search:results", members_only(), data={"q": "防災"}),
        Row(
            "search:results",
            "closed_post",
            url("search:results"),
            members_only(),
            data={"q": "異動の相談"},
            # The words searched for are highlighted: look for the rest of the title.
            secrets=(closed_secret("a closed section's post", CLOSED_POST_TITLE.split("異動")[0]),),
        ),
        page("search:suggest", members_only(), data={"title": "窓口の混雑"}),
        Row(
            "search:suggest",
            "closed_post",
            url("search:suggest"),
            members_only(),
            data={"title": "異動の相談"},
            secrets=(closed_secret("a closed section's post", CLOSED_POST_TITLE),),
        ),
        *[
            Row(
                "search:results",
                variant,
                url("search:results"),
                members_only(),
                data={"q": words},
                # The words searched for are highlighted: look for the rest of the hit.
                secrets=(Secret(label, shown, privy),),
            )
            for variant, words, label, shown, privy in (
                (
                    "closed_comment",
                    "まず面談",
                    "a closed section's post",
                    CLOSED_POST_TITLE,
                    CLOSED_READERS,
                ),
                (
                    "closed_event",
                    "練習会",
                    "a closed section's event",
                    CLOSED_EVENT_TITLE.removesuffix("練習会"),
                    CLOSED_READERS,
                ),
                ("faq_draft", "公開前", "a draft", DRAFT_QUESTION.split("公開前")[0], FAQ_WRITERS),
                ("archived_episode", "最終回", "an archived programme", "旧番組", STAFF),
            )
        ],
        # A field its owner shows to staff only is not found by members either.
        Row(
            "search:results",
            "hidden_field",
            url("search:results"),
            members_only(),
            data={"q": HIDDEN_DEPARTMENT},
            secrets=(closed_secret("the member with that field", CLOSED_MEMBER_NAME),),
        ),
        page(
            "directory:search",
            members_only(),
            secrets=(
                # Closed sections are offered as a filter only to those who may see their members.
                closed_secret("a closed section", CLOSED_SECTION_NAME),
                # A field its owner shows to staff only.
                closed_secret("a field shown to staff only", HIDDEN_DEPARTMENT),
                # Suspended people are not in the directory.
                Secret("a suspended person", SUSPENDED_NAME, ()),
            ),
        ),
        page("directory:duties", members_only()),
        page(
            "directory:duty",
            members_only(),
            ref("duty"),
            secrets=(closed_secret("a holder who shows duties to staff only", CLOSED_MEMBER_NAME),),
        ),
        Row(
            "directory:search",
            "duty_filter",
            url("directory:search"),
            members_only(),
            data=lambda v: {"duty": v["duty"].pk},
            secrets=(closed_secret("a holder who shows duties to staff only", CLOSED_MEMBER_NAME),),
        ),
        page("organizations:search", everyone()),
        *rows(
            "profiles:detail",
            at("profiles:detail"),
            {
                "own_user": members_only(),
                "outsider": members_only(),
                # Applicants and suspended people do not exist for members.
                "suspended": only(OK, *STAFF),
                "applicant": only(OK, *STAFF),
            },
        ),
        Row(
            "profiles:detail",
            "closed_member",
            url("profiles:detail", ref("closed_member")),
            members_only(),
            secrets=(
                closed_secret("their closed section", CLOSED_SECTION_NAME),
                Secret("a field shown to staff only", HIDDEN_DEPARTMENT, CLOSED_READERS),
            ),
        ),
        Row(
            "profiles:detail",
            "closed_leader",
            url("profiles:detail", ref("closed_leader")),
            members_only(),
            secrets=(
                closed_secret("their closed section", CLOSED_SECTION_NAME),
                closed_secret("their post in it", CLOSED_POST_TITLE),
            ),
        ),
        # A request to join is not a membership: it shows nowhere.
        Row(
            "profiles:detail",
            "closed_requester",
            url("profiles:detail", ref("closed_requester")),
            members_only(),
            secrets=(Secret("the section asked to join", CLOSED_SECTION_NAME, ()),),
        ),
        *rows(
            "profiles:photo",
            at("profiles:photo"),
            {
                "poster": members_only(),
                # A photo its owner shows to staff only.
                "closed_member": only(OK, *CLOSED_READERS),
                "suspended": members_only(NOT_FOUND),
            },
        ),
        page("profiles:edit", members_only()),
    ]


def _staff_area() -> list[Row]:
    return [
        page("staff_duties:list", staff_only()),
        page("staff_duties:create", staff_only()),
        page("staff_duties:edit", staff_only(), ref("duty")),
        page(
            "staff_duties:set_active",
            staff_only(Redirect(url("staff_duties:list"))),
            ref("duty"),
            method="post",
            data={"active": "1"},
        ),
        page("staff:dashboard", staff_only()),
        page("staff:audit_log", admin_only()),
    ]


MATRIX: dict[str, Row] = {
    row.id: row
    for row in (
        *_site(),
        *_joining(),
        *_review(),
        *_accounts(),
        *_staff_members(),
        *_insights(),
        *_sections(),
        *_posts(),
        *_moderation(),
        *_broadcasts(),
        *_feed_and_notifications(),
        *_events(),
        *_knowledge(),
        *_search_directory_profiles(),
        *_staff_area(),
    )
}

# Real leaks: the row asserts the safe outcome and is expected to fail until the product is
# fixed. (row id, persona) -> what happens instead.
# A leak found and not yet mended: (row, persona) -> what leaks; the case is marked
# xfail(strict=True), so it shows in every run and fails once mended until removed here.
LEAKS: dict[tuple[str, str], str] = {}


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
    covered = {row.name for row in MATRIX.values()}
    missing = sorted(all_url_names() - covered)
    assert not missing, f"URL patterns missing from the authorization matrix: {missing}"
    stale = sorted(covered - all_url_names())
    assert not stale, f"Matrix rows for URL patterns that no longer exist: {stale}"


def test_every_row_says_what_every_persona_gets():
    incomplete = {row_id: sorted(set(PERSONAS) ^ set(row.expect)) for row_id, row in MATRIX.items()}
    assert not {k: v for k, v in incomplete.items() if v}


# --- running the cases --------------------------------------------------------------------


@pytest.fixture(scope="module")
def built_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The world, built once per module inside a transaction rolled back at the end; the clock
    stays frozen for every case."""
    media = tmp_path_factory.mktemp("authz-media")
    with (
        time_machine.travel(NOW, tick=False),
        override_settings(MEDIA_ROOT=media, MEDIA_ACCEL_REDIRECT=""),
        django_db_blocker.unblock(),
        transaction.atomic(),
    ):
        yield build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(built_world: World, db) -> World:
    """The same world for every case: `db` wraps each case in a transaction rolled back after
    it, so no case sees another's writes."""
    return built_world


def outcome_of(response: Any, visit: Visit, secrets: tuple[Secret, ...] = ()) -> str:
    code = response.status_code
    if code in (301, 302, 303, 307, 308):
        queued = getattr(getattr(response.wsgi_request, "_messages", None), "_queued_messages", [])
        refused = any(m.level >= messages.WARNING for m in queued)
        return f"redirect {response['Location']}" + (" (refused)" if refused else "")
    text = str(code)
    if code == 200 and secrets:
        body = response.content.decode(errors="replace")
        if response.get("Content-Type", "").startswith("application/json"):
            body = json.dumps(response.json(), ensure_ascii=False)
        for secret in secrets:
            shown, privy = secret.in_page(body, visit), visit.persona in secret.privy
            if shown and not privy:
                text += f", showing {secret.label}"
            elif privy and not shown and secret.shown_to_privy:
                text += f", without {secret.label}"
    return text


def expected_text(expect: Outcome, visit: Visit, asked_for: str) -> str:
    if isinstance(expect, _Login):
        return f"redirect {reverse('accounts:login')}?{urlencode({'next': asked_for})}"
    if isinstance(expect, Redirect):
        return expect.text(visit)
    return expect


def case_params() -> list[Any]:
    params = []
    for row_id in MATRIX:
        for persona in PERSONAS:
            marks = []
            if (row_id, persona) in LEAKS:
                marks.append(pytest.mark.xfail(strict=True, reason=LEAKS[row_id, persona]))
            params.append(pytest.param(row_id, persona, id=f"{row_id}-{persona}", marks=marks))
    return params


@pytest.mark.parametrize(("row_id", "persona"), case_params())
def test_it_gives_each_persona_what_the_rules_say(world, row_id, persona):
    row = MATRIX[row_id]
    visit = Visit(world, persona)
    path = row.url(visit)
    data = row.data(visit) if callable(row.data) else row.data
    response = getattr(world.client(persona), row.method)(path, data)
    asked_for = path + (f"?{urlencode(data, doseq=True)}" if row.method == "get" and data else "")
    expected = expected_text(row.expect[persona], visit, asked_for)
    assert outcome_of(response, visit, row.secrets) == expected


@pytest.mark.parametrize("path", sorted(ADMIN_VISITS))
@pytest.mark.parametrize("persona", PERSONAS)
def test_it_keeps_django_admin_to_staff(world, path, persona):
    audience = staff_only() if ADMIN_VISITS[path] == "staff" else admin_only()
    visit = Visit(world, persona)
    response = world.client(persona).get(path)
    expected = expected_text(audience[persona], visit, path)
    assert outcome_of(response, visit) == expected
