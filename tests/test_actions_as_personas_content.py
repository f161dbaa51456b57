"""Every content action called directly (no page in between), as each kind of person.

The rule lives in the action, so a view, a management command, the admin or a future API are
equally safe. Personas: `member` (in no section), `outsider` (another organisation, not in the
closed 課), `author` (wrote the post, the comment, the notification's recipient), `insider` (a
plain member of the closed 課), `leader` (its 課長), `host` (named host of its study-session
series), `personality` (of the programme), `staff`, and `suspended` (who holds every role the
others hold: 課長 of the closed 課, host, personality, FAQ writer), so that refusing them proves
the status is checked, not the role. A refused call must write nothing; an allowed one must
write something.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from functools import cached_property, partial
from typing import Any

import pytest
import time_machine
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.broadcasts import actions as broadcasts
from cityhall.broadcasts.models import Episode, LiveComment, Programme
from cityhall.broadcasts.tests.conftest import make_episode, make_programme
from cityhall.core.jst import JST
from cityhall.events import actions as events
from cityhall.events import hosting
from cityhall.events.models import (
    CalendarFeed,
    Event,
    EventHost,
    EventSeries,
    Organizer,
    Registration,
    RegistrationQuestion,
)
from cityhall.events.tests.conftest import make_event, make_series
from cityhall.feed import actions as feed
from cityhall.feed.models import PostRead
from cityhall.knowledge import actions as knowledge
from cityhall.knowledge.models import FaqEntry
from cityhall.knowledge.tests.conftest import entry_data, make_entry
from cityhall.notifications import actions as notifications
from cityhall.notifications.models import Kind, Notification, Preference, SectionMute
from cityhall.posts import actions as posts
from cityhall.posts.models import Comment, Post
from cityhall.sections.models import Section, SectionMembership

NOW = datetime(2026, 11, 10, 10, 0, tzinfo=JST)  # a Tuesday morning
OK, DENIED, REFUSED = "ok", "denied", "refused"  # PermissionDenied / ValidationError
WATCHED_APPS = (
    "posts", "events", "knowledge", "broadcasts", "feed", "notifications", "sections", "audit",
    "core",
)  # fmt: skip


def snapshot() -> dict[str, list[tuple[Any, ...]]]:
    """Every row of every table an action here could write."""
    return {
        model._meta.label: list(model._default_manager.order_by("pk").values_list())
        for label in WATCHED_APPS
        for model in apps.get_app_config(label).get_models(include_auto_created=True)
    }


PERSONAS: dict[str, dict[str, Any]] = {
    "member": {},
    "outsider": {"org_code": "141003"},  # 横浜市
    "author": {},
    "insider": {},
    "leader": {},
    "host": {},
    "personality": {},
    "staff": {"role": User.Role.STAFF},
    "suspended": {"status": User.Status.SUSPENDED},
}


def person(name: str) -> User:
    fields = dict(PERSONAS[name])
    org = testing.organization(fields.pop("org_code")) if "org_code" in fields else None
    return testing.make_user(f"{name}@city.example.lg.jp", given_name=name, org=org, **fields)


@dataclass
class World:
    """The personas, and the things they act on, each made only when an action needs it."""

    people: dict[str, User] = field(default_factory=dict)

    def __getitem__(self, persona: str) -> User:
        if persona not in self.people:
            self.people[persona] = person(persona)
        return self.people[persona]

    @cached_property
    def closed(self) -> Section:
        section = Section.objects.create(
            name="人事の相談室", slug="jinji", kind=Section.Kind.WORK, purpose="相談",
            is_closed=True, joining_rule="approval",
        )  # fmt: skip
        roles = {"leader": "leader", "suspended": "leader", "author": "member", "insider": "member"}
        for persona, role in roles.items():
            SectionMembership.objects.create(section=section, user=self[persona], role=role)
        return section

    # posts

    @cached_property
    def post(self) -> Post:
        return Post.objects.create(
            author=self["author"], section=self.closed, kind=Post.Kind.QUESTION,
            title="人事評価の面談", body="どう進めていますか。", created_at=NOW,
            last_activity_at=NOW,
        )  # fmt: skip

    @cached_property
    def comment(self) -> Comment:
        return Comment.objects.create(
            post=self.post, author=self["author"], body="面談シートを使っています。", created_at=NOW
        )

    # events

    @cached_property
    def series(self) -> EventSeries:
        series = make_series(organizer=Organizer.SECTION, section=self.closed, is_active=False)
        for persona in ("host", "suspended"):
            EventHost.objects.create(series=series, user=self[persona])
        return series

    @cached_property
    def event(self) -> Event:
        return make_event(
            series=self.series, organizer=Organizer.SECTION, section=self.closed, capacity=10
        )

    @cached_property
    def registration(self) -> Registration:
        return Registration.objects.create(
            event=self.event, user=self["insider"], status=Registration.Status.CONFIRMED,
            position=1, registered_at=NOW, confirmed_at=NOW,
        )  # fmt: skip

    @cached_property
    def question(self) -> RegistrationQuestion:
        return RegistrationQuestion.objects.create(series=self.series, label="所属は？")

    # knowledge

    @cached_property
    def entry(self) -> FaqEntry:
        return make_entry(self["leader"], source_event=self.event)

    # broadcasts

    @cached_property
    def programme(self) -> Programme:
        programme = make_programme()
        programme.personalities.add(self["personality"], self["suspended"])
        return programme

    @cached_property
    def on_air(self) -> Episode:
        return make_episode(self.programme)

    @cached_property
    def upcoming(self) -> Episode:
        return make_episode(self.programme, NOW + timedelta(days=2), title="冬の星空特集")

    @cached_property
    def ended(self) -> Episode:
        return make_episode(self.programme, NOW - timedelta(days=2), title="夏祭り特集")

    @cached_property
    def live_comment(self) -> LiveComment:
        return LiveComment.objects.create(
            episode=self.on_air, author=self["member"], body="こんにちは"
        )

    # notifications

    @cached_property
    def notification(self) -> Notification:
        return Notification.objects.create(
            recipient=self["author"], kind=Kind.POST_REPLY, post=self.post, created_at=NOW
        )


Act = Callable[[World, User], Callable[[], object]]  # set up, then the call to make


def _restore_post(w: World, actor: User) -> Callable[[], object]:
    post = w.post
    post.deleted_at = NOW
    post.save(update_fields=["deleted_at"])
    return lambda: posts.do_restore_post(post, actor=actor)


def _restore_comment(w: World, actor: User) -> Callable[[], object]:
    comment = w.comment
    comment.deleted_at = NOW
    comment.save(update_fields=["deleted_at"])
    return lambda: posts.do_restore_comment(comment, actor=actor)


def _follow_archived(w: World, actor: User) -> Callable[[], object]:
    programme = w.programme
    programme.archived_at = NOW
    programme.save(update_fields=["archived_at"])
    return lambda: broadcasts.do_follow(programme, user=actor)


def _cancel_own_registration(w: World, actor: User) -> Callable[[], object]:
    mine = Registration.objects.create(
        event=w.event, user=actor, status=Registration.Status.CONFIRMED, position=9,
        registered_at=NOW, confirmed_at=NOW,
    )  # fmt: skip
    return lambda: events.do_cancel_registration(mine, actor=actor)


def _revoke_feed(w: World, actor: User) -> Callable[[], object]:
    CalendarFeed.objects.create(user=actor)
    return lambda: events.do_revoke_calendar_feed(actor=actor)


def _series_data(w: World, **overrides: Any) -> dict[str, Any]:
    data = {
        "slug": "hyouka", "title": "人事評価 勉強会", "description": "毎月の勉強会",
        "organizer": Organizer.SECTION, "section": w.closed, "frequency": "monthly",
        "weekday": 2, "week_of_month": 1, "start_time": time(19, 0), "duration_minutes": 60,
        "starts_on": NOW.date(), "ends_on": None, "capacity": 20,
        "venue_url": "https://zoom.example.jp/j/9", "is_active": False, "skip_holidays": True,
    }  # fmt: skip
    return {**data, **overrides}


def _event_data(w: World) -> dict[str, Any]:
    return {
        "title": "評価面談の進め方", "description": "", "organizer": Organizer.SECTION,
        "section": w.closed, "capacity": 20, "waitlist_enabled": True, "walk_ins": False,
        "venue_url": "https://zoom.example.jp/j/9", "materials": "", "recording_url": "",
        "registration_opens_at": None, "registration_closes_at": None,
    }  # fmt: skip


def _save_episode(w: World, actor: User) -> Callable[[], object]:
    episode = Episode(
        programme=w.programme, title="新年特集", starts_at=NOW + timedelta(days=7),
        ends_at=NOW + timedelta(days=7, minutes=30),
    )  # fmt: skip
    return lambda: broadcasts.do_save_episode(episode, actor=actor)


def _save_programme(w: World, actor: User) -> Callable[[], object]:
    programme = w.programme
    programme.description = "新しい紹介文"
    return lambda: broadcasts.do_save_programme(
        programme, personalities=[w["personality"]], cover=None, actor=actor
    )


ACTIONS: dict[str, Act] = {
    # posts: the post is a question in the closed 課, by `author`; so is the comment.
    "create_post": lambda w, a: partial(
        posts.do_create_post,
        section=w.closed,
        kind=Post.Kind.DISCUSSION,
        data={"title": "題", "body": "本文"},
        actor=a,
    ),
    "create_announcement": lambda w, a: partial(
        posts.do_create_post,
        section=w.closed,
        kind=Post.Kind.ANNOUNCEMENT,
        data={"title": "告知", "body": "本文"},
        actor=a,
    ),
    "edit_post": lambda w, a: partial(posts.do_edit_post, w.post, data={"title": "改題"}, actor=a),
    "delete_post": lambda w, a: partial(posts.do_delete_post, w.post, actor=a),
    "restore_post": _restore_post,
    "pin_post": lambda w, a: partial(posts.do_pin_post, w.post, pinned=True, actor=a),
    "add_comment": lambda w, a: partial(posts.do_add_comment, w.post, body="同感です。", actor=a),
    "edit_comment": lambda w, a: partial(posts.do_edit_comment, w.comment, body="訂正", actor=a),
    "delete_comment": lambda w, a: partial(posts.do_delete_comment, w.comment, actor=a),
    "restore_comment": _restore_comment,
    "accept_answer": lambda w, a: partial(posts.do_accept_answer, w.post, w.comment, actor=a),
    "react_to_post": lambda w, a: partial(
        posts.do_toggle_reaction, kind="like", post=w.post, actor=a
    ),
    "react_to_comment": lambda w, a: partial(
        posts.do_toggle_reaction, kind="like", comment=w.comment, actor=a
    ),
    # events: a session of the closed 課's series, which `host` hosts.
    "register": lambda w, a: partial(events.do_register, w.event, answers={}, actor=a),
    "cancel_own_registration": _cancel_own_registration,
    "cancel_insiders_registration": lambda w, a: partial(
        events.do_cancel_registration, w.registration, actor=a
    ),
    "regenerate_calendar_feed": lambda w, a: partial(events.do_regenerate_calendar_feed, actor=a),
    "revoke_calendar_feed": _revoke_feed,
    "create_series": lambda w, a: partial(
        hosting.do_create_series, data=_series_data(w), hosts=[], actor=a
    ),
    "update_series": lambda w, a: partial(
        hosting.do_update_series,
        w.series,
        data=_series_data(w, slug=w.series.slug, title="改題"),
        hosts=[w["host"]],
        actor=a,
    ),
    "create_event": lambda w, a: partial(
        hosting.do_create_event,
        data=_event_data(w),
        starts_at=NOW + timedelta(days=9),
        ends_at=NOW + timedelta(days=9, hours=1),
        hosts=[],
        actor=a,
    ),
    "add_session_to_series": lambda w, a: partial(
        hosting.do_create_event,
        data=_event_data(w),
        starts_at=NOW + timedelta(days=9),
        ends_at=NOW + timedelta(days=9, hours=1),
        hosts=[],
        actor=a,
        series=w.series,
    ),
    "update_event": lambda w, a: partial(
        hosting.do_update_event, w.event, data={"title": "改題"}, hosts=[], actor=a
    ),
    "move_event": lambda w, a: partial(
        hosting.do_move_event,
        w.event,
        starts_at=NOW + timedelta(days=5),
        ends_at=NOW + timedelta(days=5, hours=1),
        actor=a,
    ),
    "cancel_event": lambda w, a: partial(hosting.do_cancel_event, w.event, reason="都合", actor=a),
    "add_question": lambda w, a: partial(
        hosting.do_add_question, data={"label": "職名は？", "kind": "short"}, actor=a, event=w.event
    ),
    "delete_question": lambda w, a: partial(hosting.do_delete_question, w.question, actor=a),
    # knowledge: the entry comes from the closed 課's session and was written by `leader`.
    "create_faq": lambda w, a: partial(knowledge.do_create_faq, data=entry_data(), actor=a),
    "create_faq_from_session": lambda w, a: partial(
        knowledge.do_create_faq, data=entry_data(source_event=w.event), actor=a
    ),
    "edit_faq": lambda w, a: partial(
        knowledge.do_edit_faq,
        w.entry,
        data=entry_data(source_event=w.event, answer="改訂した回答"),
        expected_version=w.entry.version,
        actor=a,
    ),
    # broadcasts: `personality` runs the programme.
    "save_programme": _save_programme,
    "archive_programme": lambda w, a: partial(
        broadcasts.do_archive_programme, w.programme, actor=a
    ),
    "rotate_stream_key": lambda w, a: partial(
        broadcasts.do_rotate_stream_key, w.programme, actor=a
    ),
    "save_episode": _save_episode,
    "cancel_episode": lambda w, a: partial(broadcasts.do_cancel_episode, w.upcoming, actor=a),
    "cancel_ended_episode": lambda w, a: partial(broadcasts.do_cancel_episode, w.ended, actor=a),
    "follow": lambda w, a: partial(broadcasts.do_follow, w.programme, user=a),
    "follow_archived": _follow_archived,
    "record_play": lambda w, a: partial(broadcasts.do_record_play, w.ended, user=a),
    "record_play_on_air": lambda w, a: partial(broadcasts.do_record_play, w.on_air, user=a),
    "post_live_comment": lambda w, a: partial(
        broadcasts.do_post_live_comment, w.on_air, "こんばんは", actor=a
    ),
    "delete_live_comment": lambda w, a: partial(
        broadcasts.do_delete_live_comment, w.live_comment, actor=a
    ),
    "mute_member": lambda w, a: partial(broadcasts.do_mute, w.on_air, w["member"], actor=a),
    "mute_personality": lambda w, a: partial(
        broadcasts.do_mute, w.on_air, w["personality"], actor=a
    ),
    # notifications: `author` is the recipient and owns the preferences.
    "mark_notification_read": lambda w, a: partial(
        notifications.do_mark_read, w.notification, actor=a
    ),
    "save_authors_preferences": lambda w, a: partial(
        notifications.do_save_preferences,
        Preference(user=w["author"]),
        data={"mention": "in_app"},
        sections=[w.closed],
        followed=set(),
        actor=a,
    ),
}


def rule(action: str, ok: str = "", denied: str = "", refused: str = "") -> list[Any]:
    outcomes = {OK: ok, DENIED: denied, REFUSED: refused}
    return [
        pytest.param(action, persona, outcome, id=f"{action}-{persona}")
        for outcome, personas in outcomes.items()
        for persona in personas.split()
    ]


RULES = [
    *rule("create_post", ok="author insider leader staff", denied="outsider host suspended"),
    *rule("create_announcement", ok="leader staff", refused="insider", denied="suspended"),
    *rule("edit_post", ok="author", denied="insider leader staff outsider suspended"),
    *rule("delete_post", ok="author leader staff", denied="insider outsider suspended"),
    *rule("restore_post", ok="staff", denied="author leader suspended"),
    *rule("pin_post", ok="leader staff", denied="author insider outsider suspended"),
    *rule("add_comment", ok="author insider leader staff", denied="outsider host suspended"),
    *rule("edit_comment", ok="author", denied="insider leader staff suspended"),
    *rule("delete_comment", ok="author leader staff", denied="insider outsider suspended"),
    *rule("restore_comment", ok="staff", denied="author leader suspended"),
    *rule("accept_answer", ok="author leader staff", denied="insider outsider suspended"),
    *rule("react_to_post", ok="insider staff", denied="outsider suspended"),
    *rule("react_to_comment", ok="insider staff", denied="outsider suspended"),
    *rule("register", ok="insider leader host staff", denied="outsider member suspended"),
    *rule("cancel_own_registration", ok="insider host staff", denied="outsider suspended"),
    *rule("cancel_insiders_registration", ok="insider", denied="leader host staff"),
    *rule("regenerate_calendar_feed", ok="member", denied="suspended"),
    *rule("revoke_calendar_feed", ok="member suspended"),
    *rule("create_series", ok="leader staff", denied="insider host member suspended"),
    *rule("create_event", ok="leader staff", denied="insider host member suspended"),
    *rule("update_series", ok="host leader staff", denied="insider outsider suspended"),
    *rule("add_session_to_series", ok="host leader staff", denied="insider suspended"),
    *rule("update_event", ok="host leader staff", denied="insider outsider suspended"),
    *rule("move_event", ok="host leader staff", denied="insider outsider suspended"),
    *rule("cancel_event", ok="host leader staff", denied="insider outsider suspended"),
    *rule("add_question", ok="host leader staff", denied="insider outsider suspended"),
    *rule("delete_question", ok="host leader staff", denied="insider outsider suspended"),
    *rule("create_faq", ok="leader staff", denied="host insider member suspended"),
    *rule("create_faq_from_session", ok="host leader staff", denied="insider suspended"),
    *rule("edit_faq", ok="host leader staff", denied="insider member suspended"),
    *rule("save_programme", ok="staff", denied="personality member suspended"),
    *rule("archive_programme", ok="staff", denied="personality member suspended"),
    *rule("rotate_stream_key", ok="personality staff", denied="member suspended"),
    *rule("save_episode", ok="personality staff", denied="member suspended"),
    *rule("cancel_episode", ok="personality staff", denied="member suspended"),
    *rule("cancel_ended_episode", refused="personality staff"),
    *rule("follow", ok="member staff", denied="suspended"),
    *rule("follow_archived", ok="staff", denied="member personality"),
    *rule("record_play", ok="member staff", denied="suspended"),
    *rule("record_play_on_air", refused="member"),
    *rule("post_live_comment", ok="member personality staff", denied="suspended"),
    *rule("delete_live_comment", ok="personality staff", denied="member suspended"),
    *rule("mute_member", ok="personality staff", denied="member suspended"),
    *rule("mute_personality", refused="personality staff"),
    *rule("mark_notification_read", ok="author", denied="staff insider"),
    *rule("save_authors_preferences", ok="author", denied="staff insider"),
]


@pytest.fixture(autouse=True)
def _clock():
    """Every case here at the same moment, before any persona exists."""
    with time_machine.travel(NOW, tick=False):
        yield


@pytest.fixture
def world(db):
    world = World()
    world.closed  # noqa: B018 (the closed 課 gives leader, author and insider their roles)
    return world


@pytest.mark.parametrize(("action", "persona", "outcome"), RULES)
def test_it_enforces_the_rule_inside_the_action(world, action, persona, outcome):
    call = ACTIONS[action](world, world[persona])
    before = snapshot()
    if outcome == OK:
        call()
        assert snapshot() != before, "an allowed call should have changed something"
        return
    expected = PermissionDenied if outcome == DENIED else ValidationError
    with pytest.raises(expected):
        call()
    assert snapshot() == before, "a refused call wrote something"


def test_it_knows_every_action_it_lists():
    assert {p.values[0] for p in RULES} == set(ACTIONS)


# Cases that need a particular past, beyond who the persona is.


def test_it_stops_an_author_who_left_the_closed_section_from_touching_their_post(world):
    post, comment, author = world.post, world.comment, world["author"]
    SectionMembership.objects.filter(section=world.closed, user=author).delete()
    before = snapshot()
    for call in (
        lambda: posts.do_edit_post(post, data={"title": "改題"}, actor=author),
        lambda: posts.do_delete_post(post, actor=author),
        lambda: posts.do_edit_comment(comment, body="訂正", actor=author),
        lambda: posts.do_add_comment(post, body="追記", actor=author),
    ):
        with pytest.raises(PermissionDenied):
            call()
    assert snapshot() == before


def test_it_keeps_a_muted_member_from_commenting(world):
    broadcasts.do_mute(world.on_air, world["member"], actor=world["personality"])
    before = snapshot()
    with pytest.raises(ValidationError):
        broadcasts.do_post_live_comment(world.on_air, "まだ話したい", actor=world["member"])
    assert snapshot() == before


def test_it_lets_no_writer_name_a_session_they_cannot_see(world):
    """A 課長 of another 課 writes FAQ entries, but the closed 課's session is hidden from them."""
    other = Section.objects.create(name="防災課", slug="bousai", kind=Section.Kind.WORK)
    writer, session = world["member"], world.event
    SectionMembership.objects.create(section=other, user=writer, role="leader")
    before = snapshot()
    with pytest.raises(PermissionDenied):
        knowledge.do_create_faq(data=entry_data(source_event=session), actor=writer)
    assert snapshot() == before
    assert knowledge.do_create_faq(data=entry_data(), actor=writer).pk


def test_it_marks_a_post_read_only_for_those_who_may_read_it(world):
    """A side effect of opening a page: refused quietly, never raising."""
    for persona in ("outsider", "suspended", "insider"):
        feed.do_mark_post_read(world.post, actor=world[persona])
    readers = set(PostRead.objects.values_list("user_id", flat=True))
    assert readers == {world["insider"].pk}


def test_it_keeps_preferences_to_the_members_own_sections(world):
    elsewhere = Section.objects.create(name="防災課", slug="bousai", kind=Section.Kind.WORK)
    notifications.do_save_preferences(
        Preference(user=world["author"]), data={}, sections=[world.closed, elsewhere],
        followed=set(), actor=world["author"],
    )  # fmt: skip
    muted = set(SectionMute.objects.values_list("section_id", flat=True))
    assert muted == {world.closed.pk}
