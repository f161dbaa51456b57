"""Who may run each action about people: accounts, deletion, joining, profiles, local
governments, sections and moderation.

Every action is called directly, with no view in front of it, as each persona: what a view, a
management command or a future API lets through is decided by the action itself. A refused call
must leave every row as it was; an allowed one must change something.
"""

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import timedelta
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Model
from django.utils import timezone
from django_otp.plugins.otp_totp.models import TOTPDevice

from cityhall import testing
from cityhall.accounts import actions as accounts
from cityhall.accounts import deletion_actions as deletion
from cityhall.accounts.actions import AccountError
from cityhall.accounts.models import AccountDeletion, User, UserSession
from cityhall.audit.models import AuditEntry
from cityhall.core.models import OutboundEmail
from cityhall.members import actions as members
from cityhall.members.models import MembershipApplication, Profile
from cityhall.members.profile_actions import do_update_profile
from cityhall.moderation import actions as moderation
from cityhall.moderation.models import Case, Report
from cityhall.organizations.actions import do_import_local_governments
from cityhall.organizations.models import Organization
from cityhall.posts.models import Post
from cityhall.sections import actions as sections
from cityhall.sections.models import Section, SectionMembership

pytestmark = pytest.mark.django_db

OK = "ok"
DENIED = PermissionDenied
PERSONAS = ("applicant", "member", "leader", "deputy", "staff", "admin", "outsider", "suspended")
# Rows written by the actions under test; a refused call must leave every count as it was.
COUNTED: tuple[type[Model], ...] = (
    User,
    Profile,
    UserSession,
    TOTPDevice,
    AccountDeletion,
    MembershipApplication,
    Section,
    SectionMembership,
    Post,
    Case,
    Report,
    AuditEntry,
    OutboundEmail,
)


@dataclass
class World:
    """The personas, plus `target`: a plain member the others act upon.

    `section` (open) is led by `leader` and `suspended` (suspended since), deputised by
    `deputy`, joined by `member`, and `target` asks to join it. `closed` is a closed section
    where `deputy` belongs. `target` wrote a lobby post, a post in `closed`, and a post that
    already has an open case.
    """

    people: dict[str, User]
    target: User
    section: Section
    closed: Section
    lounge: Section
    request: SectionMembership
    application: MembershipApplication
    post: Post
    closed_post: Post
    case: Case
    extra: dict[str, Any] = field(default_factory=dict)


def _add(section: Section, user: User, role: str = "member", status: str = "active") -> Any:
    return SectionMembership.objects.create(section=section, user=user, role=role, status=status)


def _post(author: User, section: Section | None, title: str) -> Post:
    return Post.objects.create(
        author=author, section=section, kind=Post.Kind.DISCUSSION, title=title, body="本文です。"
    )


def _people() -> dict[str, User]:
    """The personas of conftest.py, built with the same factories, plus a deputy."""
    make = testing.make_user
    applicant = make("applicant@city.example.lg.jp", status=User.Status.APPLICANT, password=None)
    testing.make_application(applicant)
    return {
        "applicant": applicant,
        "member": make("member@vill.sarufutsu.lg.jp", family_name="新家", given_name="一郎"),
        "leader": make("leader@city.example.lg.jp", family_name="課長", given_name="花子"),
        "deputy": make("deputy@city.example.lg.jp", family_name="副課長", given_name="三"),
        "staff": make("staff@pref.hokkaido.lg.jp", role=User.Role.STAFF),
        "admin": make("admin@example.go.jp", role=User.Role.ADMIN),
        "outsider": make("outsider@city.yokohama.lg.jp", org=testing.organization("141003")),
        "suspended": make("suspended@town.example.lg.jp", status=User.Status.SUSPENDED),
    }


