"""What staff and admins can see and change in the Django admin (docs/decisions.md).

Staff (運営事務局) pass Django's own permission checks for every model, so each admin page
decides for itself. Every registered model is pinned here to a decision, and the pages are
walked as staff and as an admin while password reset links for a member and an admin wait in
the outbox: the links never show, and nothing that lets one person act as another can be
changed here.
"""

import re
from typing import Any

import pytest
from django.contrib import admin
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import NoReverseMatch, reverse
from django_otp.plugins.otp_totp.models import TOTPDevice
from django_tasks_db.models import DBTaskResult, get_date_max

from cityhall import testing
from cityhall.accounts.actions import do_send_password_reset
from cityhall.accounts.models import User
from cityhall.audit.log import record
from cityhall.audit.models import AuditEntry
from cityhall.core.masking import MASK
from cityhall.core.models import OutboundEmail
from cityhall.knowledge.models import Tag
from cityhall.knowledge.tests.conftest import make_entry
from cityhall.members.models import Duty
from cityhall.moderation.models import Case
from cityhall.notifications.models import Notification, Preference
from cityhall.posts.models import Comment, Post
from cityhall.sections.models import Section

LOOK = "staff and admins look"
EDIT = "staff and admins edit"  # reference data, nobody's identity
ADMINS = "admins look, staff see nothing"

DECISIONS = {
    "accounts.User": LOOK,
    "members.MembershipApplication": LOOK,
    "members.Profile": LOOK,
    "members.Duty": EDIT,
    "audit.AuditEntry": ADMINS,
    "core.OutboundEmail": ADMINS,
    "notifications.Notification": LOOK,
    "notifications.Preference": LOOK,
    "otp_totp.TOTPDevice": ADMINS,
    "django_tasks_database.DBTaskResult": ADMINS,
    "sections.Section": LOOK,
    "posts.Post": LOOK,
    "posts.Comment": LOOK,
    "knowledge.FaqEntry": LOOK,
    "knowledge.Tag": EDIT,
    "moderation.Case": LOOK,
}
RESET_LINK = re.compile(r"/accounts/password/reset/([^/\s]+)/([^/\s]+)/")


@pytest.fixture
def reset_tokens(member, admin_user, django_capture_on_commit_callbacks) -> list[str]:
    """Reset links asked for by (or in the name of) a member and an admin, still waiting in
    the outbox for the worker: the rows hold the working links."""
    with django_capture_on_commit_callbacks(execute=False):
        do_send_password_reset(member.email)
        do_send_password_reset(admin_user.email)
    tokens = []
    for mail in OutboundEmail.objects.all():
        match = RESET_LINK.search(mail.body)
        assert match and mail.carries_secret, mail.body
        tokens.append(match.group(2))
    assert len(tokens) == 2
    return tokens


@pytest.fixture
def objects(applicant, member, staff, admin_user, reset_tokens) -> dict[str, Any]:
    """One object of each registered model, so its change and delete pages can be opened."""
    post = Post.objects.create(author=member, kind="question", title="窓口", body="教えて")
    reset_mail = OutboundEmail.objects.get(to=admin_user.email)
    return {
        "accounts.User": admin_user,
        "members.MembershipApplication": applicant.applications.get(),
        "members.Profile": member.profile,
        "members.Duty": Duty.objects.first(),
        "audit.AuditEntry": record(
            "accounts.user.suspended", actor=staff, target=member, subject_user=member
        ),
        "core.OutboundEmail": reset_mail,
        "notifications.Notification": Notification.objects.create(
            recipient=admin_user, actor=member, kind="post_reply", post=post
        ),
        "notifications.Preference": Preference.objects.create(user=member),
        "otp_totp.TOTPDevice": TOTPDevice.objects.create(
            user=admin_user, name="phone", confirmed=True
        ),
        "django_tasks_database.DBTaskResult": DBTaskResult.objects.create(
            args_kwargs={"args": [reset_mail.pk], "kwargs": {}},
            task_path="cityhall.core.mail.deliver_email",
            backend_name="default",
            run_after=get_date_max(),
            exception_class_path="",
            traceback="",
        ),
        "sections.Section": Section.objects.create(
            name="防災課", slug="bousai", kind="work", purpose="備え"
        ),
        "posts.Post": post,
        "posts.Comment": Comment.objects.create(post=post, author=member, body="整理券"),
        "knowledge.FaqEntry": make_entry(staff),
        "knowledge.Tag": Tag.objects.create(name="防災"),
        "moderation.Case": Case.objects.create(post=post, author=member, snapshot=post.body),
    }


def signed_in(user: User) -> Client:
    return testing.sign_in(Client(), user)


def admin_url(model: Any, view: str, *args: Any) -> str:
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def expected(decision: str, persona: str, view: str) -> int:
    if decision == ADMINS and persona == "staff":
        return 403
    if decision == EDIT:
        return 200
    return 200 if view in {"changelist", "change", "history"} else 403


