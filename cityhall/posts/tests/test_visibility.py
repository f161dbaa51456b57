import pytest
from django.http import Http404
from django.urls import reverse

from cityhall.posts.access import access_comment, access_post
from cityhall.posts.tests.conftest import join, make_comment, make_post


@pytest.fixture
def secret(closed_section, leader):
    post = make_post(leader, closed_section, kind="question", title="秘密の相談")
    make_comment(post, leader, body="内部の話")
    return post


def test_it_hides_a_closed_sections_post_from_outsiders(as_user, member, secret):
    client = as_user(member)
    assert client.get(reverse("posts:detail", args=[secret.pk])).status_code == 404
    assert client.get(reverse("posts:history", args=[secret.pk])).status_code == 404
    assert client.get(reverse("posts:section", args=["jinji"])).status_code == 404
    assert "秘密の相談" not in client.get(reverse("posts:unanswered")).content.decode()
    assert "秘密の相談" not in client.get(reverse("posts:lobby")).content.decode()


def test_it_hides_a_closed_sections_comments_and_actions(as_user, member, secret):
    client = as_user(member)
    comment = secret.comments.get()
    with pytest.raises(Http404):
        access_comment(member, comment.pk)
    for url, data in [
        (reverse("posts:comment", args=[secret.pk]), {"body": "覗き見"}),
        (reverse("posts:react", args=[secret.pk]), {"kind": "like"}),
        (reverse("posts:delete_comment", args=[comment.pk]), {}),
        (reverse("posts:accept", args=[secret.pk, comment.pk]), {}),
        (reverse("posts:delete", args=[secret.pk]), {}),
    ]:
        assert client.post(url, data).status_code == 404
    assert secret.comments.count() == 1


def test_it_hides_a_pending_members_view(as_user, member, secret, closed_section):
    join(closed_section, member, status="pending")
    assert as_user(member).get(reverse("posts:detail", args=[secret.pk])).status_code == 404


def test_it_shows_a_closed_sections_post_to_members_and_staff(
    as_user, member, staff, secret, closed_section
):
    join(closed_section, member)
    for person in (member, staff):
        client = as_user(person)
        page = client.get(reverse("posts:detail", args=[secret.pk])).content.decode()
        assert "秘密の相談" in page and "内部の話" in page
        assert "秘密の相談" in client.get(reverse("posts:section", args=["jinji"])).content.decode()
    assert access_post(member, secret.pk) == secret


def test_it_lists_visible_unanswered_questions_only(as_user, member, leader, section, secret):
    open_question = make_post(leader, section, kind="question", title="公開の質問")
    answered = make_post(leader, None, kind="question", title="回答済みの質問", comment_count=1)
    html = as_user(member).get(reverse("posts:unanswered")).content.decode()
    assert open_question.title in html
    assert answered.title not in html and "秘密の相談" not in html


def test_it_shows_nothing_to_people_who_are_not_members(client, applicant, suspended, secret):
    lobby_post = make_post(secret.author, None)
    for person in (applicant, suspended):
        with pytest.raises(Http404):
            access_post(person, lobby_post.pk)
    response = client.get(reverse("posts:detail", args=[lobby_post.pk]))
    assert response.status_code == 302 and "/accounts/login/" in response.url


def test_it_hides_deleted_posts_from_members_but_not_staff(as_user, member, staff, leader):
    post = make_post(leader, None, title="消えた投稿")
    post.deleted_at = post.created_at
    post.save()
    assert as_user(member).get(reverse("posts:detail", args=[post.pk])).status_code == 404
    assert "消えた投稿" not in as_user(member).get(reverse("posts:lobby")).content.decode()
    page = as_user(staff).get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert "この投稿は削除されています" in page


def test_it_lists_a_closed_sections_unanswered_question_for_its_members(
    as_user, member, leader, closed_section
):
    make_post(leader, closed_section, kind="question", title="非公開の質問")
    assert "非公開の質問" not in as_user(member).get(reverse("posts:unanswered")).content.decode()
    join(closed_section, member)
    assert "非公開の質問" in as_user(member).get(reverse("posts:unanswered")).content.decode()
