"""Staff hear of a verified application: in the bell, and by mail unless they opted out."""

from django.core import mail
from django.test import Client
from django.urls import reverse

from cityhall import testing
from cityhall.accounts.models import User
from cityhall.members.actions import do_verify_email
from cityhall.members.models import MembershipApplication
from cityhall.notifications.models import Delivery, Notification, Preference


def unverified() -> MembershipApplication:
    user = testing.make_user(
        "new@city.example.lg.jp",
        status=User.Status.APPLICANT,
        family_name="新規",
        given_name="申請",
        password=None,
    )
    return testing.make_application(user, status=MembershipApplication.Status.UNVERIFIED)


def test_it_tells_every_staff_member_in_the_bell_and_by_mail(
    staff, admin_user, member, django_capture_on_commit_callbacks
) -> None:
    application = unverified()
    with django_capture_on_commit_callbacks(execute=True):
        do_verify_email(application)
    told = Notification.objects.filter(application=application)
    assert set(told.values_list("recipient_id", flat=True)) == {staff.pk, admin_user.pk}
    assert not Notification.objects.filter(recipient=member).exists()
    subjects = {(m.to[0], m.subject) for m in mail.outbox if "新しい参加申請" in m.subject}
    assert {to for to, _ in subjects} == {staff.email, admin_user.email}
    assert reverse("staff_applications:detail", args=[application.pk]) in mail.outbox[-1].body

    client = testing.sign_in(Client(), staff)
    page = client.get(reverse("notifications:list")).content.decode()
    assert "新しい参加申請が審査を待っています" in page and "新規 申請" in page
    notification = told.get(recipient=staff)
    opened = client.post(reverse("notifications:open", args=[notification.pk]))
    assert opened["Location"] == reverse("staff_applications:detail", args=[application.pk])


def test_staff_who_chose_the_site_only_get_no_mail(
    staff, django_capture_on_commit_callbacks
) -> None:
    Preference.objects.create(user=staff, application_pending=Delivery.IN_APP)
    application = unverified()
    with django_capture_on_commit_callbacks(execute=True):
        do_verify_email(application)
    assert Notification.objects.filter(recipient=staff, application=application).exists()
    assert not [m for m in mail.outbox if "新しい参加申請" in m.subject]


def test_only_staff_see_the_preference(as_user, member, staff) -> None:
    url = reverse("notifications:preferences")
    assert "application_pending" not in as_user(member).get(url).content.decode()
    client = testing.sign_in(Client(), staff)
    assert "application_pending" in client.get(url).content.decode()
    data = {
        "post_reply": "email", "comment_reply": "digest", "mention": "email",
        "answer_accepted": "digest", "section_post": "digest", "programme_on_air": "email",
        "application_pending": "in_app", "digest_frequency": "daily", "digest_hour": "18",
    }  # fmt: skip
    assert client.post(url, data).status_code == 302
    assert Preference.objects.get(user=staff).application_pending == Delivery.IN_APP
