"""A fault run: members keep commenting while the site's parts fail one after another.

    .venv/bin/python benchmarks/faults.py                      # SQLite
    .venv/bin/python benchmarks/faults.py --postgres URL --redis URL --pg-restart "CMD"

Starts the production processes under supervisor (`write_supervisor_config`: gunicorn, the
worker, the clock) against a fresh database and a local SMTP server this script controls. Twelve
members comment on each other's posts from their own threads the whole time; every comment mails
the post's author. The phases, each --seconds long:

  baseline, worker killed (kill -9, supervisor restarts it), SMTP hanging (accepts, then
  silence), SMTP refusing (port closed), pages killed (kill -9 of gunicorn's master),
  database restarted (PostgreSQL with --pg-restart), Redis stopped (with --redis and
  --redis-stop/--redis-start), baseline again.

Then it waits for the mail to drain and prints, per phase, comments sent / acknowledged /
errors, and in all: acknowledged comments lost or duplicated, mail rows queued / delivered /
duplicated / still waiting, and how long the site took to answer again after each fault.
Nothing here is an assertion: it prints figures (docs in benchmarks/README.md).
"""

import argparse
import asyncio
import collections
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from pathlib import Path

from aiosmtpd.controller import Controller

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
MEMBERS = 12
PASSWORD = "fault-run-2026"
PAGES_PORT = 18101
SMTP_PORT = 12526


# --- the mail server this run controls ------------------------------------------------------


class Sink:
    """Records each mail's outbox id; can hang (accept, then say nothing) or be closed."""

    def __init__(self) -> None:
        self.received: collections.Counter[str] = collections.Counter()
        self.hanging = False
        self.controller: Controller | None = None

    async def handle_DATA(self, server, session, envelope):  # type: ignore[no-untyped-def]
        while self.hanging:
            await asyncio.sleep(0.2)
        text = envelope.content.decode("utf-8", "replace")
        match = re.search(r"^X-Outbox-Id: (\d+)", text, re.MULTILINE)
        self.received[match.group(1) if match else "?"] += 1
        return "250 OK"

    def start(self) -> None:
        self.controller = Controller(self, hostname="127.0.0.1", port=SMTP_PORT)
        self.controller.start()

    def stop(self) -> None:
        if self.controller is not None:
            self.controller.stop()
            self.controller = None


# --- members, as browsers -------------------------------------------------------------------


@dataclass
class Member:
    email: str
    cookies: dict[str, str] = field(default_factory=dict)

    def request(self, path: str, data: dict[str, str] | None = None) -> tuple[int, str]:
        body = urllib.parse.urlencode(data).encode() if data is not None else None
        request = urllib.request.Request(f"http://127.0.0.1:{PAGES_PORT}{path}", data=body)
        if self.cookies:
            request.add_header("Cookie", "; ".join(f"{k}={v}" for k, v in self.cookies.items()))
        opener = urllib.request.build_opener(NoRedirects)
        try:
            with opener.open(request, timeout=30) as response:
                status, headers, text = response.status, response.headers, response.read()
        except urllib.error.HTTPError as error:
            status, headers, text = error.code, error.headers, error.read()
        for line in headers.get_all("Set-Cookie") or []:
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value
        return status, text.decode("utf-8", "replace")

    def token(self, path: str) -> str:
        status, page = self.request(path)
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page)
        if not match:
            raise RuntimeError(f"no form on {path} ({status})")
        return match.group(1)

    def sign_in(self) -> None:
        token = self.token("/accounts/login/")
        fields = {"csrfmiddlewaretoken": token, "email": self.email, "password": PASSWORD}
        status, _ = self.request("/accounts/login/", fields)
        if status != 302:
            raise RuntimeError(f"{self.email} could not sign in ({status})")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


@dataclass
class Tally:
    sent: int = 0
    acknowledged: int = 0
    errors: collections.Counter[str] = field(default_factory=collections.Counter)


