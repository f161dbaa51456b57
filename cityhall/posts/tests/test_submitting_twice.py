"""A post or comment sent twice (a double tap, a retry after the connection dropped) is written
once, and a refused comment keeps its text."""

import threading
import uuid

import pytest
from django.db import connection
from django.test import Client
from django.urls import reverse

from cityhall import testing
from cityhall.posts.models import Comment, Post
from cityhall.posts.tests.conftest import make_comment, make_post

NEW = reverse("posts:new")
POST = {"kind": "question", "where": "", "title": "除雪計画の作り方", "body": "教えてください。"}


def comment_url(post: Post) -> str:
    return reverse("posts:comment", args=[post.pk])


def test_it_creates_one_post_when_the_form_is_sent_twice(as_user, member):
    client = as_user(member)
    data = {**POST, "submission_key": str(uuid.uuid4())}
    first, second = client.post(NEW, data), client.post(NEW, data)
    post = Post.objects.get()
    assert first.status_code == second.status_code == 302
    assert first.url == second.url == reverse("posts:detail", args=[post.pk])


def test_the_new_post_form_carries_a_key_that_survives_a_preview(as_user, member):
    client = as_user(member)
    assert 'name="submission_key"' in client.get(NEW).content.decode()
    key = str(uuid.uuid4())
    preview = client.post(NEW, {**POST, "submission_key": key, "preview": "1"})
    assert f'value="{key}"' in preview.content.decode()
    assert not Post.objects.exists()


def test_it_creates_one_comment_when_the_form_is_sent_twice(as_user, member, leader):
    post = make_post(leader)
    client = as_user(member)
    html = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert html.count('name="submission_key"') == 1  # the comment box; no replies yet
    data = {"body": "うちでも同じです。", "submission_key": str(uuid.uuid4())}
    first, second = client.post(comment_url(post), data), client.post(comment_url(post), data)
    comment = Comment.objects.get()
    anchor = reverse("posts:detail", args=[post.pk]) + f"#comment-{comment.pk}"
    assert first.url == second.url == anchor
    post.refresh_from_db()
    assert post.comment_count == 1


def test_each_reply_box_has_its_own_key(as_user, member, leader):
    post = make_post(leader)
    top = make_comment(post, leader)
    client = as_user(member)
    html = client.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert html.count('name="submission_key"') == 2
    data = {"body": "返信です。", "parent": top.pk, "submission_key": str(uuid.uuid4())}
    client.post(comment_url(post), data)
    client.post(comment_url(post), data)
    assert Comment.objects.filter(parent=top).count() == 1


def test_it_writes_twice_as_before_without_a_key(as_user, member, leader):
    post = make_post(leader)
    client = as_user(member)
    client.post(comment_url(post), {"body": "一回目"})
    client.post(comment_url(post), {"body": "一回目"})
    client.post(NEW, POST)
    client.post(NEW, POST)
    assert Comment.objects.count() == 2
    assert Post.objects.filter(author=member).count() == 2


def test_a_key_never_reaches_another_members_post(as_user, member, leader):
    key = str(uuid.uuid4())
    mine = as_user(member).post(NEW, {**POST, "submission_key": key})
    theirs = as_user(leader).post(NEW, {**POST, "submission_key": key})
    assert Post.objects.count() == 2
    assert mine.url != theirs.url
    assert theirs.url == reverse("posts:detail", args=[Post.objects.get(author=leader).pk])


def test_it_refuses_a_malformed_key_and_keeps_the_text(as_user, member, leader):
    post = make_post(leader)
    client = as_user(member)
    response = client.post(comment_url(post), {"body": "消えないで", "submission_key": "xyz"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "送信キーが正しくない" in html and "消えないで" in html
    assert 'value="xyz"' not in html  # a fresh key, so sending again works
    response = client.post(NEW, {**POST, "submission_key": "{not a key}"})
    assert response.status_code == 200 and "送信キーが正しくない" in response.content.decode()
    assert not Comment.objects.exists() and Post.objects.filter(author=member).count() == 0


def test_a_too_long_comment_comes_back_with_its_text_and_the_limit(as_user, member, leader):
    post = make_post(leader)
    text = "長" * 10_001
    key = str(uuid.uuid4())
    response = as_user(member).post(comment_url(post), {"body": text, "submission_key": key})
    html = response.content.decode()
    assert response.status_code == 400
    assert text in html
    assert "10,000文字までにしてください（いまは10,001文字です）。" in html
    assert f'value="{key}"' in html  # the same submission when it is sent again
    assert not Comment.objects.exists()


def test_a_comment_with_a_nul_comes_back_without_it(as_user, member, leader):
    post = make_post(leader)
    response = as_user(member).post(comment_url(post), {"body": "前半\x00後半"})
    html = response.content.decode()
    assert response.status_code == 400
    assert "前半後半" in html and "\x00" not in html
    assert "NUL文字" in html
    assert not Comment.objects.exists()


def test_a_refused_reply_comes_back_in_its_own_box(as_user, member, leader):
    post = make_post(leader)
    top = make_comment(post, leader)
    text = "返" * 10_001
    response = as_user(member).post(comment_url(post), {"body": text, "parent": top.pk})
    html = response.content.decode()
    assert response.status_code == 400
    box = html[html.index(f'id="reply-{top.pk}"') :]
    assert box.index(text) < box.index("</textarea>")
    assert "10,000文字まで" in box


def test_a_too_long_post_keeps_its_text(as_user, member):
    body = "本" * 20_001
    response = as_user(member).post(NEW, {**POST, "body": body})
    html = response.content.decode()
    assert response.status_code == 200
    assert body in html and "20,000文字までにしてください（いまは20,001文字です）。" in html
    assert not Post.objects.filter(author=member).exists()


def race(clients: list[Client], url: str, data: dict[str, str]) -> list[str]:
    """Each client posts `data` at the same moment, from its own thread and connection."""
    start = threading.Barrier(len(clients))
    answers: list[str] = []
    errors: list[BaseException] = []

    def send(client: Client) -> None:
        try:
            start.wait()
            response = client.post(url, data)
            answers.append(f"{response.status_code} {response.get('Location', '')}")
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=send, args=(c,)) for c in clients]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    return answers


@pytest.mark.django_db(transaction=True)
def test_two_taps_racing_with_one_key_write_one_comment_and_one_post():
    author = testing.make_user("racer@city.example.lg.jp")
    post = make_post(author)
    clients = [testing.sign_in(Client(), author) for _ in range(4)]

    data = {"body": "同時に届いたコメント", "submission_key": str(uuid.uuid4())}
    answers = race(clients, comment_url(post), data)
    comment = Comment.objects.get()
    expected = reverse("posts:detail", args=[post.pk]) + f"#comment-{comment.pk}"
    assert answers == [f"302 {expected}"] * 4
    post.refresh_from_db()
    assert post.comment_count == 1

    answers = race(clients, NEW, {**POST, "submission_key": str(uuid.uuid4())})
    created = Post.objects.exclude(pk=post.pk).get()
    assert answers == [f"302 {reverse('posts:detail', args=[created.pk])}"] * 4
