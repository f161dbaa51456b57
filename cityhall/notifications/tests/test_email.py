import pytest
from django.core import mail
from django.urls import reverse

from cityhall.core.models import OutboundEmail
from cityhall.notifications.models import Preference
from cityhall.notifications.tests.conftest import mention
from cityhall.posts.actions import do_add_comment, do_create_post

pytestmark = pytest.mark.django_db


def test_it_mails_a_mention_at_once_after_commit(
    member, colleague, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        do_create_post(
            section=None,
            kind="discussion",
            data={"title": "防災訓練 & 点検", "body": f"{mention(member)} ご意見をください。"},
            actor=colleague,
        )
    assert len(mail.outbox) == 1
    sent = mail.outbox[0]
    assert sent.to == [member.email]
    assert sent.subject == "同僚 七海さんが、「防災訓練 & 点検」であなたをメンションしました"
    assert "新家 一郎 様" in sent.body
    assert "ご意見をください。" in sent.body
    assert "/posts/" in sent.body
    assert "http://127.0.0.1:8000" + reverse("notifications:preferences") in sent.body


def test_it_does_not_mail_kinds_set_to_in_app_or_digest(member, colleague, question):
    Preference.objects.create(user=member, post_reply="in_app", mention="digest")
    do_add_comment(question, body="回答です。", actor=colleague)
    do_add_comment(question, body=f"{mention(member)} 追記です。", actor=colleague)
    assert not OutboundEmail.objects.exists()


def test_it_mails_a_reply_to_my_post_by_default(member, colleague, question):
    do_add_comment(question, body="回答です。", actor=colleague)
    queued = OutboundEmail.objects.get()
    assert queued.to == member.email
    assert "あなたの投稿「窓口のキャッシュレス化」にコメントしました" in queued.subject


def test_section_posts_wait_for_the_digest_by_default(section, leader, member):
    do_create_post(
        section=section, kind="discussion", data={"title": "t", "body": "b"}, actor=leader
    )
    assert not OutboundEmail.objects.exists()
    assert Preference.objects.get(user=member).next_digest_at is not None
