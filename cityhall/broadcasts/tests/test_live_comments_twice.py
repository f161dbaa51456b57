"""A live comment sent twice with its key (the page's script retrying after a dropped
connection) is posted once; the retry gets the same comment back, even within the seconds
the speed limit would refuse."""

import uuid

import pytest

from cityhall.broadcasts.models import LiveComment
from cityhall.broadcasts.tests.conftest import make_episode

pytestmark = pytest.mark.django_db
JSON = {"HTTP_ACCEPT": "application/json"}


@pytest.fixture
def episode(programme):
    return make_episode(programme)


def send(client, episode, **data):
    return client.post(f"/broadcasts/episodes/{episode.pk}/comments/new/", data, **JSON)


def test_it_posts_once_and_answers_the_retry_with_the_same_comment(as_user, member, episode):
    client = as_user(member)
    key = str(uuid.uuid4())
    first = send(client, episode, body="こんばんは", submission_key=key)
    again = send(client, episode, body="こんばんは", submission_key=key)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert LiveComment.objects.count() == 1


def test_without_a_key_it_behaves_as_before(as_user, member, episode):
    client = as_user(member)
    assert send(client, episode, body="一回目").status_code == 201
    assert send(client, episode, body="一回目").status_code == 429  # too fast, as before
    assert LiveComment.objects.count() == 1


def test_a_key_never_reaches_another_members_comment(as_user, member, leader, episode):
    key = str(uuid.uuid4())
    mine = send(as_user(member), episode, body="私の", submission_key=key).json()
    theirs = send(as_user(leader), episode, body="あなたの", submission_key=key).json()
    assert mine["comment"]["id"] != theirs["comment"]["id"]
    assert theirs["comment"]["body"] == "あなたの"


def test_it_refuses_a_malformed_key_with_a_json_error(as_user, member, episode):
    response = send(as_user(member), episode, body="こんばんは", submission_key="x" * 40)
    assert response.status_code == 400
    assert "送信キーが正しくない" in response.json()["error"]
    assert not LiveComment.objects.exists()


def test_a_refused_comment_without_javascript_keeps_its_text_without_nul(as_user, member, episode):
    text = "あ" * 300 + "\x00い"
    response = as_user(member).post(
        f"/broadcasts/episodes/{episode.pk}/comments/new/", {"body": text}
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "あ" * 300 + "い" in html and "\x00" not in html
    assert "コメントは300文字までです（いま302文字）。" in html
