"""A member deletes their account: request, cancel by signing in, anonymisation by the clock."""

from datetime import timedelta
from typing import TYPE_CHECKING

import pytest
import time_machine
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from cityhall import testing
from cityhall.accounts.actions import AccountError
from cityhall.accounts.deletion_actions import do_erase_due_accounts, do_request_account_deletion
from cityhall.accounts.models import AccountDeletion, User, UserSession
from cityhall.accounts.tests.helpers import link_in
from cityhall.audit.models import AuditEntry
from cityhall.events.models import Registration
from cityhall.events.tests.conftest import make_event
from cityhall.interface.models import DataExport
from cityhall.interface.tests.helpers import requested_zip
from cityhall.members.models import MembershipApplication, Profile
from cityhall.posts.actions import do_add_comment, do_create_post
from cityhall.posts.models import Comment, Post

if TYPE_CHECKING:
    from django.test.client import _MonkeyPatchedWSGIResponse

DELETE = reverse("accounts:delete")
START = timezone.now().replace(microsecond=0)


def _login(client: Client, email: str) -> "_MonkeyPatchedWSGIResponse":
    return client.post(
        reverse("accounts:login"), {"email": email, "password": testing.PASSWORD}, follow=True
    )


def _content(author: User, other: User) -> tuple[Post, Comment]:
    post = do_create_post(
        section=None,
        kind="question",
        data={"title": "防災訓練の進め方", "body": "防災訓練をどう進めていますか"},
        actor=author,
    )
    comment = do_add_comment(post, body="防災訓練は年二回です", actor=author)
    do_add_comment(post, body="うちも同じです", actor=other)
    return post, comment


def _found(client: Client, name: str, query: str) -> str:
    return client.get(reverse(name), {"q": query}).content.decode()


def _request(client: Client, **extra: object) -> "_MonkeyPatchedWSGIResponse":
    with_password = {"password": testing.PASSWORD, **extra}
    return client.post(DELETE, with_password)


@pytest.fixture
def frozen():
    with time_machine.travel(START, tick=False) as traveller:
        yield traveller


def test_it_explains_what_happens(as_user, member) -> None:
    html = as_user(member).get(DELETE).content.decode()
    assert "14日後" in html
    assert "退会した会員" in html
    assert 'name="password"' in html


