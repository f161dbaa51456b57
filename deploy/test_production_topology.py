"""The production topology, checked from outside through nginx (run by .ci/production-smoke).

nginx with TLS in front of gunicorn (pages) and uvicorn (WebSockets), the worker and the clock
under supervisor, PostgreSQL and Redis, DEBUG off, the demo community loaded, and an SMTP sink
writing to a maildir. Everything is reached the way a member's phone reaches it.
"""

import gzip
import mailbox
import os
import re
import signal
import ssl
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from email.header import decode_header, make_header
from http.cookies import SimpleCookie

import pytest
from websockets.exceptions import ConnectionClosed, InvalidStatus
from websockets.sync.client import connect

URL = os.environ.get("PRODUCTION_URL", "")
HTTP_URL = os.environ.get("PRODUCTION_HTTP_URL", "")
MAILDIR = os.environ.get("PRODUCTION_MAILDIR", "")
SUPERVISOR_CONF = os.environ.get("PRODUCTION_SUPERVISOR_CONF", "")
MEMBER = "member@demo.cityhall.jp"
LEADER = "leader@demo.cityhall.jp"
STAFF = "staff@demo.cityhall.jp"
PASSWORD = "demo-pass-2026"  # the demo community's published password (README)

if not URL:
    pytest.exit("run through .ci/production-smoke, which starts the topology", returncode=2)

# The test certificate is self-signed for 127.0.0.1.
TLS = ssl.create_default_context()
TLS.check_hostname = False
TLS.verify_mode = ssl.CERT_NONE


@dataclass
class Answer:
    status: int
    headers: dict[str, str]
    body: bytes

    @property
    def text(self) -> str:
        if self.headers.get("content-encoding") == "gzip":
            return gzip.decompress(self.body).decode()
        return self.body.decode()


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Browser:
    """A phone's browser, reduced to what the checks need: cookies, gzip, no redirects."""

    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, path: str, data: dict[str, str] | None = None, **headers: str) -> Answer:
        url = path if "://" in path else URL + path
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(url, data=body, headers=headers)
        request.add_header("Accept-Encoding", "gzip")
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        if data is not None:
            request.add_header("Origin", URL)
            request.add_header("Referer", URL + "/")
        opener = urllib.request.build_opener(NoRedirects, urllib.request.HTTPSHandler(context=TLS))
        try:
            with opener.open(request, timeout=30) as response:
                answer = Answer(response.status, _headers(response.headers), response.read())
                raw = response.headers.get_all("Set-Cookie") or []
        except urllib.error.HTTPError as error:
            answer = Answer(error.code, _headers(error.headers), error.read())
            raw = error.headers.get_all("Set-Cookie") or []
        for line in raw:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return answer

    def form_token(self, path: str) -> str:
        page = self.request(path)
        assert page.status == 200, page.status
        return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text).group(1)

    def sign_in(self, email: str, password: str) -> Answer:
        token = self.form_token("/accounts/login/")
        fields = {"csrfmiddlewaretoken": token, "email": email, "password": password}
        return self.request("/accounts/login/", fields)


def _headers(message) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {key.lower(): value for key, value in message.items()}


def wait_until(check, seconds: float):  # type: ignore[no-untyped-def]
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        result = check()
        if result:
            return result
        time.sleep(0.5)
    return check()


def mails_to(address: str) -> list[str]:
    box = mailbox.Maildir(MAILDIR, create=False)
    found = []
    for message in box:
        if address in message.get("To", ""):
            subject = str(make_header(decode_header(message.get("Subject", ""))))
            found.append(subject)
    return found


@pytest.fixture(scope="module")
def member() -> Browser:
    browser = Browser()
    answer = browser.sign_in(MEMBER, PASSWORD)
    assert answer.status == 302, answer.text[:500]
    return browser


def test_it_sends_plain_http_to_https():
    answer = Browser().request(HTTP_URL + "/sections/")
    assert answer.status == 301
    assert answer.headers["location"] == URL + "/sections/"


def test_it_serves_the_landing_page_compressed_with_production_headers():
    answer = Browser().request("/")
    assert answer.status == 200
    assert answer.headers["content-encoding"] == "gzip"
    assert "参加を申請する" in answer.text
    assert "max-age=" in answer.headers["strict-transport-security"]
    assert "script-src 'self'" in answer.headers["content-security-policy"]
    assert "secure" in answer.headers["set-cookie"].lower()  # the CSRF cookie, HTTPS only


def test_it_serves_static_files_from_nginx_hashed_compressed_and_cached_for_a_year():
    page = Browser().request("/").text
    stylesheet = re.search(r'href="(/static/css/app\.[0-9a-f]{12}\.css)"', page).group(1)
    script = re.search(r'src="(/static/js/app\.[0-9a-f]{12}\.js)"', page).group(1)
    for path in (stylesheet, script):
        answer = Browser().request(path)
        assert answer.status == 200, path
        assert answer.headers["server"].startswith("nginx")
        assert answer.headers["content-encoding"] == "gzip"
        assert "immutable" in answer.headers["cache-control"]
        assert int(re.search(r"max-age=(\d+)", answer.headers["cache-control"]).group(1)) >= (
            365 * 24 * 3600
        )
        assert len(answer.text) > 100