def test_every_model_in_the_admin_has_a_decision():
    registered = {model._meta.label for model in admin.site._registry}
    assert registered == set(DECISIONS), (
        "A model was added to or removed from the admin: decide what staff and admins may do "
        "with it (cityhall/core/admin_policy.py) and record it here and in docs/decisions.md."
    )


def test_groups_and_sessions_are_not_in_the_admin(staff, admin_user):
    assert not admin.site.is_registered(Group)
    assert all("session" not in model._meta.label.lower() for model in admin.site._registry)
    for user in (staff, admin_user):
        client = signed_in(user)
        assert client.get("/admin/auth/group/").status_code == 404
        assert client.post("/admin/auth/group/add/", {"name": "全権"}).status_code == 404
    assert not Group.objects.exists()


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_each_admin_page_allows_what_was_decided_and_never_shows_a_reset_link(
    request, persona, objects, reset_tokens
):
    user = request.getfixturevalue("admin_user" if persona == "admin" else persona)
    client = signed_in(user)
    wrong = []
    for model in admin.site._registry:
        label = model._meta.label
        decision = DECISIONS[label]
        obj = objects[label]
        pages = {
            "changelist": admin_url(model, "changelist"),
            "add": admin_url(model, "add"),
            "change": admin_url(model, "change", obj.pk),
            "history": admin_url(model, "history", obj.pk),
            "delete": admin_url(model, "delete", obj.pk),
        }
        for view, url in pages.items():
            response = client.get(url)
            body = response.content.decode()
            if response.status_code != expected(decision, persona, view):
                wrong.append(f"{label} {view}: {response.status_code}")
            if view == "change" and response.status_code == 200:
                editable = 'name="_save"' in body
                if editable != (decision == EDIT):
                    wrong.append(f"{label} change page editable: {editable}")
            if any(token in body for token in reset_tokens):
                wrong.append(f"{label} {view} shows a reset link")
    index = client.get("/admin/").content.decode()
    if any(token in index for token in reset_tokens):
        wrong.append("the index shows a reset link")
    assert not wrong, f"{persona}: {wrong}"


def test_staff_do_not_even_see_the_outbox_devices_tasks_or_audit_log_listed(staff):
    index = signed_in(staff).get("/admin/").content.decode()
    assert "/admin/accounts/user/" in index  # they do see the admin
    for hidden in ("outboundemail", "totpdevice", "dbtaskresult", "auditentry"):
        assert hidden not in index


def test_an_admin_reads_outgoing_mail_with_the_link_masked(admin_user, member, reset_tokens):
    mail = OutboundEmail.objects.get(to=member.email)
    client = signed_in(admin_user)
    page = client.get(admin_url(OutboundEmail, "change", mail.pk)).content.decode()
    assert member.full_name in page and "/accounts/password/reset/" in page
    assert MASK in page
    assert not any(token in page for token in reset_tokens)
    assert 'name="_save"' not in page
    listing = client.get(admin_url(OutboundEmail, "changelist")).content.decode()
    assert member.email in listing
    assert not any(token in listing for token in reset_tokens)


def test_a_search_of_the_outbox_looks_at_addresses_only(admin_user, member, reset_tokens):
    # A search of the bodies would spell a link out one guess at a time.
    client = signed_in(admin_user)
    url = admin_url(OutboundEmail, "changelist")
    for probe in (reset_tokens[0][:8], "password/reset", "パスワード"):
        assert client.get(url, {"q": probe}).context["cl"].result_count == 0
    assert client.get(url, {"q": member.email}).context["cl"].result_count == 1


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_nobody_adds_edits_or_deletes_outgoing_mail(request, persona, member, reset_tokens):
    user = request.getfixturevalue("admin_user" if persona == "admin" else persona)
    client = signed_in(user)
    mail = OutboundEmail.objects.get(to=member.email)
    before = OutboundEmail.objects.values().get(pk=mail.pk)
    attempts = [
        client.post(
            admin_url(OutboundEmail, "change", mail.pk),
            {"to": "thief@example.jp", "subject": "x", "body": "x", "status": "queued"},
        ),
        client.post(admin_url(OutboundEmail, "delete", mail.pk), {"post": "yes"}),
        client.post(
            admin_url(OutboundEmail, "add"),
            {"to": "thief@example.jp", "subject": "x", "body": "x", "status": "queued"},
        ),
    ]
    assert [r.status_code for r in attempts] == [403, 403, 403]
    client.post(
        admin_url(OutboundEmail, "changelist"),
        {"action": "delete_selected", "_selected_action": [mail.pk], "post": "yes"},
    )
    assert OutboundEmail.objects.values().get(pk=mail.pk) == before
    assert OutboundEmail.objects.count() == 2


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_nobody_changes_an_account_in_the_admin(request, persona, staff, admin_user, member):
    user = request.getfixturevalue("admin_user" if persona == "admin" else persona)
    client = signed_in(user)
    takeover = {
        "family_name": "乗っ取り",
        "given_name": "太郎",
        "family_name_kana": "ノットリ",
        "given_name_kana": "タロウ",
        "email": "thief@example.jp",
        "email_verified": "on",
        "status": "member",
        "role": "admin",
        "is_superuser": "on",
        "two_factor_enabled": "",
        "password": "md5$x$y",
        "groups": [],
    }
    for target in (member, admin_user, user):  # another member, an admin, themself
        before = User.objects.values().get(pk=target.pk)
        response = client.post(admin_url(User, "change", target.pk), takeover)
        assert response.status_code == 403
        assert User.objects.values().get(pk=target.pk) == before
        assert client.post(admin_url(User, "delete", target.pk), {"post": "yes"}).status_code == 403
    assert client.post(admin_url(User, "add"), takeover).status_code == 403
    assert not User.objects.filter(email="thief@example.jp").exists()


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_nobody_adds_a_two_factor_device_for_someone_else(request, persona, admin_user):
    user = request.getfixturevalue("admin_user" if persona == "admin" else persona)
    client = signed_in(user)
    devices = TOTPDevice.objects.count()
    response = client.post(
        admin_url(TOTPDevice, "add"),
        {
            "user": admin_user.pk,
            "name": "mine",
            "confirmed": "on",
            "key": "3132333435363738393031323334353637383930",
            "step": 30,
            "t0": 0,
            "digits": 6,
            "tolerance": 1,
            "drift": 0,
        },
    )
    assert response.status_code == 403
    assert TOTPDevice.objects.count() == devices