def test_it_cancels_by_signing_in_then_anonymises_after_the_grace_period(
    frozen, member, outsider, staff, django_capture_on_commit_callbacks
) -> None:
    member.profile.department = "企画政策課"
    member.profile.save()
    make_application(member)
    event = make_event()
    Registration.objects.create(event=event, user=member, status="confirmed", position=1)
    post, _comment = _content(member, outsider)
    browser = testing.sign_in(Client(), member)
    seen_by = testing.sign_in(Client(), outsider)
    profile_url = reverse("profiles:detail", args=[member.pk])
    assert profile_url in _found(seen_by, "search:results", "新家")
    assert profile_url in _found(seen_by, "directory:search", "新家")

    # Request: signed out everywhere, one pending request, a mail with the date.
    with django_capture_on_commit_callbacks(execute=True):
        response = _request(browser)
    assert response["Location"] == reverse("accounts:delete_requested")
    assert not UserSession.objects.filter(user=member).exists()
    assert AccountDeletion.objects.get(user=member).state == "pending"
    assert "退会の手続きを受け付けました" in mail.outbox[-1].subject
    assert browser.get(reverse("accounts:settings")).status_code == 302

    # Signing in during the grace period cancels, and says so.
    page = _login(Client(), member.email).content.decode()
    assert "退会の手続きを取り消しました" in page
    assert AccountDeletion.objects.get(user=member).state == "cancelled"

    # Again; the clock does nothing before the period is over.
    browser = testing.sign_in(Client(), member)
    with django_capture_on_commit_callbacks(execute=True):
        _request(browser)
    frozen.shift(timedelta(days=13))
    assert do_erase_due_accounts(timezone.now()) == 0
    frozen.shift(timedelta(days=1, seconds=1))
    with django_capture_on_commit_callbacks(execute=True):
        assert do_erase_due_accounts(timezone.now()) == 1
    assert do_erase_due_accounts(timezone.now()) == 0  # idempotent

    member.refresh_from_db()
    assert member.status == User.Status.DELETED
    assert member.full_name == "退会した会員"
    assert member.family_name_kana == member.given_name_kana == ""
    assert member.email == f"deleted-{member.pk}@deleted.invalid"
    assert not member.is_active and not member.has_usable_password()
    assert not Profile.objects.filter(user=member).exists()
    assert not MembershipApplication.objects.filter(user=member).exists()
    assert not Registration.objects.filter(user=member).exists()
    assert "アカウントを削除しました" in mail.outbox[-1].subject
    assert AccountDeletion.objects.filter(user=member, state="done").count() == 1

    viewer = testing.sign_in(Client(), outsider)
    assert viewer.get(reverse("profiles:detail", args=[member.pk])).status_code == 404
    post_page = viewer.get(reverse("posts:detail", args=[post.pk])).content.decode()
    assert "新家" not in post_page
    assert "退会した会員" in post_page
    assert "防災訓練は年二回です" in post_page  # the comment stays, under the new name
    profile_url = reverse("profiles:detail", args=[member.pk])
    assert profile_url not in _found(viewer, "search:results", "新家")
    hits = viewer.get(reverse("search:results"), {"q": "防災訓練"}).content.decode()
    assert reverse("posts:detail", args=[post.pk]) in hits and "新家" not in hits
    assert profile_url not in _found(viewer, "directory:search", "新家")

    # The audit log keeps the fact, not the person.
    entries = AuditEntry.objects.filter(subject_user=member)
    assert entries.filter(action="accounts.deletion.completed").exists()
    assert all(e.data.get("person") == f"退会した会員 #{member.pk}" for e in entries)
    assert not any("member@" in str(e.data) for e in entries)

    # Signing in is impossible, and the address is free to apply again.
    failed = _login(Client(), "member@vill.sarufutsu.lg.jp").content.decode()
    assert "正しくありません" in failed
    assert not User.objects.filter(email__iexact="member@vill.sarufutsu.lg.jp").exists()


def make_application(user: User) -> MembershipApplication:
    return testing.make_application(user, status=MembershipApplication.Status.APPROVED)


def test_it_deletes_posts_and_comments_when_asked(
    frozen, member, outsider, django_capture_on_commit_callbacks
) -> None:
    post, comment = _content(member, outsider)
    _request(testing.sign_in(Client(), member), delete_content="on")
    frozen.shift(timedelta(days=15))
    with django_capture_on_commit_callbacks(execute=True):
        do_erase_due_accounts(timezone.now())
    post.refresh_from_db()
    comment.refresh_from_db()
    assert post.deleted_at is not None and post.body == ""
    assert comment.deleted_at is not None and comment.body == ""
    viewer = testing.sign_in(Client(), outsider)
    found = _found(viewer, "search:results", "防災訓練")
    assert reverse("posts:detail", args=[post.pk]) not in found
    assert "防災訓練は年二回です" not in found


def test_a_wrong_password_changes_nothing(as_user, member) -> None:
    client = as_user(member)
    response = client.post(DELETE, {"password": "wrong"})
    assert response.status_code == 200
    assert (
        "パスワードが正しくありません。退会の手続きは行われていません。"
        in response.content.decode()
    )
    assert not AccountDeletion.objects.exists()
    assert client.get(reverse("accounts:settings")).status_code == 200


def test_a_second_request_gets_a_clear_answer_and_no_duplicate(member, staff) -> None:
    _request(testing.sign_in(Client(), member))
    response = testing.sign_in(Client(), staff).post(
        reverse("staff_members:delete", args=[member.pk]),
        {"confirm": "on"},
        follow=True,
    )
    assert "退会の手続きはすでに受け付けています" in response.content.decode()
    assert AccountDeletion.objects.filter(user=member).count() == 1