def test_it_keeps_member_pages_from_visitors():
    answer = Browser().request("/sections/")
    assert answer.status == 302
    assert "/accounts/login/" in answer.headers["location"]


def test_it_signs_a_member_in_and_shows_member_pages(member):
    for path in ("/", "/sections/", "/accounts/settings/"):
        answer = member.request(path)
        assert answer.status == 200, path
        assert answer.headers["content-encoding"] == "gzip", path
    assert "ログアウト" in member.request("/").text


def _socket(browser: Browser):  # type: ignore[no-untyped-def]
    cookie = "; ".join(f"{k}={v}" for k, v in browser.cookies.items())
    url = URL.replace("https://", "wss://") + "/ws/presence/"
    return connect(url, ssl=TLS, origin=URL, additional_headers={"Cookie": cookie}, open_timeout=10)


def test_it_connects_a_members_websocket_through_nginx(member):
    with _socket(member) as socket:
        socket.send('{"type": "ping"}')
        assert '"pong"' in socket.recv(timeout=10)


def test_it_refuses_a_websocket_without_a_member():
    """Refused at the handshake (403) or closed with 4403 at once: never a listening socket."""
    try:
        with _socket(Browser()) as socket:
            with pytest.raises(ConnectionClosed) as closed:
                socket.recv(timeout=10)
            assert closed.value.rcvd.code == 4403
    except InvalidStatus as refused:
        assert refused.response.status_code == 403


def _request_password_reset(email: str, phone: str) -> None:
    """From a phone of its own (the address nginx forwards), so the per-client limits of the
    earlier checks do not apply."""
    browser = Browser()
    token = browser.form_token("/accounts/password/reset/")
    answer = browser.request(
        "/accounts/password/reset/",
        {"csrfmiddlewaretoken": token, "email": email},
        **{"X-Forwarded-For": phone},
    )
    assert answer.status == 302, answer.text[:500]


def test_it_delivers_mail_through_the_worker_to_the_smtp_server():
    before = len(mails_to(MEMBER))
    _request_password_reset(MEMBER, "198.51.100.1")
    assert wait_until(lambda: len(mails_to(MEMBER)) > before, 60), "no mail reached the sink"


def supervisor(*args: str) -> str:
    command = ["supervisorctl", "-c", SUPERVISOR_CONF, *args]
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()


def site_answers() -> bool:
    try:
        return Browser().request("/").status == 200
    except OSError:
        return False


@pytest.mark.parametrize(
    "program",
    ["cityhall-pages", "cityhall-sockets", "cityhall-worker", "cityhall-clock", "cityhall-nginx"],
)
def test_it_restarts_a_process_that_is_killed(program, member):
    """SIGKILL, as the kernel's out-of-memory killer sends it. The app's servers lose their
    main process only (gunicorn's workers notice and leave); nginx loses its whole process
    group, since its workers would otherwise go on holding the ports."""
    old = int(supervisor("pid", f"cityhall:{program}"))
    if program == "cityhall-nginx":
        os.killpg(os.getpgid(old), signal.SIGKILL)
    else:
        os.kill(old, signal.SIGKILL)

    def running_again() -> bool:
        pid = supervisor("pid", f"cityhall:{program}")
        status = supervisor("status", f"cityhall:{program}")
        return pid.isdigit() and int(pid) not in (0, old) and "RUNNING" in status

    assert wait_until(running_again, 60), supervisor("status")
    assert wait_until(site_answers, 60)
    if program == "cityhall-sockets":
        assert wait_until(lambda: _ping(member), 30)


def _ping(browser: Browser) -> bool:
    try:
        with _socket(browser) as socket:
            socket.send('{"type": "ping"}')
            return '"pong"' in socket.recv(timeout=5)
    except (OSError, ConnectionClosed, TimeoutError):
        return False


def test_it_still_delivers_mail_after_the_worker_was_killed():
    before = len(mails_to(LEADER))
    _request_password_reset(LEADER, "198.51.100.2")
    assert wait_until(lambda: len(mails_to(LEADER)) > before, 60), "no mail after the restart"


def test_it_keeps_the_worker_and_the_clock_through_a_database_restart():
    """They wait and reconnect instead of exiting: the same processes deliver mail after it."""
    restart = os.environ.get("PRODUCTION_DATABASE_RESTART", "")
    assert restart, "PRODUCTION_DATABASE_RESTART: the command that restarts PostgreSQL"
    before = {p: supervisor("pid", f"cityhall:{p}") for p in ("cityhall-worker", "cityhall-clock")}
    subprocess.run(restart, shell=True, check=True)
    assert wait_until(site_answers, 60)
    sent = len(mails_to(STAFF))
    _request_password_reset(STAFF, "198.51.100.3")
    assert wait_until(lambda: len(mails_to(STAFF)) > sent, 90), "no mail after the restart"
    after = {p: supervisor("pid", f"cityhall:{p}") for p in before}
    assert after == before, "a process exited with the database instead of waiting"
