"""Mail with a link that acts for its recipient (sign in, set a password, confirm an address,
delete the account) is marked when it is queued, shows that link only to its recipient, and
leaves no working link in the outbox once it has gone out."""

import importlib
from collections.abc import Callable
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend
from django.db import connection
from django.db.migrations.loader import MigrationLoader

from cityhall import testing
from cityhall.accounts import tokens as account_tokens
from cityhall.accounts.actions import (
    do_enable_two_factor,
    do_request_email_change,
    do_send_password_reset,
    do_send_sign_in_link,
    do_suspend_user,
)
from cityhall.accounts.deletion_actions import do_send_deletion_link, make_deletion_token
from cityhall.accounts.models import User
from cityhall.core import mail as outbox
from cityhall.core.masking import MASK, contains_secret, mask_secrets
from cityhall.core.models import OutboundEmail
from cityhall.members.actions import (
    activation_url,
    do_approve_application,
    do_submit_application,
    verification_url,
)
from cityhall.members.tests.joining_helpers import answers, pending_application

SITE = settings.SITE_URL


def ask_sign_in_link(people: dict[str, User]) -> None:
    do_send_sign_in_link(people["member"].email)


def ask_password_reset(people: dict[str, User]) -> None:
    do_send_password_reset(people["member"].email)


def ask_email_change(people: dict[str, User]) -> None:
    member = people["member"]
    do_request_email_change(member, "new-address@vill.sarufutsu.lg.jp", actor=member)


def apply(people: dict[str, User]) -> None:
    do_submit_application(answers(email="newcomer@city.yokohama.lg.jp"))


def apply_again_before_setting_a_password(people: dict[str, User]) -> None:
    approved = testing.make_user("approved@city.example.lg.jp", password=None)
    do_submit_application(answers(email=approved.email))


def approve(people: dict[str, User]) -> None:
    application = pending_application()
    OutboundEmail.objects.all().delete()  # the verification mail, tested above
    do_approve_application(application, actor=people["staff"])


def ask_deletion_link(people: dict[str, User]) -> None:
    member = people["member"]
    do_send_deletion_link(member, delete_content=False, actor=member)


SECRET_MAIL: dict[str, Callable[[dict[str, User]], None]] = {
    "sign-in link": ask_sign_in_link,
    "password reset": ask_password_reset,
    "email change confirmation": ask_email_change,
    "email verification": apply,
    "already registered, with an activation link": apply_again_before_setting_a_password,
    "approval, with the activation link": approve,
    "account deletion link": ask_deletion_link,
}


@pytest.fixture
def people(member, staff) -> dict[str, User]:
    return {"member": member, "staff": staff}


@pytest.mark.parametrize("send", SECRET_MAIL.values(), ids=SECRET_MAIL.keys())
def test_it_marks_every_mail_whose_link_acts_for_its_recipient(
    send, people, monkeypatch, django_capture_on_commit_callbacks
):
    # Marked by the code that builds it, without the patterns' help...
    monkeypatch.setattr(outbox, "contains_secret", lambda text: False)
    with django_capture_on_commit_callbacks(execute=False):
        send(people)
    row = OutboundEmail.objects.get()
    assert row.carries_secret
    # ...and the patterns would have found the link anyway.
    assert contains_secret(row.body)
    assert MASK in mask_secrets(row.body)


def test_it_leaves_mail_without_such_a_link_unmarked(member, staff):
    do_enable_two_factor(member, actor=member, key="00" * 20, last_t=0)
    do_suspend_user(member, actor=staff, reason="規約違反")
    rows = list(OutboundEmail.objects.all())
    assert len(rows) == 2
    assert not any(row.carries_secret for row in rows)
    assert all(mask_secrets(row.body) == row.body for row in rows)


def test_it_marks_a_mail_whose_code_forgot_to_say_so(member):
    row = outbox.queue_email(
        member.email,
        "accounts/email/sign_in_link",
        {"user": member, "url": account_tokens.sign_in_url(member), "minutes": 15},
    )
    assert row.carries_secret


class Links:
    """One real link of each kind, as the mail carries it."""

    def __init__(self, member: User) -> None:
        application = pending_application(email="links@city.yokohama.lg.jp")
        sign_in = account_tokens.sign_in_url(member)
        self.secret = {
            "sign in": (sign_in, sign_in.rstrip("/").rsplit("/", 1)[1]),
            "email change": self._with_token(
                "/accounts/email/confirm/{}/",
                account_tokens.make_email_change_token(member, "x@example.jp"),
            ),
            "verification": (
                verification_url(application),
                verification_url(application).rstrip("/").rsplit("/", 1)[1],
            ),
            "activation": (
                activation_url(member),
                activation_url(member).rstrip("/").rsplit("/", 1)[1],
            ),
            "deletion": self._with_token(
                "/accounts/settings/delete/confirm/{}/", make_deletion_token(member, False)
            ),
            "password reset": self._with_token(
                "/accounts/password/reset/MQ/{}/", "cfv4j2-0b3a5f2c4d9e8b7a6c5d4e3f2a1b0c9d"
            ),
        }

    @staticmethod
    def _with_token(path: str, token: str) -> tuple[str, str]:
        return SITE + path.format(token), token


