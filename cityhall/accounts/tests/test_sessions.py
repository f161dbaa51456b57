from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from cityhall import testing
from cityhall.accounts.access import session_public_id
from cityhall.accounts.devices import describe
from cityhall.accounts.models import UserSession
from cityhall.audit.models import AuditEntry

IPHONE = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_4 like Mac OS X) AppleWebKit/605.1.15 "
    "(KHTML, like Gecko) Version/17.4 Mobile/15E148 Safari/604.1"
)
WINDOWS_EDGE = (
    "Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Safari/537.36 Edg/124.0.2478.51"
)
ANDROID_CHROME = (
    "Mozilla/5.0 (Linux; Android 14; Pixel 8) AppleWebKit/537.36 (KHTML, like Gecko) "
    "Chrome/124.0.0.0 Mobile Safari/537.36"
)
MAC_SAFARI = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) "
    "Version/17.4 Safari/605.1.15"
)


def signed_in_with(user, user_agent, ip="198.51.100.7"):
    client = Client(HTTP_USER_AGENT=user_agent, REMOTE_ADDR=ip)
    response = client.post("/accounts/login/", {"email": user.email, "password": testing.PASSWORD})
    assert response.status_code == 302
    return client


@pytest.mark.parametrize(
    ("user_agent", "words"),
    [
        (IPHONE, "iPhone · Safari"),
        (WINDOWS_EDGE, "Windows パソコン · Edge"),
        (ANDROID_CHROME, "Android スマートフォン · Chrome"),
        (MAC_SAFARI, "Mac · Safari"),
        ("", "不明な端末"),
        ("curl/8.0", "不明な端末"),
    ],
)
def test_it_names_devices_in_plain_words(user_agent, words):
    assert describe(user_agent) == words


def test_it_lists_where_the_member_is_signed_in(member):
    phone = signed_in_with(member, IPHONE)
    signed_in_with(member, WINDOWS_EDGE, ip="203.0.113.5")
    body = phone.get("/accounts/sessions/").content.decode()
    assert "iPhone · Safari" in body
    assert "Windows パソコン · Edge" in body
    assert "203.0.113.5" in body
    marker = '<span class="badge badge--good">この端末</span>'
    assert body.count(marker) == 1
    assert body.index("iPhone · Safari") < body.index(marker) < body.index("Windows パソコン")


def test_it_does_not_show_session_keys_or_other_peoples_sessions(member, outsider):
    phone = signed_in_with(member, IPHONE)
    signed_in_with(outsider, MAC_SAFARI)
    body = phone.get("/accounts/sessions/").content.decode()
    assert "Mac · Safari" not in body
    for key in UserSession.objects.values_list("session_key", flat=True):
        assert key not in body


def test_it_signs_out_one_other_device(member):
    phone = signed_in_with(member, IPHONE)
    laptop = signed_in_with(member, WINDOWS_EDGE)
    key = laptop.session.session_key
    response = phone.post(f"/accounts/sessions/{session_public_id(key)}/end/")
    assert response["Location"] == "/accounts/sessions/"
    assert laptop.get("/accounts/settings/")["Location"].startswith("/accounts/login/")
    assert phone.get("/accounts/settings/").status_code == 200
    assert AuditEntry.objects.filter(action="accounts.session.ended").count() == 1


def test_it_cannot_end_someone_elses_session(member, outsider):
    phone = signed_in_with(member, IPHONE)
    theirs = signed_in_with(outsider, MAC_SAFARI)
    public_id = session_public_id(theirs.session.session_key)
    assert phone.post(f"/accounts/sessions/{public_id}/end/").status_code == 404
    assert theirs.get("/accounts/settings/").status_code == 200


def test_it_ends_sessions_by_post_only(member):
    phone = signed_in_with(member, IPHONE)
    public_id = session_public_id(phone.session.session_key)
    assert phone.get(f"/accounts/sessions/{public_id}/end/").status_code == 405
    assert phone.get("/accounts/sessions/others/end/").status_code == 405


def test_it_signs_out_everywhere_else(member):
    phone = signed_in_with(member, IPHONE)
    others = [signed_in_with(member, WINDOWS_EDGE), signed_in_with(member, MAC_SAFARI)]
    response = phone.post("/accounts/sessions/others/end/")
    assert response["Location"] == "/accounts/sessions/"
    for other in others:
        assert other.get("/accounts/settings/")["Location"].startswith("/accounts/login/")
    assert phone.get("/accounts/settings/").status_code == 200
    assert UserSession.objects.filter(user=member).count() == 1
    entry = AuditEntry.objects.get(action="accounts.sessions.ended")
    assert entry.data == {"count": 2}


def test_it_keeps_the_start_time_and_refreshes_last_activity(member):
    phone = signed_in_with(member, IPHONE)
    row = UserSession.objects.get(user=member)
    old = timezone.now() - timedelta(hours=2)
    UserSession.objects.filter(pk=row.pk).update(created_at=old, last_seen_at=old)
    phone.get("/accounts/settings/")
    row.refresh_from_db()
    assert row.created_at == old
    assert row.last_seen_at > old + timedelta(hours=1)