def _build_world() -> dict[str, Any]:
    people = _people()
    applicant, member, leader = people["applicant"], people["member"], people["leader"]
    deputy, suspended = people["deputy"], people["suspended"]
    target = testing.make_user("target@town.example.lg.jp", family_name="対象", given_name="七")
    section = Section.objects.create(name="防災課", slug="bousai", kind="work", purpose="防災")
    closed = Section.objects.create(
        name="人事の部屋", slug="jinji", kind="work", purpose="人事", is_closed=True
    )
    lounge = Section.objects.create(name="雑談室", slug="lounge", kind="social", purpose="雑談")
    _add(section, leader, "leader")
    _add(section, suspended, "leader")
    _add(section, deputy, "deputy")
    _add(section, member)
    _add(closed, leader, "leader")
    _add(closed, deputy)
    _add(closed, target)
    request = _add(section, target, status="pending")
    case_post = _post(target, None, "報告済みの投稿")
    case = Case.objects.create(author=target, post=case_post, snapshot="報告済みの投稿")
    return {
        "people": {name: user.pk for name, user in people.items()},
        "target": target.pk,
        "sections": (section.pk, closed.pk, lounge.pk),
        "request": request.pk,
        "application": applicant.applications.get().pk,
        "posts": (_post(target, None, "ロビーの投稿").pk, _post(target, closed, "閉じた課").pk),
        "case": case.pk,
    }