class Load:
    """Each member comments on the next member's post, one comment at a time, until stopped."""

    def __init__(self, members: list[Member], posts: dict[str, int]) -> None:
        self.members, self.posts = members, posts
        self.phase = "setup"
        self.tallies: dict[str, Tally] = collections.defaultdict(Tally)
        self.acknowledged: list[str] = []
        self.stopping = threading.Event()
        self.lock = threading.Lock()

    def run(self, index: int) -> None:
        member = self.members[index]
        target = self.posts[self.members[(index + 1) % len(self.members)].email]
        token, n = "", 0
        while not self.stopping.is_set():
            n += 1
            marker = f"fault-{index}-{n}"
            phase = self.phase
            try:
                if not token:
                    token = member.token(f"/posts/{target}/")
                status, _ = member.request(
                    f"/posts/{target}/comments/",
                    {"csrfmiddlewaretoken": token, "body": f"確認しました {marker}"},
                )
                outcome = "ok" if status == 302 else f"HTTP {status}"
            except OSError as error:
                outcome = type(error).__name__
                token = ""
            with self.lock:
                tally = self.tallies[phase]
                tally.sent += 1
                if outcome == "ok":
                    tally.acknowledged += 1
                    self.acknowledged.append(marker)
                else:
                    tally.errors[outcome] += 1
            if outcome != "ok":
                time.sleep(0.5)


# --- the site -------------------------------------------------------------------------------


def manage(env: dict[str, str], *args: str, text: bool = True) -> str:
    result = subprocess.run(
        [PY, str(ROOT / "manage.py"), *args],
        env=env,
        capture_output=True,
        text=text,
        check=True,
        cwd=ROOT,
    )
    return result.stdout


def supervisor(conf: Path, *args: str) -> str:
    command = ["supervisorctl", "-c", str(conf), *args]
    return subprocess.run(command, capture_output=True, text=True, check=False).stdout.strip()


def answers() -> bool:
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{PAGES_PORT}/", timeout=3) as response:
            return response.status == 200
    except OSError:
        return False


def time_to_answer(limit: float = 120) -> float:
    start = time.monotonic()
    while time.monotonic() - start < limit:
        if answers():
            return time.monotonic() - start
        time.sleep(0.1)
    return float("inf")


SETUP = """
from cityhall import testing
from cityhall.posts.actions import do_create_post
for i in range({members}):
    user = testing.make_user(f"fault{{i}}@city.example.lg.jp", password="{password}",
                             family_name="障害", given_name=f"試験{{i}}")
    post = do_create_post(section=None, kind="discussion",
                          data={{"title": f"試験の投稿 {{i}}", "body": "本文"}}, actor=user)
    print(user.email, post.pk)
"""

