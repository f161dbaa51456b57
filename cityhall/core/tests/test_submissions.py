"""The one-time submission keys themselves: parsing, the hidden field, scoping and expiry.
What each write does with a key sent twice is tested with that write."""

import uuid
from datetime import timedelta

import pytest
import time_machine
from django.core.exceptions import ValidationError
from django.utils import timezone

from cityhall.core.actions import do_forget_submissions
from cityhall.core.models import Submission
from cityhall.core.periodic import JOBS
from cityhall.core.submissions import (
    INVALID,
    SubmissionKeyField,
    earlier_result,
    once,
    parse_key,
)
from cityhall.posts.models import Comment, Post
from cityhall.posts.tests.conftest import make_post


def test_it_reads_a_key_or_none_and_refuses_anything_else():
    key = uuid.uuid4()
    assert parse_key(None) is None and parse_key("") is None
    assert parse_key(str(key)) == key == parse_key(key)
    for bad in ["not-a-key", "1" * 65, ["x"], 42]:
        with pytest.raises(ValidationError) as refused:
            parse_key(bad)
        assert refused.value.code == INVALID
        assert "送信キーが正しくない" in refused.value.messages[0]


def test_the_hidden_field_keeps_a_good_key_and_replaces_a_bad_one():
    field = SubmissionKeyField()
    key = str(uuid.uuid4())
    assert field.bound_data(key, None) == key
    for bad in ["", None, "nonsense"]:
        assert uuid.UUID(field.bound_data(bad, None))
    assert field.clean("") is None
    with pytest.raises(ValidationError):
        field.clean("nonsense")


def test_it_returns_the_first_result_to_its_author_only(member, leader):
    key = uuid.uuid4()
    with once(member, key, Post) as sent:
        assert sent.previous is None
        first = sent.record(make_post(member))
    with once(member, key, Post) as sent:
        assert sent.previous == first
    # The same key from someone else is their own, new submission.
    with once(leader, key, Post) as sent:
        assert sent.previous is None
        sent.record(make_post(leader))
    assert Submission.objects.count() == 2


def test_it_refuses_a_key_sent_again_for_another_kind_of_write_or_target(member):
    key = uuid.uuid4()
    post, other = make_post(member), make_post(member)
    with once(member, key, Comment, post=post) as sent:
        sent.record(Comment.objects.create(post=post, author=member, body="一件目"))
    for model, belongs in [(Post, {}), (Comment, {"post": other})]:
        with pytest.raises(ValidationError) as refused:
            earlier_result(member, key, model, **belongs)
        assert refused.value.code == INVALID


def test_a_write_that_is_refused_leaves_its_key_unused(member):
    key = uuid.uuid4()
    with pytest.raises(ValidationError), once(member, key, Post):
        raise ValidationError("だめです")
    assert not Submission.objects.exists()


def test_a_write_must_record_what_it_made(member):
    with pytest.raises(RuntimeError), once(member, uuid.uuid4(), Post):
        make_post(member)
    assert not Submission.objects.exists() and not Post.objects.exists()


def test_it_writes_as_before_without_a_key(member):
    with once(member, None, Post) as sent:
        assert sent.previous is None
        sent.record(make_post(member))
    assert not Submission.objects.exists()


def test_the_clock_forgets_keys_after_two_days(member):
    assert "core.forget_submissions" in JOBS
    now = timezone.now()
    with time_machine.travel(now - timedelta(days=2, minutes=1), tick=False):
        Submission.objects.create(user=member, key=uuid.uuid4(), kind="posts.post", result_id=1)
    kept = Submission.objects.create(user=member, key=uuid.uuid4(), kind="posts.post", result_id=2)
    assert JOBS["core.forget_submissions"].run(now) == 1
    assert list(Submission.objects.all()) == [kept]
    assert do_forget_submissions(now=now) == 0
