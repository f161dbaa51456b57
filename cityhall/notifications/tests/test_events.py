import pytest

from cityhall.notifications.models import Notification, SectionMute
from cityhall.notifications.tests.conftest import join, mention
from cityhall.posts.actions import (
    do_accept_answer,
    do_add_comment,
    do_create_post,
    do_edit_comment,
    do_edit_post,
)

pytestmark = pytest.mark.django_db


def kinds(**filters):
    return sorted(Notification.objects.filter(**filters).values_list("recipient__email", "kind"))


def new_post(actor, section=None, body="本文です。", kind="discussion"):
    return do_create_post(
        section=section, kind=kind, data={"title": "防災訓練の進め方", "body": body}, actor=actor
    )


def test_it_tells_the_post_author_about_a_comment(question, member, colleague):
    do_add_comment(question, body="うちではこうしました。", actor=colleague)
    assert kinds() == [(member.email, "post_reply")]
    notification = Notification.objects.get()
    assert notification.actor == colleague
    assert notification.post == question
    assert notification.comment is not None
    assert notification.read_at is None


def test_it_never_tells_someone_about_their_own_action(question, member):
    do_add_comment(question, body=f"補足です。{mention(member)}", actor=member)
    assert kinds() == []


def test_it_tells_the_comment_author_and_the_post_author_about_a_reply(
    question, member, colleague, outsider
):
    top = do_add_comment(question, body="回答です。", actor=colleague)
    Notification.objects.all().delete()
    do_add_comment(question, body="ありがとうございます。", parent=top, actor=outsider)
    assert kinds() == sorted([(colleague.email, "comment_reply"), (member.email, "post_reply")])


def test_it_sends_one_notification_for_a_mention_inside_a_reply_to_your_own_post(
    question, member, colleague
):
    do_add_comment(question, body=f"{mention(member)} さん、いかがでしょう。", actor=colleague)
    assert kinds() == [(member.email, "mention")]


def test_it_tells_mentioned_members_in_a_new_post(member, colleague, outsider):
    new_post(member, body=f"{mention(colleague)} {mention(outsider)} {mention(colleague)}")
    assert kinds() == sorted([(colleague.email, "mention"), (outsider.email, "mention")])


def test_it_ignores_mentions_of_suspended_applicants_and_unknown_ids(member, suspended, applicant):
    new_post(member, body=f"{mention(suspended)} {mention(applicant)} @だれか#999999")
    assert kinds() == []


def test_it_tells_the_followers_of_a_section_about_a_new_post(section, member, leader, colleague):
    post = new_post(leader, section=section)
    assert kinds() == [(member.email, "section_post")]
    assert Notification.objects.get().post == post


def test_it_does_not_tell_members_who_muted_the_section(section, member, leader):
    SectionMute.objects.create(user=member, section=section)
    new_post(leader, section=section)
    assert kinds() == []


def test_it_does_not_tell_pending_members_of_a_section(section, leader, colleague):
    join(section, colleague, status="pending")
    new_post(leader, section=section)
    assert colleague.email not in dict(kinds())


def test_a_mention_in_a_section_post_wins_over_following(section, member, leader):
    new_post(leader, section=section, body=f"{mention(member)} 確認をお願いします。")
    assert kinds() == [(member.email, "mention")]


def test_closed_section_non_members_get_nothing(closed_section, leader, member, staff, colleague):
    join(closed_section, colleague)
    post = new_post(
        leader,
        section=closed_section,
        body=f"{mention(member)} {mention(staff)} {mention(colleague)}",
    )
    # The outsider of the closed section is mentioned but cannot read it: nothing.
    assert kinds() == sorted([(colleague.email, "mention"), (staff.email, "mention")])
    Notification.objects.all().delete()
    do_add_comment(post, body=f"{mention(member)} 見えますか。", actor=colleague)
    assert kinds() == [(leader.email, "post_reply")]


def test_it_tells_the_answerer_once_when_their_answer_is_accepted(question, member, colleague):
    answer = do_add_comment(question, body="こうすれば解決します。", actor=colleague)
    Notification.objects.all().delete()
    do_accept_answer(question, answer, actor=member)
    do_accept_answer(question, None, actor=member)
    do_accept_answer(question, answer, actor=member)
    assert kinds() == [(colleague.email, "answer_accepted")]


def test_it_does_not_tell_the_author_who_accepts_their_own_answer(question, member):
    answer = do_add_comment(question, body="自己解決しました。", actor=member)
    do_accept_answer(question, answer, actor=member)
    assert kinds() == []


def test_an_edit_notifies_only_newly_added_mentions(member, colleague, outsider):
    post = new_post(member, body=f"{mention(colleague)} よろしくお願いします。")
    assert kinds() == [(colleague.email, "mention")]
    do_edit_post(
        post, data={"body": f"{mention(colleague)} {mention(outsider)} 追記"}, actor=member
    )
    assert kinds() == sorted([(colleague.email, "mention"), (outsider.email, "mention")])
    # Removing and adding a mention again does not notify twice.
    do_edit_post(post, data={"body": "削除"}, actor=member)
    do_edit_post(post, data={"body": f"{mention(outsider)} 再掲"}, actor=member)
    assert Notification.objects.count() == 2


def test_a_comment_edit_notifies_only_newly_added_mentions(question, member, colleague, outsider):
    comment = do_add_comment(question, body=f"{mention(outsider)} どうですか。", actor=colleague)
    assert kinds() == sorted([(member.email, "post_reply"), (outsider.email, "mention")])
    do_edit_comment(comment, body=f"{mention(outsider)} {mention(member)} 追記", actor=colleague)
    # The post's author already heard about this comment.
    assert Notification.objects.count() == 2


def test_it_caps_the_mentions_that_notify(member):
    from cityhall import testing
    from cityhall.core.mentions import MAX_MENTIONS

    people = [
        testing.make_user(f"p{i}@example.lg.jp", family_name="会員", given_name=f"{i}")
        for i in range(MAX_MENTIONS + 3)
    ]
    new_post(member, body=" ".join(mention(p) for p in people))
    assert Notification.objects.count() == MAX_MENTIONS