def test_an_admin_sees_who_has_a_device_but_never_its_key(admin_user, member):
    device = TOTPDevice.objects.create(user=member, name="phone", confirmed=True)
    client = signed_in(admin_user)
    page = client.get(admin_url(TOTPDevice, "change", device.pk)).content.decode()
    assert "phone" in page
    assert device.key not in page and device.config_url not in page
    for view in ("config", "qrcode"):
        with pytest.raises(NoReverseMatch):
            reverse(f"admin:otp_totp_totpdevice_{view}", args=[device.pk])
    assert (
        client.post(admin_url(TOTPDevice, "delete", device.pk), {"post": "yes"}).status_code == 403
    )
    assert TOTPDevice.objects.filter(pk=device.pk).exists()


def test_nobody_edits_or_deletes_the_audit_log(staff, admin_user, member):
    entry = record("accounts.user.suspended", actor=staff, target=member, subject_user=member)
    change, delete = (
        admin_url(AuditEntry, "change", entry.pk),
        admin_url(AuditEntry, "delete", entry.pk),
    )
    staff_client, admin_client = signed_in(staff), signed_in(admin_user)
    assert staff_client.get(change).status_code == 403
    assert admin_client.get(change).status_code == 200
    for client in (staff_client, admin_client):
        assert client.post(change, {"action": "nothing.happened"}).status_code == 403
        assert client.post(delete, {"post": "yes"}).status_code == 403
    entry.refresh_from_db()
    assert entry.action == "accounts.user.suspended"


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_the_admin_asks_for_the_second_factor_first(request, db, persona):
    user = request.getfixturevalue("admin_user" if persona == "admin" else persona)
    TOTPDevice.objects.create(user=user, name="phone", confirmed=True)
    client = Client()
    client.force_login(user)  # password only: no code entered in this session
    two_factor = reverse("accounts:two_factor")
    for url in ("/admin/", admin_url(User, "changelist"), admin_url(OutboundEmail, "changelist")):
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith(two_factor)
    response = client.post(admin_url(User, "changelist"), {"action": "delete_selected"})
    assert response.status_code == 302 and response["Location"].startswith(two_factor)


def test_the_admin_has_no_sign_in_form_of_its_own(client, db):
    # Django's admin login would skip the sign-in throttles and the second factor.
    response = client.get("/admin/login/")
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("accounts:login"))


def test_a_member_cannot_open_the_admin(as_user, member):
    assert as_user(member).get("/admin/").status_code == 403


@pytest.mark.parametrize("persona", ["staff", "admin"])
def test_staff_pages_show_no_mail_and_no_link(request, persona, member, applicant, reset_tokens):
    user = request.getfixturevalue("admin_user" if persona == "admin" else persona)
    client = signed_in(user)
    application = applicant.applications.get()
    pages = [
        reverse("staff:dashboard"),
        reverse("staff_members:list"),
        reverse("staff_members:detail", args=[member.pk]),
        reverse("staff_applications:list"),
        reverse("staff_applications:detail", args=[application.pk]),
        reverse("staff_insights:dashboard"),
        reverse("staff_moderation:queue"),
    ]
    if persona == "admin":
        pages.append(reverse("staff:audit_log"))
    for url in pages:
        response = client.get(url)
        assert response.status_code == 200, url
        body = response.content.decode()
        assert not any(token in body for token in reset_tokens), url
