import pytest
from django.urls import reverse

from cityhall.notifications.models import Notification, Preference, SectionMute
from cityhall.notifications.unread import unread_count
from cityhall.posts.actions import do_add_comment, do_delete_post
from cityhall.posts.models import Post

pytestmark = pytest.mark.django_db


def comments(post, actor, n):
    """n separate posts' worth of notifications: one comment notifies the author once."""
    for i in range(n):
        target = Post.objects.create(
            author=post.author, kind="discussion", title=f"話題{i}", body="."
        )
        do_add_comment(target, body="コメント", actor=actor)


def test_the_bell_shows_the_unread_count(as_user, member, colleague, question):
    client = as_user(member)
    page = client.get(reverse("posts:lobby")).content.decode()
    assert f'hx-get="{reverse("notifications:bell")}"' in page
    assert "bell__count" not in client.get(reverse("notifications:bell")).content.decode()
    do_add_comment(question, body="回答です。", actor=colleague)
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert '<span class="bell__count" aria-hidden="true">1</span>' in bell


def test_the_bell_costs_one_query_then_none(member, colleague, question, django_assert_num_queries):
    do_add_comment(question, body="回答です。", actor=colleague)
    with django_assert_num_queries(1):
        assert unread_count(member) == 1
    with django_assert_num_queries(0):
        assert unread_count(member) == 1


def test_the_bell_is_for_members_only(client, suspended, applicant):
    for person in (suspended, applicant):
        client.force_login(person)
        assert client.get(reverse("notifications:bell")).status_code == 302
        assert "notifications:bell" not in client.get(reverse("members:status")).content.decode()


def test_the_list_shows_newest_first_with_unread_highlighted(
    as_user, member, colleague, question, django_assert_max_num_queries
):
    comments(question, colleague, 5)
    first = Notification.objects.order_by("created_at", "id").first()
    assert first is not None
    first.read_at = first.created_at
    first.save()
    client = as_user(member)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("notifications:list")).content.decode()
    assert page.count("notification--unread") == 4
    assert page.index("話題4") < page.index("話題0")
    comments(question, colleague, 30)
    with django_assert_max_num_queries(6):
        page = client.get(reverse("notifications:list"), {"page": 2}).content.decode()
    assert 'rel="prev"' in page


def test_opening_a_notification_marks_it_read_and_goes_to_the_comment(
    as_user, member, colleague, question
):
    comment = do_add_comment(question, body="回答です。", actor=colleague)
    notification = Notification.objects.get()
    client = as_user(member)
    assert unread_count(member) == 1
    response = client.post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 302
    assert (
        response["Location"]
        == reverse("posts:detail", args=[question.pk]) + f"#comment-{comment.pk}"
    )
    notification.refresh_from_db()
    assert notification.read_at is not None
    assert unread_count(member) == 0


def test_nobody_opens_someone_elses_notification(as_user, colleague, question, outsider):
    do_add_comment(question, body="回答です。", actor=colleague)
    notification = Notification.objects.get()
    response = as_user(outsider).post(reverse("notifications:open", args=[notification.pk]))
    assert response.status_code == 404
    assert (
        as_user(outsider).get(reverse("notifications:open", args=[notification.pk])).status_code
        == 405
    )


def test_mark_all_read(as_user, member, colleague, question):
    comments(question, colleague, 3)
    client = as_user(member)
    client.get(reverse("notifications:bell"))  # caches the count
    response = client.post(reverse("notifications:read_all"), follow=True)
    assert "すべての通知を既読にしました。" in response.content.decode()
    assert not Notification.objects.filter(read_at=None).exists()
    assert "bell__count" not in client.get(reverse("notifications:bell")).content.decode()


def test_deleted_posts_leave_the_list_and_the_count(as_user, member, colleague, question):
    do_add_comment(question, body="回答です。", actor=colleague)
    do_delete_post(question, actor=member)
    assert unread_count(member) == 0
    assert (
        "窓口のキャッシュレス化"
        not in as_user(member).get(reverse("notifications:list")).content.decode()
    )


def test_the_preferences_page_saves_choices_and_section_follows(as_user, member, section):
    client = as_user(member)
    assert (
        reverse("notifications:preferences")
        in client.get(reverse("accounts:settings")).content.decode()
    )
    page = client.get(reverse("notifications:preferences")).content.decode()
    assert "防災課" in page
    data = {
        "post_reply": "in_app",
        "comment_reply": "email",
        "mention": "digest",
        "answer_accepted": "in_app",
        "section_post": "email",
        "programme_on_air": "in_app",
        "digest_frequency": "weekly",
        "digest_hour": "21",
    }
    assert (
        client.post(
            reverse("notifications:preferences"), {**data, "programme_on_air": "digest"}
        ).status_code
        == 200
    )  # a broadcast is never saved for the evening digest
    response = client.post(reverse("notifications:preferences"), data)
    assert response.status_code == 302
    pref = Preference.objects.get(user=member)
    assert (
        pref.post_reply, pref.comment_reply, pref.programme_on_air, pref.digest_frequency,
        pref.digest_hour,
    ) == ("in_app", "email", "in_app", "weekly", 21)  # fmt: skip
    assert SectionMute.objects.filter(user=member, section=section).exists()
    client.post(reverse("notifications:preferences"), {**data, "followed": [str(section.pk)]})
    assert not SectionMute.objects.filter(user=member, section=section).exists()


def test_the_preferences_page_keeps_what_was_typed_on_errors(as_user, member):
    data = {"post_reply": "fax", "digest_frequency": "daily", "digest_hour": "19"}
    response = as_user(member).post(reverse("notifications:preferences"), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "入力内容を確認してください。" in page
    assert 'value="19" selected' in page


def test_reading_the_post_reads_its_notifications(as_user, member, colleague, question):
    do_add_comment(question, body="回答です。", actor=colleague)
    comments(question, colleague, 1)  # another post's notification stays unread
    client = as_user(member)
    client.get(reverse("notifications:bell"))  # caches the count
    client.get(reverse("posts:detail", args=[question.pk]))
    assert Notification.objects.filter(read_at=None).count() == 1
    bell = client.get(reverse("notifications:bell")).content.decode()
    assert '<span class="bell__count" aria-hidden="true">1</span>' in bell