COUNT = """
import json
from cityhall.core.models import OutboundEmail
from cityhall.posts.models import Comment
bodies = list(Comment.objects.filter(body__contains="fault-").values_list("body", flat=True))
mail = {{s: OutboundEmail.objects.filter(status=s).count() for s in ("queued", "sent", "failed")}}
ids = list(OutboundEmail.objects.values_list("pk", flat=True))
print("COUNTS " + json.dumps({{"bodies": bodies, "mail": mail, "ids": ids}}))
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--seconds", type=float, default=20)
    parser.add_argument("--postgres", default="", help="DATABASE_URL of an empty database")
    parser.add_argument("--pg-restart", default="", help="command that restarts PostgreSQL")
    parser.add_argument("--redis", default="", help="REDIS_URL (a database of its own)")
    parser.add_argument("--redis-stop", default="", help="command that stops Redis")
    parser.add_argument("--redis-start", default="", help="command that starts Redis again")
    parser.add_argument("--drain", type=float, default=420, help="seconds to wait for mail")
    options = parser.parse_args()
    if shutil.which("supervisord") is None:
        sys.exit("needs Debian's supervisor (apt-get install supervisor)")

    run = Path(tempfile.mkdtemp(prefix="cityhall-faults-"))
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    settings = {
        "DEBUG": "0",
        "SECRET_KEY": "fault-run-only",
        "ALLOWED_HOSTS": "127.0.0.1",
        "SECURE_SSL_REDIRECT": "0",
        "SESSION_COOKIE_SECURE": "0",
        "CSRF_COOKIE_SECURE": "0",
        "VAR_DIR": str(run / "var"),
        "EMAIL_BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(SMTP_PORT),
        "EMAIL_TIMEOUT": "10",
        "LOG_LEVEL": "WARNING",
    }
    if options.postgres:
        settings["DATABASE_URL"] = options.postgres
    if options.redis:
        settings["REDIS_URL"] = options.redis
    env.update(settings)
    (run / "cityhall.env").write_text("".join(f"{k}={v}\n" for k, v in settings.items()))

    print(f"setting up in {run} ({'PostgreSQL' if options.postgres else 'SQLite'})", flush=True)
    manage(env, "migrate", "--noinput", "-v0")
    manage(env, "collectstatic", "--noinput", "-v0")
    output = manage(env, "shell", "-c", SETUP.format(members=MEMBERS, password=PASSWORD))
    posts = dict(re.findall(r"^(fault\d+@\S+) (\d+)$", output, re.MULTILINE))
    posts_by_email = {email: int(pk) for email, pk in posts.items()}
    manage(
        env,
        "write_supervisor_config",
        "--out",
        str(run / "supervisor"),
        "--env-file",
        str(run / "cityhall.env"),
        "--pages-port",
        str(PAGES_PORT),
        "--ws-port",
        str(PAGES_PORT + 1),
        "--workers",
        "2",
    )
    conf = run / "supervisor" / "supervisord.conf"
    sink = Sink()
    sink.start()
    subprocess.run(["supervisord", "-c", str(conf)], check=True)
    recovery: dict[str, float] = {}
    try:
        if time_to_answer(60) == float("inf"):
            sys.exit("the site did not start; see " + str(run / "supervisor" / "logs"))
        members = [Member(email) for email in posts_by_email]
        for member in members:
            member.sign_in()
        load = Load(members, posts_by_email)
        threads = [threading.Thread(target=load.run, args=(i,)) for i in range(len(members))]
        for thread in threads:
            thread.start()

        def phase(name: str, start=None, end=None) -> None:  # type: ignore[no-untyped-def]
            print(f"phase: {name}", flush=True)
            load.phase = name
            if start:
                start()
            time.sleep(options.seconds)
            if end:
                end()
            recovery[name] = time_to_answer()

        def kill(program: str) -> None:
            pid = int(supervisor(conf, "pid", f"cityhall:{program}"))
            os.kill(pid, signal.SIGKILL)

        def hang() -> None:
            sink.hanging = True

        def unhang() -> None:
            sink.hanging = False

        phase("baseline")
        phase("worker killed", lambda: kill("cityhall-worker"))
        phase("SMTP hanging", hang, unhang)
        phase("SMTP refusing", sink.stop, sink.start)
        phase("pages killed", lambda: kill("cityhall-pages"))
        if options.postgres and options.pg_restart:
            phase("database restarted", lambda: subprocess.run(options.pg_restart, shell=True))
        if options.redis and options.redis_stop and options.redis_start:
            phase(
                "Redis stopped",
                lambda: subprocess.run(options.redis_stop, shell=True),
                lambda: subprocess.run(options.redis_start, shell=True),
            )
        phase("baseline again")
        load.stopping.set()
        for thread in threads:
            thread.join(60)

        print(f"waiting up to {options.drain:.0f} s for the mail to drain", flush=True)
        deadline = time.monotonic() + options.drain
        while time.monotonic() < deadline:
            output = manage(env, "shell", "-c", COUNT.format())
            counts = json.loads(re.search(r"^COUNTS (.*)$", output, re.MULTILINE).group(1))
            if counts["mail"]["queued"] == 0:
                break
            time.sleep(5)
        report(load, counts, sink, recovery)
    finally:
        supervisor(conf, "shutdown")
        sink.stop()


def report(load: Load, counts: dict, sink: Sink, recovery: dict[str, float]) -> None:
    print()
    print("| phase | comments sent | acknowledged | errors | site answered again after |")
    print("|---|---:|---:|---|---:|")
    for name, tally in load.tallies.items():
        errors = ", ".join(f"{k} ×{v}" for k, v in tally.errors.most_common()) or "—"
        again = recovery.get(name)
        shown = "—" if again is None else f"{again:.1f} s"
        print(f"| {name} | {tally.sent} | {tally.acknowledged} | {errors} | {shown} |")
    stored = collections.Counter(
        m.group(0) for body in counts["bodies"] if (m := re.search(r"fault-\d+-\d+", body))
    )
    acknowledged = set(load.acknowledged)
    lost = [m for m in acknowledged if stored[m] == 0]
    duplicated = [m for m, n in stored.items() if n > 1]
    unacknowledged_but_stored = [m for m in stored if m not in acknowledged]
    ids = {str(i) for i in counts["ids"]}
    delivered = [i for i in ids if sink.received[i] > 0]
    mail_duplicated = [i for i in ids if sink.received[i] > 1]
    print()
    print(
        f"comments acknowledged: {len(acknowledged)}; stored: {sum(stored.values())}; "
        f"lost: {len(lost)}; duplicated: {len(duplicated)}; "
        f"stored without an answer (timeouts during a fault): {len(unacknowledged_but_stored)}"
    )
    print(
        f"mail rows: {len(ids)}; delivered: {len(delivered)}; duplicated: "
        f"{len(mail_duplicated)}; still queued: {counts['mail']['queued']}; "
        f"failed: {counts['mail']['failed']}"
    )


if __name__ == "__main__":
    main()