@pytest.fixture
def links(member) -> Links:
    return Links(member)


def test_it_masks_the_secret_of_each_kind_of_link_and_nothing_else(links):
    for kind, (url, token) in links.secret.items():
        text = f"山田 様\n\n下のリンクを開いてください。\n{url}\n\n{SITE}/posts/12/\n"
        masked = mask_secrets(text)
        assert token not in masked, kind
        assert MASK in masked, kind
        assert masked.replace(MASK, token) == text, kind  # only the token went
        assert contains_secret(text), kind
        assert mask_secrets(masked) == masked, kind


def test_it_keeps_the_uid_of_a_reset_link_and_ordinary_links_as_they_are(links):
    url, _token = links.secret["password reset"]
    assert f"/accounts/password/reset/MQ/{MASK}/" in mask_secrets(url)
    ordinary = f"{SITE}/posts/12/ {SITE}/events/ {SITE}/accounts/login/ 10:30〜12:00"
    assert mask_secrets(ordinary) == ordinary
    assert not contains_secret(ordinary)


def test_it_finds_a_token_even_outside_a_link_it_knows(links):
    _url, token = links.secret["sign in"]
    assert token not in mask_secrets(f"{SITE}/old/route/{token}/")
    assert token not in mask_secrets(f"リンク: {token}")


def test_a_marked_mail_has_every_opaque_part_of_its_links_masked():
    text = f"{SITE}/new/route/Zm9vYmFyYmF6cXV4cXV1eA/ {SITE}/next/?key=abc {SITE}/posts/12/"
    assert mask_secrets(text) == text
    strict = mask_secrets(text, strict=True)
    assert strict == f"{SITE}/new/route/{MASK}/ {SITE}/next/?{MASK} {SITE}/posts/12/"


def test_the_recipient_gets_the_link_and_the_outbox_keeps_only_the_record(
    member, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        do_send_password_reset(member.email)
    row = OutboundEmail.objects.get()
    assert row.status == OutboundEmail.Status.SENT
    sent = str(mail.outbox[0].body)
    assert contains_secret(sent)  # the member got the working link
    assert row.body == mask_secrets(sent, strict=True)
    assert not contains_secret(row.body)
    assert row.subject == mail.outbox[0].subject


class RefusingBackend(BaseEmailBackend):
    def send_messages(self, messages: Any) -> int:
        raise OSError("421 try again later")


def test_the_link_waits_in_the_outbox_for_a_retry_and_goes_when_the_mail_is_given_up(
    member, settings, django_capture_on_commit_callbacks
):
    settings.EMAIL_BACKEND = f"{__name__}.RefusingBackend"
    with django_capture_on_commit_callbacks(execute=False):
        do_send_password_reset(member.email)
    row = OutboundEmail.objects.get()
    assert not outbox.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.QUEUED
    assert contains_secret(row.body)  # needed to send it later
    OutboundEmail.objects.update(attempts=outbox.MAX_ATTEMPTS - 1)
    assert not outbox.deliver(row.pk)
    row.refresh_from_db()
    assert row.status == OutboundEmail.Status.FAILED
    assert not contains_secret(row.body) and MASK in row.body


def test_the_migration_marks_mail_already_queued_and_masks_mail_already_sent(member, links):
    url, token = links.secret["sign in"]
    reset_url, reset_token = links.secret["password reset"]
    queued = OutboundEmail.objects.create(to=member.email, subject="s", body=f"{url}\n")
    sent = OutboundEmail.objects.create(
        to=member.email, subject="s", body=f"{reset_url}\n", status=OutboundEmail.Status.SENT
    )
    plain = OutboundEmail.objects.create(to=member.email, subject="s", body=f"{SITE}/posts/1/")
    migration = importlib.import_module(
        "cityhall.notifications.migrations.0006_outbox_carries_secret"
    )
    # The model as that migration knew it: the outbox belonged to notifications then.
    state = MigrationLoader(connection).project_state(
        ("notifications", "0006_outbox_carries_secret")
    )
    migration.mark_rows_with_secrets(state.apps, None)
    for row in (queued, sent, plain):
        row.refresh_from_db()
    assert queued.carries_secret and token in queued.body
    assert sent.carries_secret and reset_token not in sent.body and MASK in sent.body
    assert not plain.carries_secret and plain.body == f"{SITE}/posts/1/"
