import asyncio
import threading

import pytest
from channels.layers import get_channel_layer
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse

from cityhall import testing
from cityhall.accounts import actions
from cityhall.accounts.models import User, UserSession
from cityhall.audit.models import AuditEntry
from cityhall.realtime.consumers import user_group


@pytest.fixture
def listener():
    """A channel in the member's group, to see the events an action sends. It lives on an event
    loop of its own, as a server's consumers do (the Redis pub/sub layer keeps channels per
    loop)."""
    loop = asyncio.new_event_loop()
    thread = threading.Thread(target=loop.run_forever, daemon=True)
    thread.start()
    layer = get_channel_layer()

    def run(coroutine):
        return asyncio.run_coroutine_threadsafe(coroutine, loop).result(timeout=10)

    channel = run(layer.new_channel())

    class Listener:
        def __call__(self, user: User) -> None:
            run(layer.group_add(user_group(user.pk), channel))

        def received(self) -> dict:
            return run(asyncio.wait_for(layer.receive(channel), 5))

    yield Listener()
    loop.call_soon_threadsafe(loop.stop)
    thread.join(5)


def test_it_ends_every_session_of_the_member_at_once(
    member, staff, django_capture_on_commit_callbacks
):
    phone = testing.sign_in(Client(), member)
    laptop = testing.sign_in(Client(), member)
    assert phone.get("/accounts/settings/").status_code == 200
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_suspend_user(member, actor=staff, reason="なりすましの疑い")
    assert not UserSession.objects.filter(user=member).exists()
    for client in (phone, laptop):
        assert client.get("/accounts/settings/")["Location"].startswith("/accounts/login/")


def test_it_records_mails_and_tells_open_websockets(
    member, staff, listener, django_capture_on_commit_callbacks
):
    listener(member)
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_suspend_user(member, actor=staff, reason="なりすましの疑い")
    member.refresh_from_db()
    assert member.status == User.Status.SUSPENDED
    assert member.suspended_at is not None
    entry = AuditEntry.objects.get(action="accounts.user.suspended")
    assert (entry.actor, entry.subject_user, entry.data) == (
        staff,
        member,
        {"reason": "なりすましの疑い"},
    )
    assert mail.outbox[0].to == [member.email]
    assert "なりすましの疑い" in mail.outbox[0].body
    assert listener.received() == {"type": "session_ended"}


def test_a_suspended_member_who_signs_in_again_sees_only_the_status_page(member, staff):
    actions.do_suspend_user(member, actor=staff, reason="確認中")
    client = Client()
    client.post("/accounts/login/", {"email": member.email, "password": testing.PASSWORD})
    assert client.get("/accounts/settings/")["Location"] == reverse("members:status")


@pytest.mark.parametrize(
    ("whom", "message"),
    [
        ("staff", "自分自身を利用停止にすることはできません。"),
        ("admin_user", "管理者を利用停止にすることはできません。"),
    ],
)
def test_staff_cannot_suspend_themselves_or_an_admin(request, staff, whom, message):
    target = request.getfixturevalue(whom)
    with pytest.raises(actions.AccountError, match=message):
        actions.do_suspend_user(target, actor=staff, reason="x")
    target.refresh_from_db()
    assert target.status == User.Status.MEMBER
    assert not AuditEntry.objects.exists()


def test_members_cannot_suspend(member, outsider):
    with pytest.raises(PermissionDenied):
        actions.do_suspend_user(outsider, actor=member, reason="x")


def test_it_reactivates_a_suspended_member(suspended, staff, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_reactivate_user(suspended, actor=staff)
    suspended.refresh_from_db()
    assert suspended.status == User.Status.MEMBER
    assert suspended.suspended_at is None and suspended.suspension_reason == ""
    assert AuditEntry.objects.filter(
        action="accounts.user.reactivated", subject_user=suspended, actor=staff
    ).exists()
    assert "再開" in mail.outbox[0].subject


def test_it_refuses_to_reactivate_an_active_member(member, staff):
    with pytest.raises(actions.AccountError):
        actions.do_reactivate_user(member, actor=staff)


def test_only_admins_change_roles(member, staff, admin_user, django_capture_on_commit_callbacks):
    with pytest.raises(PermissionDenied, match="管理者だけ"):
        actions.do_change_role(member, actor=staff, role=User.Role.ADMIN)
    with pytest.raises(actions.AccountError):
        actions.do_change_role(admin_user, actor=admin_user, role=User.Role.MEMBER)
    assert not AuditEntry.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        actions.do_change_role(member, actor=admin_user, role=User.Role.STAFF)
    member.refresh_from_db()
    assert member.role == User.Role.STAFF
    entry = AuditEntry.objects.get(action="accounts.user.role_changed")
    assert entry.data == {"old_role": "member", "new_role": "staff"}
    assert "二段階認証が必要です" in mail.outbox[0].body


def test_it_signs_out_everywhere_for_staff_too(
    member, staff, listener, django_capture_on_commit_callbacks
):
    testing.sign_in(Client(), member)
    testing.sign_in(Client(), member)
    listener(member)
    with django_capture_on_commit_callbacks(execute=True):
        count = actions.do_sign_out_everywhere(member, actor=staff)
    assert count == 2
    assert not UserSession.objects.filter(user=member).exists()
    assert AuditEntry.objects.get(action="accounts.sessions.ended").actor == staff
    assert listener.received() == {"type": "session_ended"}
