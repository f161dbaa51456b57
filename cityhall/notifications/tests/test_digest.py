"""The evening digest. Times are Japan time in March 2026: the 2nd is a Monday, the 6th a
Friday. Every call passes `now`, and comments carry the time they were written."""

from datetime import datetime

import pytest
from django.urls import reverse

from cityhall.core.clock import run_due_jobs
from cityhall.core.jst import JST
from cityhall.core.models import OutboundEmail
from cityhall.core.periodic import JOBS
from cityhall.notifications import events
from cityhall.notifications.actions import do_send_digests
from cityhall.notifications.models import Notification, Preference
from cityhall.notifications.schedule import next_slot
from cityhall.posts.models import Comment

pytestmark = pytest.mark.django_db


def jst(day: int, hour: int, minute: int = 0) -> datetime:
    return datetime(2026, 3, day, hour, minute, tzinfo=JST)


@pytest.fixture
def wants_digest(member):
    return Preference.objects.create(user=member, post_reply="digest")


def reply(post, author, at, body="回答です。"):
    comment = Comment.objects.create(post=post, author=author, body=body, created_at=at)
    events.comment_posted(comment)
    return comment


def digests(user):
    return list(OutboundEmail.objects.filter(to=user.email).order_by("id"))


def test_it_sends_the_digest_once_the_evening_has_come(wants_digest, member, colleague, question):
    reply(question, colleague, jst(2, 10))
    assert do_send_digests(now=jst(2, 17, 59)) == 0
    assert do_send_digests(now=jst(2, 18, 0)) == 1
    assert do_send_digests(now=jst(2, 18, 5)) == 0
    assert do_send_digests(now=jst(2, 23, 59)) == 0
    [digest] = digests(member)
    assert digest.subject == "今日のお知らせ 1 件 | オンライン市役所"
    assert "窓口のキャッシュレス化" in digest.body
    assert "回答です。" in digest.body
    assert "http://127.0.0.1:8000" + reverse("notifications:preferences") in digest.body


def test_it_is_idempotent_at_the_same_moment(wants_digest, member, colleague, question):
    reply(question, colleague, jst(2, 10))
    do_send_digests(now=jst(2, 18, 3))
    do_send_digests(now=jst(2, 18, 3))
    assert len(digests(member)) == 1


def test_it_counts_the_evening_in_japan_time_not_utc(wants_digest, member, colleague, question):
    # 23:30 JST on the 2nd is still the 2nd in UTC (14:30); the next evening is the 3rd's.
    reply(question, colleague, jst(2, 23, 30))
    assert do_send_digests(now=jst(3, 0, 30)) == 0
    assert do_send_digests(now=jst(3, 17, 0)) == 0
    assert do_send_digests(now=jst(3, 18, 0)) == 1


def test_what_arrives_after_the_digest_waits_for_the_next_evening(
    wants_digest, member, colleague, question
):
    reply(question, colleague, jst(2, 10))
    do_send_digests(now=jst(2, 18, 0))
    reply(question, colleague, jst(2, 18, 30), body="追加の回答です。")
    assert do_send_digests(now=jst(2, 19, 0)) == 0
    assert do_send_digests(now=jst(3, 18, 0)) == 1
    latest = digests(member)[-1]
    assert "追加の回答です。" in latest.body
    assert "回答です。\n" not in latest.body.replace("追加の回答です。", "")


def test_it_catches_up_after_downtime_with_one_digest(wants_digest, member, colleague, question):
    reply(question, colleague, jst(2, 10))
    reply(question, colleague, jst(3, 9), body="二日目の回答です。")
    # Nothing ran from Monday morning until Wednesday night.
    assert do_send_digests(now=jst(4, 20, 0)) == 1
    assert do_send_digests(now=jst(4, 20, 5)) == 0
    [digest] = digests(member)
    assert "今日のお知らせ 2 件" in digest.subject


def test_nothing_new_sends_nothing(wants_digest, member, colleague, question):
    reply(question, colleague, jst(2, 10))
    Notification.objects.update(read_at=jst(2, 12))
    assert do_send_digests(now=jst(2, 18, 0)) == 0
    assert digests(member) == []
    wants_digest.refresh_from_db()
    assert wants_digest.next_digest_at is None  # asleep until something new arrives


def test_in_app_and_email_kinds_stay_out_of_the_digest(member, colleague, question):
    Preference.objects.create(user=member, post_reply="in_app")
    reply(question, colleague, jst(2, 10))
    assert do_send_digests(now=jst(2, 18, 0)) == 0
    assert digests(member) == []


def test_the_weekly_digest_goes_out_on_friday_evening(member, colleague, question):
    Preference.objects.create(user=member, post_reply="digest", digest_frequency="weekly")
    reply(question, colleague, jst(2, 10))
    for day in (2, 3, 4, 5):
        assert do_send_digests(now=jst(day, 18, 0)) == 0
    assert do_send_digests(now=jst(6, 18, 0)) == 1
    assert do_send_digests(now=jst(6, 23, 0)) == 0
    assert do_send_digests(now=jst(7, 18, 0)) == 0
    assert "今週のお知らせ 1 件" in digests(member)[0].subject


def test_it_respects_the_chosen_hour(member, colleague, question):
    Preference.objects.create(user=member, post_reply="digest", digest_hour=21)
    reply(question, colleague, jst(2, 10))
    assert do_send_digests(now=jst(2, 20, 59)) == 0
    assert do_send_digests(now=jst(2, 21, 0)) == 1


def test_no_digest_when_switched_off(member, colleague, question):
    Preference.objects.create(user=member, post_reply="digest", digest_frequency="none")
    reply(question, colleague, jst(2, 10))
    assert do_send_digests(now=jst(3, 18, 0)) == 0


def test_a_later_hour_chosen_after_todays_digest_waits_until_tomorrow(wants_digest):
    wants_digest.last_digest_period = jst(2, 18).date()
    wants_digest.digest_hour = 21
    assert next_slot(wants_digest, jst(2, 19)) == jst(3, 21)


def test_suspended_members_get_no_digest(wants_digest, member, colleague, question):
    reply(question, colleague, jst(2, 10))
    member.status = "suspended"
    member.save()
    assert do_send_digests(now=jst(2, 18, 0)) == 0


def test_the_digest_runs_from_the_clock(wants_digest, member, colleague, question):
    assert "notifications.send_digests" in JOBS
    reply(question, colleague, jst(2, 10))
    results = run_due_jobs(jst(2, 18, 1))
    assert results["notifications.send_digests"] == 1
