"""The presence socket: members only, and closed at once when a member's sessions end."""

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from django.test import Client

from cityhall import testing
from cityhall.accounts import actions
from cityhall.asgi import application
from cityhall.realtime.tests.sockets import Socket

pytestmark = pytest.mark.django_db

PATH = "/ws/presence/"


@pytest.fixture(autouse=True)
def keep_the_test_connection(monkeypatch):
    """Channels closes "old" database connections around each call; in a test that holds one
    transaction open, that would throw the transaction away (PostgreSQL) mid-test."""
    monkeypatch.setattr("channels.db.close_old_connections", lambda: None)


def socket(session_key: str | None = None) -> Socket:
    headers = [(b"origin", b"http://testserver"), (b"host", b"testserver")]
    if session_key:
        headers.append((b"cookie", f"sessionid={session_key}".encode()))
    return Socket(application, PATH, headers=headers)


def session_of(user) -> str:
    return testing.sign_in(Client(), user).cookies["sessionid"].value


def refused_code(session_key: str | None) -> int | None:
    async def scenario():
        connected, code = await socket(session_key).connect()
        assert not connected
        return code

    return async_to_sync(scenario)()


def test_it_refuses_anonymous_visitors(db):
    assert refused_code(None) == 4403


def test_it_refuses_a_session_that_does_not_exist(db):
    assert refused_code("no-such-session") == 4403


@pytest.mark.parametrize("persona", ["applicant", "rejected", "suspended"])
def test_it_refuses_accounts_that_are_not_members(request, persona):
    assert refused_code(session_of(request.getfixturevalue(persona))) == 4403


def test_it_refuses_a_foreign_origin(member):
    key = session_of(member)

    async def scenario():
        communicator = Socket(
            application,
            PATH,
            headers=[
                (b"origin", b"https://evil.example.com"),
                (b"cookie", f"sessionid={key}".encode()),
            ],
        )
        connected, _code = await communicator.connect()
        return connected

    assert async_to_sync(scenario)() is False


def test_it_answers_a_members_ping(member):
    key = session_of(member)

    async def scenario():
        communicator = socket(key)
        connected, _code = await communicator.connect()
        assert connected
        await communicator.send_json_to({"type": "ping"})
        answer = await communicator.receive_json_from()
        await communicator.disconnect()
        return answer

    assert async_to_sync(scenario)() == {"type": "pong"}


def end_sessions_and_listen(key: str, end_sessions) -> tuple[dict, dict]:
    async def scenario():
        communicator = socket(key)
        connected, _code = await communicator.connect()
        assert connected
        await database_sync_to_async(end_sessions)()
        event = await communicator.receive_json_from()
        closed = await communicator.receive_output()
        await communicator.disconnect(4401)  # as the server does once the socket closed
        return event, closed

    return async_to_sync(scenario)()


def test_it_closes_a_members_socket_when_they_are_suspended(
    member, staff, django_capture_on_commit_callbacks
):
    key = session_of(member)

    def suspend():
        with django_capture_on_commit_callbacks(execute=True):
            actions.do_suspend_user(member, actor=staff, reason="なりすましの疑い")

    event, closed = end_sessions_and_listen(key, suspend)
    assert event == {"type": "session_ended"}
    assert closed == {"type": "websocket.close", "code": 4401}
    # The old session is gone, so the socket cannot come back.
    assert refused_code(key) == 4403


def test_it_closes_sockets_when_the_member_signs_out_everywhere(
    member, django_capture_on_commit_callbacks
):
    key = session_of(member)

    def sign_out_everywhere():
        with django_capture_on_commit_callbacks(execute=True):
            actions.do_sign_out_everywhere(member, actor=member)

    event, closed = end_sessions_and_listen(key, sign_out_everywhere)
    assert event == {"type": "session_ended"}
    assert closed["code"] == 4401
    assert refused_code(key) == 4403


def test_it_refuses_staff_who_have_not_passed_their_second_factor(staff):
    client = Client()
    client.force_login(staff)  # password only: no TOTP in this session
    assert refused_code(client.cookies["sessionid"].value) == 4403


def test_it_lets_staff_in_once_they_passed_their_second_factor(staff):
    key = session_of(staff)  # testing.sign_in passes the second factor for staff

    async def scenario():
        communicator = socket(key)
        connected, _code = await communicator.connect()
        await communicator.disconnect()
        return connected

    assert async_to_sync(scenario)() is True