@pytest.fixture(scope="module")
def world_ids(django_db_setup: None, django_db_blocker: Any) -> Iterator[dict[str, Any]]:
    """Built once per module in a transaction rolled back at the end. Each test runs in a
    savepoint inside it (pytest-django's `db`), so no test sees another's writes."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield _build_world()
        transaction.set_rollback(True)


@pytest.fixture
def world(world_ids: dict[str, Any]) -> World:
    """Fresh instances for every test: an action may change the objects it is given."""
    users = User.objects.select_related("profile").in_bulk(
        [*world_ids["people"].values(), world_ids["target"]]
    )
    section, closed, lounge = (Section.objects.get(pk=pk) for pk in world_ids["sections"])
    post, closed_post = (Post.objects.get(pk=pk) for pk in world_ids["posts"])
    return World(
        people={n: users[pk] for n, pk in world_ids["people"].items()},
        target=users[world_ids["target"]],
        section=section,
        closed=closed,
        lounge=lounge,
        request=SectionMembership.objects.select_related("user", "section").get(
            pk=world_ids["request"]
        ),
        application=MembershipApplication.objects.get(pk=world_ids["application"]),
        post=post,
        closed_post=closed_post,
        case=Case.objects.get(pk=world_ids["case"]),
    )


# --- What each scenario prepares, runs and looks at -----------------------------------------

Run = Callable[[World, Any], object]


@dataclass(frozen=True)
class Scenario:
    run: Run
    prepare: Callable[[World, Any], object] = lambda w, actor: None
    # Fields no count shows (a password, a status): compared before and after as well.
    probe: Callable[[World, Any], object] = lambda w, actor: None


def _user_fields(user: User | None, *fields: str) -> object:
    if user is None:
        return None
    return tuple(User.objects.filter(pk=user.pk).values_list(*fields).get())


def _session_for(user: User, key: str) -> UserSession:
    return UserSession.objects.create(
        session_key=key,
        session_data="",
        expire_date=timezone.now() + timedelta(days=1),
        user=user,
    )


def _with_two_factor(w: World, actor: User) -> None:
    TOTPDevice.objects.create(user=actor, name="test", confirmed=True)
    User.objects.filter(pk=actor.pk).update(two_factor_enabled=True)
    actor.two_factor_enabled = True


def _pending_deletion(user: User) -> None:
    AccountDeletion.objects.create(user=user, due_at=timezone.now())


def _profile_data(user: User) -> dict[str, Any]:
    profile = user.profile
    return {
        "family_name": user.family_name,
        "given_name": "改名",
        "family_name_kana": user.family_name_kana,
        "given_name_kana": user.given_name_kana,
        "organization": profile.organization,
        "department": "危機管理課",
        "title": profile.title,
        "duties": [],
        "interests": profile.interests,
        "bio": profile.bio,
        "visibility": {},
    }


def _needs_info(w: World, actor: Any) -> None:
    MembershipApplication.objects.filter(pk=w.application.pk).update(
        status=MembershipApplication.Status.NEEDS_INFO
    )
    w.application.refresh_from_db()


def _reply(w: World) -> dict[str, Any]:
    a = w.application
    return {
        "applicant_reply": "市の職員証をお送りします。",
        "organization": a.organization,
        "department": a.department,
        "title": a.title,
        "introduction": a.introduction,
        "duties": [],
    }


def _correction(w: World) -> dict[str, Any]:
    fields = members.ANSWER_FIELDS
    return {**{f: getattr(w.application, f) for f in fields}, "title": "係長", "duties": []}


def _newcomer(w: World, actor: Any) -> None:
    w.extra["newcomer"] = testing.make_user("newcomer@vill.example.lg.jp", password=None)


def _long_rejected(w: World, actor: Any) -> None:
    person = testing.make_user(
        "long-ago@city.example.lg.jp", status=User.Status.REJECTED, password=None
    )
    testing.make_application(
        person, status="rejected", decided_at=timezone.now() - timedelta(days=800)
    )


def _application_status(w: World, actor: Any) -> object:
    return MembershipApplication.objects.filter(pk=w.application.pk).values_list("status").get()


def _membership(w: World, actor: Any) -> object:
    return tuple(SectionMembership.objects.values_list("user_id", "status", "role").order_by("pk"))


PASSWORD = "a-new-and-long-passphrase-4821"
SECTION_DATA = {
    "name": "写真部",
    "slug": "photo",
    "kind": "social",
    "purpose": "写真を見せ合います。",
    "joining_rule": "open",
    "is_closed": False,
}

SCENARIOS: dict[str, Scenario] = {
    # accounts.actions
    "set own password": Scenario(
        run=lambda w, a: accounts.do_set_password(a, PASSWORD, actor=a),
        probe=lambda w, a: _user_fields(a, "password"),
    ),
    "set another's password": Scenario(
        run=lambda w, a: accounts.do_set_password(w.target, PASSWORD, actor=a),
        probe=lambda w, a: _user_fields(w.target, "password"),
    ),
    "change own email": Scenario(
        run=lambda w, a: accounts.do_request_email_change(a, "new@x.lg.jp", actor=a),
        probe=lambda w, a: _user_fields(a, "email_change_nonce"),
    ),
    "change another's email": Scenario(
        run=lambda w, a: accounts.do_request_email_change(w.target, "new@x.lg.jp", actor=a),
        probe=lambda w, a: _user_fields(w.target, "email_change_nonce"),
    ),
    "end own session": Scenario(
        prepare=lambda w, a: w.extra.update(session=_session_for(a, "own-session")),
        run=lambda w, a: accounts.do_sign_out_session(a, w.extra["session"], actor=a),
    ),
    "end another's session": Scenario(
        prepare=lambda w, a: w.extra.update(session=_session_for(w.target, "their-session")),
        run=lambda w, a: accounts.do_sign_out_session(w.target, w.extra["session"], actor=a),
    ),
    "end another's session as if own": Scenario(
        prepare=lambda w, a: w.extra.update(session=_session_for(w.target, "their-session")),
        run=lambda w, a: accounts.do_sign_out_session(a, w.extra["session"], actor=a),
    ),
    "end own sessions everywhere": Scenario(
        prepare=lambda w, a: _session_for(a, "own-session"),
        run=lambda w, a: accounts.do_sign_out_everywhere(a, actor=a),
    ),
    "end another's sessions everywhere": Scenario(
        prepare=lambda w, a: _session_for(w.target, "their-session"),
        run=lambda w, a: accounts.do_sign_out_everywhere(w.target, actor=a),
    ),
    "turn on own two factors": Scenario(
        run=lambda w, a: accounts.do_enable_two_factor(a, actor=a, key="00" * 20, last_t=0),
    ),
    "turn on another's two factors": Scenario(
        run=lambda w, a: accounts.do_enable_two_factor(w.target, actor=a, key="00" * 20, last_t=0),
    ),
    "turn off own two factors": Scenario(
        prepare=_with_two_factor,
        run=lambda w, a: accounts.do_disable_two_factor(a, actor=a),
        probe=lambda w, a: _user_fields(a, "two_factor_enabled"),
    ),
    "turn off another's two factors": Scenario(
        prepare=lambda w, a: _with_two_factor(w, w.target),
        run=lambda w, a: accounts.do_disable_two_factor(w.target, actor=a),
        probe=lambda w, a: _user_fields(w.target, "two_factor_enabled"),
    ),
    "reset another's two factors": Scenario(
        prepare=lambda w, a: _with_two_factor(w, w.target),
        run=lambda w, a: accounts.do_reset_two_factor(w.target, "端末を紛失", actor=a),
    ),
    "suspend a member": Scenario(
        run=lambda w, a: accounts.do_suspend_user(w.target, actor=a, reason="規約違反"),
        probe=lambda w, a: _user_fields(w.target, "status"),
    ),
    "reactivate the suspended": Scenario(
        run=lambda w, a: accounts.do_reactivate_user(w.people["suspended"], actor=a),
        probe=lambda w, a: _user_fields(w.people["suspended"], "status"),
    ),
    "make a member staff": Scenario(
        run=lambda w, a: accounts.do_change_role(w.target, actor=a, role=User.Role.STAFF),
        probe=lambda w, a: _user_fields(w.target, "role"),
    ),
    # accounts.deletion_actions
    "delete own account": Scenario(
        run=lambda w, a: deletion.do_request_account_deletion(a, delete_content=False, actor=a),
    ),
    "delete another's account": Scenario(
        run=lambda w, a: deletion.do_request_account_deletion(
            w.target, delete_content=False, actor=a
        ),
    ),
    "delete an admin's account": Scenario(
        run=lambda w, a: deletion.do_request_account_deletion(
            w.people["admin"], delete_content=False, actor=a
        ),
    ),
    "mail own deletion link": Scenario(
        run=lambda w, a: deletion.do_send_deletion_link(a, delete_content=False, actor=a),
    ),
    "cancel own deletion": Scenario(
        prepare=lambda w, a: _pending_deletion(a),
        run=lambda w, a: deletion.do_cancel_account_deletion(a, actor=a),
        probe=lambda w, a: tuple(AccountDeletion.objects.values_list("state")),
    ),
    "cancel another's deletion": Scenario(
        prepare=lambda w, a: _pending_deletion(w.target),
        run=lambda w, a: deletion.do_cancel_account_deletion(w.target, actor=a),
        probe=lambda w, a: tuple(AccountDeletion.objects.values_list("state")),
    ),
    "erase a due account": Scenario(
        prepare=lambda w, a: _pending_deletion(w.target),
        run=lambda w, a: deletion.do_erase_account(AccountDeletion.objects.get(), actor=a),
        probe=lambda w, a: _user_fields(w.target, "email", "status"),
    ),
    # members.actions
    "approve an application": Scenario(
        run=lambda w, a: members.do_approve_application(w.application, actor=a),
        probe=_application_status,
    ),
    "reject an application": Scenario(
        run=lambda w, a: members.do_reject_application(w.application, "確認できません", actor=a),
        probe=_application_status,
    ),
    "ask an applicant more": Scenario(
        run=lambda w, a: members.do_request_more_information(
            w.application, "職員証を見せてください", actor=a
        ),
        probe=_application_status,
    ),
    "correct the application": Scenario(
        run=lambda w, a: members.do_correct_application(w.application, _correction(w), actor=a),
        probe=lambda w, a: MembershipApplication.objects.get(pk=w.application.pk).title,
    ),
    "withdraw the application": Scenario(
        run=lambda w, a: members.do_withdraw_application(w.application, actor=a),
        probe=_application_status,
    ),
    "answer staff's question": Scenario(
        prepare=_needs_info,
        run=lambda w, a: members.do_resubmit_application(w.application, _reply(w), actor=a),
        probe=_application_status,
    ),
    "set the first password": Scenario(
        prepare=_newcomer,
        run=lambda w, a: members.do_activate_account(w.extra["newcomer"], PASSWORD, actor=a),
        probe=lambda w, a: _user_fields(w.extra["newcomer"], "password"),
    ),
    "purge old applications": Scenario(
        prepare=_long_rejected,
        run=lambda w, a: members.do_purge_expired_applications(actor=a),
    ),
    # members.profile_actions
    "edit own profile": Scenario(
        run=lambda w, a: do_update_profile(a, actor=a, data=_profile_data(a)),
        probe=lambda w, a: _user_fields(a, "given_name", "profile__department"),
    ),
    "edit another's profile": Scenario(
        run=lambda w, a: do_update_profile(w.target, actor=a, data=_profile_data(w.target)),
        probe=lambda w, a: _user_fields(w.target, "given_name", "profile__department"),
    ),
    # organizations.actions (an empty list marks every local government inactive)
    "import local governments": Scenario(
        run=lambda w, a: do_import_local_governments([], source="test.csv", actor=a),
        probe=lambda w, a: Organization.objects.filter(is_active=True).count(),
    ),
    # sections.actions
    "create a section": Scenario(
        run=lambda w, a: sections.do_create_section(data=SECTION_DATA, actor=a),
    ),
    "edit a section": Scenario(
        run=lambda w, a: sections.do_update_section(w.section, data={"purpose": "減災"}, actor=a),
        probe=lambda w, a: Section.objects.get(pk=w.section.pk).purpose,
    ),
    "archive a section": Scenario(
        run=lambda w, a: sections.do_archive_section(w.section, actor=a),
        probe=lambda w, a: Section.objects.get(pk=w.section.pk).archived_at,
    ),
    "join an open section": Scenario(
        run=lambda w, a: sections.do_join_section(w.lounge, actor=a),
    ),
    "leave the section": Scenario(
        run=lambda w, a: sections.do_leave_section(w.section, actor=a),
        probe=_membership,
    ),
    "approve a join request": Scenario(
        run=lambda w, a: sections.do_decide_membership(w.request, approve=True, actor=a),
        probe=_membership,
    ),
    "make a member deputy": Scenario(
        run=lambda w, a: sections.do_set_section_role(
            w.section, w.people["member"], role="deputy", actor=a
        ),
        probe=_membership,
    ),
    # moderation.actions
    "report a lobby post": Scenario(
        run=lambda w, a: moderation.do_report(w.post, reason="spam", note="", actor=a),
    ),
    "report a closed section's post": Scenario(
        run=lambda w, a: moderation.do_report(w.closed_post, reason="spam", note="", actor=a),
    ),
    "decide a case": Scenario(
        run=lambda w, a: moderation.do_decide(w.case, decision="dismiss", note="問題なし", actor=a),
        probe=lambda w, a: Case.objects.get(pk=w.case.pk).status,
    ),
}


def rows(scenario: str, **expected: Any) -> list[tuple[str, str, Any]]:
    return [(scenario, persona, outcome) for persona, outcome in expected.items()]


D = DENIED
CASES = [
    # Self-service on one's own account; nobody (not even staff) does it for someone else.
    *rows("set own password", member=OK, applicant=OK, suspended=OK),
    *rows("set another's password", staff=D, admin=D, leader=D),
    *rows("change own email", member=OK, staff=OK, applicant=D, suspended=D),
    *rows("change another's email", staff=D, admin=D, member=D),
    *rows("end own session", member=OK, staff=OK),
    *rows("end another's session", staff=D, admin=D, outsider=D),
    *rows("end another's session as if own", member=D, staff=D),
    # Ending one's own sessions only protects the account: any status may; staff for others.
    *rows("end own sessions everywhere", member=OK, applicant=OK, suspended=OK),
    *rows("end another's sessions everywhere", staff=OK, admin=OK, leader=D, deputy=D),
    *rows("end another's sessions everywhere", member=D, outsider=D, suspended=D, applicant=D),
    *rows("turn on own two factors", member=OK, staff=OK, applicant=D, suspended=D),
    *rows("turn on another's two factors", staff=D, admin=D),
    *rows("turn off own two factors", member=OK, staff=AccountError, suspended=D),
    *rows("turn off another's two factors", staff=D, admin=D),
    # Staff decisions on accounts.
    *rows("reset another's two factors", admin=OK, staff=D, leader=D, member=D),
    *rows("suspend a member", staff=OK, admin=OK, leader=D, deputy=D, member=D),
    *rows("suspend a member", outsider=D, suspended=D, applicant=D),
    *rows("reactivate the suspended", staff=OK, admin=OK, leader=D, member=D, suspended=D),
    *rows("make a member staff", admin=OK, staff=D, leader=D, member=D),
    # Deleting an account: the member themself, or staff on a member's request.
    *rows("delete own account", member=OK, leader=OK, applicant=D, suspended=D),
    *rows("delete another's account", staff=OK, admin=OK, member=D, leader=D, outsider=D),
    *rows("delete an admin's account", staff=AccountError, member=D),
    *rows("mail own deletion link", member=OK, applicant=D, suspended=D),
    *rows("cancel own deletion", member=OK),
    *rows("cancel another's deletion", staff=OK, admin=OK, member=D, leader=D),
    *rows("erase a due account", nobody=OK, staff=OK, admin=OK, member=D, leader=D),
    # Reviewing applications is staff's; the applicant answers and withdraws their own.
    *rows("approve an application", staff=OK, admin=OK, member=D, leader=D, deputy=D),
    *rows("approve an application", outsider=D, applicant=D, suspended=D),
    *rows("reject an application", staff=OK, admin=OK, member=D, applicant=D),
    *rows("ask an applicant more", staff=OK, member=D, applicant=D),
    *rows("correct the application", applicant=OK, staff=D, admin=D, member=D),
    *rows("withdraw the application", applicant=OK, staff=D, admin=D, member=D),
    *rows("answer staff's question", applicant=OK, staff=D, member=D),
    *rows("set the first password", nobody=OK, staff=D, admin=D, member=D),
    *rows("purge old applications", nobody=OK, staff=OK, member=D),
    # Profiles: one's own as a member, anyone's as staff.
    *rows("edit own profile", member=OK, leader=OK, staff=OK, applicant=D, suspended=D),
    *rows("edit another's profile", staff=OK, admin=OK, member=D, leader=D, outsider=D),
    *rows("import local governments", nobody=OK, staff=OK, member=D, leader=D),
    # Sections: staff shape them; members join and leave; officers run their own.
    *rows("create a section", staff=OK, admin=OK, leader=D, deputy=D, member=D),
    *rows("edit a section", staff=OK, leader=D, deputy=D),
    *rows("archive a section", staff=OK, admin=OK, leader=D),
    *rows("join an open section", member=OK, outsider=OK, leader=OK, applicant=D, suspended=D),
    *rows("leave the section", member=OK, deputy=OK, suspended=D, applicant=D),
    *rows("approve a join request", leader=OK, deputy=OK, staff=OK, admin=OK, member=D),
    *rows("approve a join request", outsider=D, suspended=D, applicant=D),
    *rows("make a member deputy", leader=OK, staff=OK, admin=OK, deputy=D, member=D),
    *rows("make a member deputy", outsider=D, suspended=D, applicant=D),
    # Moderation: members report what they can read; staff decide.
    *rows("report a lobby post", member=OK, outsider=OK, staff=OK, applicant=D, suspended=D),
    *rows("report a closed section's post", deputy=OK, staff=OK, member=D, outsider=D),
    *rows("decide a case", staff=OK, admin=OK, member=D, leader=D, deputy=D),
]


def _snapshot(scenario: Scenario, w: World, actor: Any) -> tuple[object, ...]:
    return (*(model._default_manager.count() for model in COUNTED), scenario.probe(w, actor))


@pytest.mark.parametrize(("scenario", "persona", "expected"), CASES)
def test_it_lets_only_the_right_people_run_each_action(world, scenario, persona, expected):
    s = SCENARIOS[scenario]
    # "nobody": the clock, a command, or whoever holds a mailed link.
    actor = None if persona == "nobody" else world.people[persona]
    s.prepare(world, actor)
    before = _snapshot(s, world, actor)
    if expected is OK:
        s.run(world, actor)
        assert _snapshot(s, world, actor) != before, "an allowed call should change something"
        return
    with pytest.raises(expected):
        s.run(world, actor)
    assert _snapshot(s, world, actor) == before


def test_every_scenario_is_run_and_refusals_carry_a_message(world):
    """The table covers every scenario, and a refusal says why, in Japanese."""
    assert {case[0] for case in CASES} == set(SCENARIOS)
    assert {case[1] for case in CASES} <= {*PERSONAS, "nobody"}
    with pytest.raises(PermissionDenied) as refused:
        members.do_approve_application(world.application, actor=world.people["member"])
    assert "運営事務局" in str(refused.value)


def test_state_rules_still_refuse_staff(world):
    """Permission is not everything: an archived section refuses even staff."""
    sections.do_archive_section(world.section, actor=world.people["staff"])
    with pytest.raises(ValidationError):
        sections.do_set_section_role(
            world.section, world.people["member"], role="deputy", actor=world.people["staff"]
        )
