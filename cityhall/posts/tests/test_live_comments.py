"""New comments reach open post pages: an event over the post's WebSocket, then the rendered
comments from the members-only fragment (which pages also poll when WebSockets are blocked).

channels.testing needs daphne, which this project does not install; the realtime app's Socket
helper is the same communicator."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.test import Client
from django.urls import reverse

from cityhall import testing
from cityhall.asgi import application
from cityhall.posts.actions import do_add_comment, do_delete_comment, do_delete_post
from cityhall.posts.tests.conftest import join, make_post
from cityhall.realtime.tests.sockets import Socket


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """Channels closes "old" database connections around each call, which would throw away
    the transaction the test runs in."""
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


def socket(post_id: int, user=None) -> Socket:
    """Sign in first (outside the event loop), then open the post's socket."""
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if user is not None:
        key = testing.sign_in(Client(), user).cookies["sessionid"].value
        headers.append((b"cookie", f"sessionid={key}".encode()))
    return Socket(application, f"/ws/posts/{post_id}/", headers=headers)


def connects(post_id: int, user=None) -> tuple[bool, int | None]:
    communicator = socket(post_id, user)

    async def scenario():
        result = await communicator.connect()
        if result[0]:
            await communicator.disconnect()
        return result

    return async_to_sync(scenario)()


def since(post_id: int, after: int = 0) -> str:
    return reverse("posts:comments_since", args=[post_id]) + f"?after={after}"


# The socket


def test_it_lets_a_reader_of_the_post_connect(member, leader):
    assert connects(make_post(leader).pk, member) == (True, None)


@pytest.mark.parametrize("persona", ["applicant", "rejected", "suspended"])
def test_it_refuses_accounts_that_are_not_members(request, leader, persona):
    post = make_post(leader)
    assert connects(post.pk, request.getfixturevalue(persona)) == (False, 4403)


def test_it_refuses_anonymous_visitors(leader):
    assert connects(make_post(leader).pk) == (False, 4403)


def test_it_refuses_outsiders_of_a_closed_section(member, leader, staff, closed_section):
    post = make_post(leader, closed_section)
    assert connects(post.pk, member) == (False, 4403)
    assert connects(post.pk, leader) == (True, None)
    assert connects(post.pk, staff) == (True, None)
    join(closed_section, member)
    assert connects(post.pk, member) == (True, None)


def test_it_refuses_deleted_and_missing_posts(member, leader):
    post = make_post(leader)
    do_delete_post(post, actor=leader)
    assert connects(post.pk, member) == (False, 4403)
    assert connects(post.pk + 1000, member) == (False, 4403)


def test_it_sends_an_event_for_a_new_comment(member, leader, django_capture_on_commit_callbacks):
    post = make_post(leader)

    def comment():
        with django_capture_on_commit_callbacks(execute=True):
            return do_add_comment(post, body="速報です", actor=leader)

    communicator = socket(post.pk, member)

    async def scenario():
        assert (await communicator.connect()) == (True, None)
        added = await database_sync_to_async(comment)()
        event = await communicator.receive_json_from()
        await communicator.disconnect()
        return added, event

    added, event = async_to_sync(scenario)()
    assert event == {"type": "new_comment", "id": added.pk}


def test_it_sends_nothing_before_the_comment_is_committed(member, leader):
    post = make_post(leader)

    communicator = socket(post.pk, member)

    async def scenario():
        await communicator.connect()
        await database_sync_to_async(do_add_comment)(post, body="未確定", actor=leader)
        quiet = await communicator.receive_nothing(timeout=0.05)
        await communicator.disconnect()
        return quiet

    assert async_to_sync(scenario)() is True


# The fragment


def test_it_renders_only_comments_newer_than_the_page_has(as_user, member, leader):
    post = make_post(leader)
    seen = do_add_comment(post, body="もう表示済み", actor=leader)
    top = do_add_comment(post, body="新しいコメント", actor=leader)
    do_add_comment(post, body="新しい返信", parent=seen, actor=leader)
    response = as_user(member).get(since(post.pk, seen.pk))
    html = response.content.decode()
    assert response.status_code == 200 and response["Cache-Control"] == "private, no-store"
    assert "もう表示済み" not in html
    assert f'id="comment-{top.pk}"' in html and "新しいコメント" in html
    assert f'data-comment-thread="{top.pk}"' in html  # a new thread, with its reply form
    assert f'<div data-reply-to="{seen.pk}">' in html and "新しい返信" in html
    assert 'data-comment-count="3"' in html
    assert f'action="{reverse("posts:react", args=[post.pk])}"' in html


def test_it_answers_no_content_when_nothing_is_new(as_user, member, leader):
    post = make_post(leader)
    latest = do_add_comment(post, body="最新", actor=leader)
    assert as_user(member).get(since(post.pk, latest.pk)).status_code == 204
    assert as_user(member).get(since(post.pk) + "x").status_code == 200  # bad number: from 0


def test_it_leaves_out_deleted_comments(as_user, member, leader):
    post = make_post(leader)
    gone = do_add_comment(post, body="すぐ消えた", actor=leader)
    do_delete_comment(gone, actor=leader)
    assert as_user(member).get(since(post.pk)).status_code == 204


def test_it_keeps_a_closed_sections_comments_from_outsiders(
    as_user, member, leader, closed_section
):
    post = make_post(leader, closed_section)
    do_add_comment(post, body="内輪の話", actor=leader)
    assert as_user(member).get(since(post.pk)).status_code == 404
    assert as_user(leader).get(since(post.pk)).status_code == 200


def test_it_keeps_the_fragment_for_members(client, as_user, suspended, leader):
    post = make_post(leader)
    do_add_comment(post, body="会員だけ", actor=leader)
    response = client.get(since(post.pk))
    assert response.status_code == 302
    assert "会員だけ" not in as_user(suspended).get(since(post.pk)).content.decode()


def test_it_answers_404_for_a_deleted_post(as_user, member, staff, leader):
    post = make_post(leader)
    do_add_comment(post, body="削除前", actor=leader)
    do_delete_post(post, actor=leader)
    assert as_user(member).get(since(post.pk)).status_code == 404


def test_it_renders_the_fragment_in_a_fixed_number_of_queries(
    as_user, member, leader, django_assert_max_num_queries
):
    post = make_post(leader)
    for n in range(10):
        do_add_comment(post, body=f"コメント{n}", actor=leader)
    client = as_user(member)
    with django_assert_max_num_queries(8):
        assert client.get(since(post.pk)).status_code == 200


def test_it_wires_the_post_page_for_live_comments(as_user, member, leader):
    post = make_post(leader)
    latest = do_add_comment(post, body="最新", actor=leader)
    html = as_user(member).get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert f'data-live-url="{reverse("posts:comments_since", args=[post.pk])}"' in html
    assert f'data-live-socket="/ws/posts/{post.pk}/"' in html
    assert f'data-live-after="{latest.pk}"' in html
    assert 'aria-live="polite"' in html and "js/post-live.js" in html
