"""The index follows every write, and the catch-up repairs what bypassed it."""

from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.db import transaction
from django.utils import timezone

from cityhall.posts import actions
from cityhall.posts.models import Comment, Post
from cityhall.search import engine
from cityhall.search.index import catch_up
from cityhall.search.models import Checkpoint, Document
from cityhall.search.query import parse


def ids(viewer: Any, q: str, kind: str = "") -> list[int]:
    ids = list(engine.search(viewer, parse(q), engine.Filters(kind=kind)))
    return [d.object_id for d in engine.documents(ids)]


def test_it_indexes_a_new_post_at_once(db, member) -> None:
    post = actions.do_create_post(
        section=None, kind="question", data={"title": "児童手当の現況届", "body": "省略できますか"},
        actor=member,
    )  # fmt: skip
    assert ids(member, "現況届") == [post.pk]


def test_it_follows_an_edit(db, member) -> None:
    post = actions.do_create_post(
        section=None, kind="discussion", data={"title": "窓口の混雑", "body": "対策は"},
        actor=member,
    )  # fmt: skip
    actions.do_edit_post(post, data={"title": "窓口の待ち時間", "body": "番号札"}, actor=member)
    assert ids(member, "混雑") == []
    assert ids(member, "番号札") == [post.pk]


def test_it_drops_a_deleted_post_with_its_comments_and_brings_them_back(db, member, staff) -> None:
    post = actions.do_create_post(
        section=None, kind="discussion", data={"title": "除雪の委託", "body": "業者選び"},
        actor=member,
    )  # fmt: skip
    comment = actions.do_add_comment(post, body="除雪機の貸与もあります", actor=staff)
    actions.do_delete_post(post, actor=member)
    assert ids(staff, "除雪") == []
    actions.do_restore_post(post, actor=staff)
    assert set(ids(staff, "除雪")) == {post.pk, comment.pk}


def test_it_drops_a_deleted_comment(db, member) -> None:
    post = actions.do_create_post(
        section=None, kind="discussion", data={"title": "公用車", "body": "EV化"}, actor=member
    )
    comment = actions.do_add_comment(post, body="充電設備の補助金", actor=member)
    assert ids(member, "補助金", kind="comment") == [comment.pk]
    actions.do_delete_comment(comment, actor=member)
    assert ids(member, "補助金", kind="comment") == []


def test_it_indexes_nothing_when_the_write_rolls_back(db, member) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        actions.do_create_post(
            section=None, kind="discussion", data={"title": "幻の投稿", "body": "x"}, actor=member
        )
        raise RuntimeError
    assert not Document.objects.filter(title="幻の投稿").exists()


def test_it_follows_profile_and_duty_changes(db, member, outsider) -> None:
    from cityhall.members.models import Duty

    duty = Duty.objects.create(name="空き家対策テスト")
    outsider.profile.duties.add(duty)
    assert outsider.pk in ids(member, "空き家対策テスト", kind="member")
    outsider.profile.duties.remove(duty)
    assert outsider.pk not in ids(member, "空き家対策テスト", kind="member")


def test_it_catches_up_with_writes_that_bypassed_the_signals(db, member) -> None:
    catch_up(timezone.now())  # first run: sets the checkpoints
    Post.objects.bulk_create([Post(author=member, kind="discussion", title="一括登録", body="x")])
    assert ids(member, "一括登録") == []
    counts = catch_up(timezone.now())
    assert ids(member, "一括登録") != []
    assert counts["post"] >= 1
    assert Checkpoint.objects.filter(kind="post").exists()


def test_it_catches_up_with_updates_that_bypassed_the_signals(db, member) -> None:
    post = Post.objects.create(author=member, kind="discussion", title="古い題名", body="x")
    catch_up(timezone.now())
    Post.objects.filter(pk=post.pk).update(title="新しい題名", edited_at=timezone.now())
    catch_up(timezone.now())
    assert ids(member, "新しい題名") == [post.pk]


def test_it_rebuilds_the_index_with_progress(corpus) -> None:
    Document.objects.all().delete()
    out = StringIO()
    call_command("reindex", stdout=out)
    text = out.getvalue()
    assert "post: 11 / 11 (100%)" in text  # p10 is deleted
    assert "comment: 2 documents" in text
    assert Document.objects.filter(kind="post").count() == 11


def test_it_repairs_only_what_is_missing(corpus) -> None:
    Document.objects.filter(kind="comment").delete()
    Comment.objects.filter(pk=corpus["c1"].pk).update(body="書き換え")  # no signal
    out = StringIO()
    call_command("reindex", "--kind", "comment", "--repair", stdout=out)
    assert "comment: 2 repaired" in out.getvalue()
    assert Document.objects.filter(kind="comment").count() == 2


def test_it_registers_the_catch_up_with_the_clock() -> None:
    from cityhall.core.periodic import JOBS

    assert "search.catch_up" in JOBS