def test_a_member_without_a_password_confirms_by_mail(
    member, django_capture_on_commit_callbacks
) -> None:
    member.set_unusable_password()
    member.save()
    client = testing.sign_in(Client(), member)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(DELETE, {"delete_content": "on"})
    assert response.status_code == 302
    assert not AccountDeletion.objects.exists()
    link = link_in(mail.outbox[-1])
    assert "退会する" in client.get(link).content.decode()
    assert client.post(link)["Location"] == reverse("accounts:delete_requested")
    deletion = AccountDeletion.objects.get(user=member)
    assert deletion.delete_content and deletion.state == "pending"


def test_a_forged_link_is_refused(as_user, member) -> None:
    url = reverse("accounts:delete_confirm", args=["forged"])
    assert as_user(member).post(url).status_code == 400
    assert not AccountDeletion.objects.exists()


def test_an_export_in_progress_is_stopped(
    member, settings, tmp_path, django_capture_on_commit_callbacks
) -> None:
    """A download needs a session and the deletion ends every session, so an export asked for
    on another device cannot be fetched afterwards without signing in, which cancels."""
    settings.MEDIA_ROOT = tmp_path
    phone = testing.sign_in(Client(), member)
    laptop = testing.sign_in(Client(), member)
    download = requested_zip(phone, member, django_capture_on_commit_callbacks)
    assert download.status_code == 200
    _request(laptop)
    url = reverse("export_data_download", args=[DataExport.objects.get(user=member).pk])
    assert phone.get(url)["Location"].startswith(reverse("accounts:login"))


def test_staff_delete_on_request_and_it_is_audited(member, staff) -> None:
    client = testing.sign_in(Client(), staff)
    response = client.post(reverse("staff_members:delete", args=[member.pk]), {"confirm": "on"})
    assert response.status_code == 302
    deletion = AccountDeletion.objects.get(user=member)
    assert deletion.requested_by == staff
    entry = AuditEntry.objects.get(action="accounts.deletion.requested")
    assert entry.actor == staff and entry.data["by_staff"] is True


def test_staff_must_confirm_the_request(member, staff) -> None:
    client = testing.sign_in(Client(), staff)
    response = client.post(reverse("staff_members:delete", args=[member.pk]), follow=True)
    assert "ご本人からの申し出を確認してください" in response.content.decode()
    assert not AccountDeletion.objects.exists()


def test_staff_cannot_delete_an_admin(staff, admin_user) -> None:
    client = testing.sign_in(Client(), staff)
    response = client.post(
        reverse("staff_members:delete", args=[admin_user.pk]), {"confirm": "on"}, follow=True
    )
    assert "管理者のアカウントは削除できません" in response.content.decode()
    assert not AccountDeletion.objects.exists()


def test_an_admin_cannot_delete_their_own_account_either(admin_user) -> None:
    refusal = (
        "管理者のアカウントは削除できません。先にほかの管理者に役割を変更してもらってください。"
    )
    client = testing.sign_in(Client(), admin_user)
    page = client.get(DELETE).content.decode()
    assert refusal in page and 'name="password"' not in page
    response = _request(client)
    assert response.status_code == 200 and refusal in response.content.decode()
    with pytest.raises(AccountError, match="先にほかの管理者に役割を変更"):
        do_request_account_deletion(admin_user, delete_content=False, actor=admin_user)
    assert not AccountDeletion.objects.exists()
    # Once another admin has made them a member, they leave as any member does.
    admin_user.role = User.Role.MEMBER
    admin_user.save(update_fields=["role"])
    assert 'name="password"' in testing.sign_in(Client(), admin_user).get(DELETE).content.decode()


def test_a_member_cannot_delete_someone_else(member, outsider) -> None:
    with pytest.raises(PermissionDenied):
        do_request_account_deletion(outsider, delete_content=False, actor=member)
