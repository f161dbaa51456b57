"""Study sessions at scale: page latency and queries, and 1,000 members registering at once.

    .venv/bin/python benchmarks/measure_events.py [--members 100000] [--small 1000]
        [--load sqlite,postgres] [--load-members 1000] [--seats 300] [--skip-pages]

Pages. Builds (or reuses) one SQLite database per size under var/bench/: a copy of
measure_pages.py's members database, migrated, with `manage.py generate_events` on top at one
event per 10 members and 10 registrations per member (100,000 members: 10,000 events,
1,000,000 registrations; 1,000 members: 100 and 10,000). Then, as measure_pages.py does, it
requests each page with Django's test Client, the two sizes alternating in blocks: the event
list (upcoming, past, a deep page of the past, one series), an event page as a member on its
waitlist, the same event's registrations as staff, a series page with its figures, the staff
figures of every series; and, as measure_insights.py does (cold and warm), the staff dashboard
and the public landing page. Queries slower than --slow ms at the large size are listed with
SQLite's plan.

Load. A copy of the large database (or, with `postgres`, the database named by --pg-url,
filled by generate_members and generate_events at a small scale if empty) gets a new event
with --seats seats and a waitlist, and --load-members members each with their own session
(written to the database) and CSRF token. `manage.py serve --no-worker` (uvicorn, pages on a
thread pool, DEBUG=1) serves it on loopback; every member's connection is opened, then all
POST /events/<id>/register/ at the same moment (threads with http.client). Reported: seats
taken (must equal the seats), waitlisted, errors, p50/p99 latency and wall time.

The report is printed and saved to var/bench/events-<date>.txt.
"""

import argparse
import hashlib
import http.client
import json
import os
import resource
import shutil
import signal
import subprocess
import sys
import threading
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure_pages import (  # the sibling scripts, found through sys.path
    BENCH_DIR,
    GENERATOR_SOURCES,
    ROOT,
    Database,
    Page,
    measure,
    percentile,
    run_manage,
    save,
    size_table,
    start,
    using,
)

EVENTS_SOURCES = [
    *GENERATOR_SOURCES,
    ROOT / "cityhall/events/management/commands/generate_events.py",
]
PG_URL = "postgres://cityhall:cityhall@localhost/cityhall_bench"


# --- the data ------------------------------------------------------------------------------


def events_generator_version() -> str:
    digest = hashlib.sha256()
    for path in EVENTS_SOURCES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_events(base: Database) -> Database:
    """The members database, copied, migrated and filled with events; reused while the
    generators are unchanged (their fingerprint sits in the .json beside it)."""
    scale = base.members / 100_000
    path = BENCH_DIR / f"events-{base.members}-seed{base.seed}.sqlite3"
    db = Database(base.members, base.seed, path)
    marker = path.with_suffix(".json")
    info = json.loads(marker.read_text()) if marker.exists() else {}
    if info.get("generator") != events_generator_version() or not path.exists():
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), marker):
            stale.unlink(missing_ok=True)
        print(f"building {path.name} …", flush=True)
        shutil.copyfile(base.path, path)
        run_manage(db, "migrate", "--noinput")
        started = time.monotonic()
        out = run_manage(db, "generate_events", "--scale", str(scale), "--seed", str(base.seed),
                         "--force")  # fmt: skip
        info = {
            "generator": events_generator_version(),
            "generation_seconds": round(time.monotonic() - started, 1),
            "generator_says": out.strip().splitlines()[-1],
            "members_generation_seconds": base.info["generation_seconds"],
            "built_on": date.today().isoformat(),
        }
        marker.write_text(json.dumps(info, ensure_ascii=False, indent=1))
    else:
        print(f"reusing {path.name}", flush=True)
        run_manage(db, "migrate", "--noinput")
    db.info = info
    return db


def data_table(dbs: list[Database]) -> list[str]:
    from django.db import connection

    lines = [
        f"{'members':>9}{'events':>8}{'series':>8}{'registrations':>15}{'confirmed':>11}"
        f"{'waitlisted':>12}{'cancelled':>11}{'attendances':>13}{'MB':>6}{'gen s':>7}"
    ]
    for db in dbs:
        with using(db), connection.cursor() as cursor:
            cursor.execute("SELECT (SELECT COUNT(*) FROM events_event), "
                           "(SELECT COUNT(*) FROM events_eventseries), "
                           "(SELECT COUNT(*) FROM events_attendance)")  # fmt: skip
            events, series, attendances = cursor.fetchone()
            cursor.execute("SELECT status, COUNT(*) FROM events_registration GROUP BY status")
            by = dict(cursor.fetchall())
        lines.append(
            f"{db.members:>9,}{events:>8,}{series:>8,}{sum(by.values()):>15,}"
            f"{by.get('confirmed', 0):>11,}{by.get('waitlisted', 0):>12,}"
            f"{by.get('cancelled', 0):>11,}{attendances:>13,}"
            f"{db.path.stat().st_size / 1e6:>6,.0f}{db.info['generation_seconds']:>7}"
        )
    return lines


# --- pages -----------------------------------------------------------------------------------


def pages() -> list[Page]:
    listed = [
        Page("list: upcoming", "member", lambda s: "/events/"),
        Page("list: past", "member", lambda s: "/events/?when=past"),
        Page("list: past, deep page", "member",
             lambda s: f"/events/?when=past&page={s['deep_page']}"),
        Page("list: one series", "member", lambda s: f"/events/?series={s['series']}"),
        Page("event (registered member)", "member", lambda s: f"/events/{s['event']}/"),
        Page("event manage (staff)", "staff", lambda s: f"/events/{s['event']}/manage/"),
        Page("series page", "member", lambda s: f"/events/series/{s['series']}/"),
    ]  # fmt: skip
    if has_url("events:figures"):
        listed.append(Page("staff: series figures", "staff", lambda s: "/events/figures/"))
    return listed


def has_url(name: str) -> bool:
    from django.urls import NoReverseMatch, reverse

    try:
        reverse(name)
    except NoReverseMatch:
        return False
    return True


def series_page_has_figures() -> bool:
    import inspect

    from cityhall.events import views

    return "figures" in inspect.getsource(views.series_detail)


def scenario(db: Database) -> dict[str, Any]:
    """A member registered for the busiest upcoming session (on its waitlist when it is full);
    staff; the series with the most registrations."""
    from math import ceil

    from django.db.models import Count
    from django.test import Client
    from django.utils import timezone

    from cityhall.accounts.models import User
    from cityhall.events.models import Event, Registration
    from cityhall.testing import sign_in

    with using(db):
        # The busiest upcoming session; its last member in the queue (waiting, if it is full).
        upcoming = Registration.objects.filter(
            event__starts_at__gt=timezone.now(), user__role="member"
        ).exclude(status="cancelled")
        busiest = (
            upcoming.values("event_id").annotate(n=Count("id")).order_by("-n", "event_id").first()
        )
        assert busiest, "no upcoming session has registrations"
        viewer = upcoming.filter(event_id=busiest["event_id"]).order_by("-position").first().user
        staff = User.objects.filter(role=User.Role.STAFF, status=User.Status.MEMBER).first()
        top_series = (
            Registration.objects.filter(event__series__isnull=False)
            .values("event__series__slug")
            .annotate(n=Count("id"))
            .order_by("-n")
            .first()
        )
        past = Event.objects.filter(ends_at__lte=timezone.now()).count()
        return {
            "clients": {"staff": sign_in(Client(), staff), "member": sign_in(Client(), viewer)},
            "event": busiest["event_id"],
            "series": top_series["event__series__slug"],
            "deep_page": min(20, ceil(past / 20)),
        }


def measure_insights_pages(dbs: list[Database], args: argparse.Namespace) -> str:
    """The staff dashboard and the landing page, cold and warm, as measure_insights.py does."""
    import measure_insights

    users = {db.members: measure_insights.clients(db) for db in dbs}
    results = {}
    for page in measure_insights.PAGES:
        for mode in measure_insights.MODES:
            print(f"measuring {page.name}, {mode} …", flush=True)
            results[(page.name, mode)] = measure_insights.measure(dbs, users, page, mode, args)
    return measure_insights.report(dbs, results, args)


# --- the load run ----------------------------------------------------------------------------


def internal(url: str, *args: str) -> Any:
    """Run one of this script's database steps in a child process on that database (with the
    real settings, as the server uses them); it prints JSON."""
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cityhall.settings", "DEBUG": "1",
           "DATABASE_URL": url}  # fmt: skip
    done = subprocess.run([sys.executable, __file__, "--internal", *args], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True)  # fmt: skip
    return json.loads(done.stdout.strip().splitlines()[-1])


def setup_load(members: int, seats: int) -> dict[str, Any]:
    """A new session with `seats` seats and a waitlist, and `members` signed-in members."""
    from datetime import timedelta

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import transaction
    from django.utils import timezone
    from django.utils.crypto import get_random_string

    from cityhall.accounts.models import User
    from cityhall.accounts.session_store import SessionStore
    from cityhall.events.models import Event

    starts = timezone.now() + timedelta(days=7)
    people = User.objects.filter(status=User.Status.MEMBER, role=User.Role.MEMBER).order_by("pk")
    sessions = []
    with transaction.atomic():
        event = Event.objects.create(
            title="負荷試験 同時申込", organizer="staff", starts_at=starts,
            ends_at=starts + timedelta(hours=1), capacity=seats, waitlist_enabled=True,
            venue_url="https://zoom.example.jp/j/load",
        )  # fmt: skip
        for user in people[:members]:
            store = SessionStore()
            store[SESSION_KEY] = str(user.pk)
            store[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
            store[HASH_SESSION_KEY] = user.get_session_auth_hash()
            store.create()
            sessions.append([store.session_key, get_random_string(32)])
    return {
        "event": event.pk,
        "sessions": sessions,
        "session_cookie": settings.SESSION_COOKIE_NAME,
        "csrf_cookie": settings.CSRF_COOKIE_NAME,
    }


def count_load(event_id: int, keys: list[str]) -> dict[str, Any]:
    """What the race left; then the event and the sessions are removed."""
    from django.db.models import Count, Max

    from cityhall.accounts.session_store import SessionStore
    from cityhall.events.models import Event, Registration

    rows = Registration.objects.filter(event_id=event_id)
    result = {
        "statuses": dict(rows.values_list("status").annotate(n=Count("id")).order_by()),
        "positions": rows.values("position").distinct().count(),
        "max_position": rows.aggregate(m=Max("position"))["m"],
        "rows": rows.count(),
    }
    Event.objects.filter(pk=event_id).delete()
    SessionStore.get_model_class().objects.filter(session_key__in=keys).delete()
    return result


def ensure_postgres(url: str) -> None:
    """Migrate the PostgreSQL database and fill it at a small scale the first time."""
    run_manage_url(url, "migrate", "--noinput")
    if not internal(url, "has-members"):
        print("filling PostgreSQL: 5,000 members, 500 events …", flush=True)
        run_manage_url(url, "generate_members", "--members", "5000", "--force")
        run_manage_url(url, "generate_events", "--scale", "0.05", "--force")


def run_manage_url(url: str, *args: str) -> str:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cityhall.test_settings", "DATABASE_URL": url}
    done = subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], cwd=ROOT, env=env,
                          check=True, capture_output=True, text=True)  # fmt: skip
    return done.stdout


def serve(url: str, port: int) -> subprocess.Popen:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "cityhall.settings", "DEBUG": "1",
           "DATABASE_URL": url}  # fmt: skip
    server = subprocess.Popen(
        [sys.executable, str(ROOT / "manage.py"), "serve", "--no-worker", "--port", str(port)],
        cwd=ROOT, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/")
            conn.getresponse().read()
            return server
        except OSError:
            time.sleep(0.5)
    server.terminate()
    raise SystemExit("the server did not start")


def race(port: int, setup: dict[str, Any], timeout: float) -> tuple[list[tuple], float]:
    """Every member's connection open, then all POST at once. (status, seconds) each."""
    path = f"/events/{setup['event']}/register/"
    sessions = setup["sessions"]
    results: list[tuple] = [("not run", 0.0)] * len(sessions)
    go = threading.Barrier(len(sessions) + 1, timeout=120)

    def one(i: int, key: str, csrf: str) -> None:
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
        headers = {
            "Cookie": f"{setup['session_cookie']}={key}; {setup['csrf_cookie']}={csrf}",
            "Content-Type": "application/x-www-form-urlencoded",
        }
        body = urlencode({"csrfmiddlewaretoken": csrf})
        try:
            conn.connect()
        except OSError as error:
            results[i] = (f"connect: {error.__class__.__name__}", 0.0)
        go.wait()
        if results[i][0] != "not run":
            return
        started = time.perf_counter()
        try:
            conn.request("POST", path, body, headers)
            response = conn.getresponse()
            response.read()
            results[i] = (response.status, time.perf_counter() - started)
        except (OSError, http.client.HTTPException) as error:
            results[i] = (error.__class__.__name__, time.perf_counter() - started)
        finally:
            conn.close()

    threading.stack_size(256 * 1024)
    threads = [threading.Thread(target=one, args=(i, *s)) for i, s in enumerate(sessions)]
    for thread in threads:
        thread.start()
    go.wait()
    started = time.perf_counter()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def load_run(label: str, url: str, args: argparse.Namespace) -> dict[str, Any]:
    print(f"load run on {label}: {args.load_members:,} members, {args.seats} seats …", flush=True)
    setup = internal(url, "setup", str(args.load_members), str(args.seats))
    server = serve(url, args.port)
    try:
        results, wall = race(args.port, setup, timeout=120)
    finally:
        server.send_signal(signal.SIGTERM)  # serve stops its uvicorn
        server.wait(timeout=30)
    counts = internal(url, "count", str(setup["event"]), *[k for k, _csrf in setup["sessions"]])
    ok = [t for status, t in results if isinstance(status, int) and status < 400]
    errors: dict[str, int] = {}
    for status, _t in results:
        if not (isinstance(status, int) and status < 400):
            errors[str(status)] = errors.get(str(status), 0) + 1
    return {"label": label, "counts": counts, "ok": len(ok), "errors": errors, "wall": wall,
            "p50": percentile(ok, 50) if ok else 0, "p99": percentile(ok, 99) if ok else 0,
            "statuses": sorted({str(s) for s, _t in results})}  # fmt: skip


def load_table(runs: list[dict[str, Any]], args: argparse.Namespace) -> list[str]:
    lines = [
        f"{args.load_members:,} members POST /events/<id>/register/ at once for {args.seats} "
        "seats with a waitlist; `manage.py serve --no-worker`, DEBUG=1, loopback, client "
        "threads on the same 2 cores",
        f"{'database':<12}{'confirmed':>10}{'waitlisted':>11}{'2xx/3xx':>9}{'errors':>8}"
        f"{'p50 ms':>9}{'p99 ms':>9}{'wall s':>8}{'req/s':>7}  positions",
    ]
    for run in runs:
        s = run["counts"]["statuses"]
        unique = run["counts"]["positions"] == run["counts"]["rows"]
        lines.append(
            f"{run['label']:<12}{s.get('confirmed', 0):>10}{s.get('waitlisted', 0):>11}"
            f"{run['ok']:>9}{sum(run['errors'].values()):>8}{run['p50']:>9.0f}{run['p99']:>9.0f}"
            f"{run['wall']:>8.1f}{args.load_members / run['wall']:>7.0f}  "
            f"{'1…' + str(run['counts']['max_position']) + ', unique' if unique else 'DUPLICATES'}"
        )
        if run["errors"]:
            lines.append(f"{'':<12}errors: {run['errors']}")
    return lines


# --- main --------------------------------------------------------------------------------------


def own_options() -> argparse.Namespace:
    """This script's options; the rest go to measure_pages.start()."""
    parser = argparse.ArgumentParser(add_help=False)
    parser.add_argument("--load", default="sqlite", help="sqlite, postgres, both or none")
    parser.add_argument("--load-members", type=int, default=1_000)
    parser.add_argument("--seats", type=int, default=300)
    parser.add_argument("--port", type=int, default=8765)
    parser.add_argument("--pg-url", default=PG_URL)
    parser.add_argument("--skip-pages", action="store_true")
    parser.add_argument("--slow", type=float, default=50, help="report queries slower (ms)")
    parser.add_argument("--internal", nargs="+")
    own, rest = parser.parse_known_args()
    sys.argv[1:] = rest
    return own


def run_internal(step: list[str]) -> None:
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    if step[0] == "setup":
        result: Any = setup_load(int(step[1]), int(step[2]))
    elif step[0] == "count":
        result = count_load(int(step[1]), step[2:])
    else:  # has-members
        from cityhall.accounts.models import User

        result = User.objects.filter(status=User.Status.MEMBER).count() >= 1_000
    print(json.dumps(result))


def main() -> None:
    own = own_options()
    if own.internal:
        run_internal(own.internal)
        return
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)  # a socket per member, here
    resource.setrlimit(resource.RLIMIT_NOFILE, (max(soft, min(hard, 8192)), hard))  # and served
    args, member_dbs = start(__doc__.splitlines()[0], requests=100, warmup=10, budget=60)
    for name, value in vars(own).items():
        setattr(args, name, value)
    dbs = [prepare_events(db) for db in member_dbs]
    import django

    lines = [
        f"Study sessions — {date.today().isoformat()}, {os.cpu_count()} cores, Django "
        f"{django.get_version()}, test Client, DEBUG=0; {args.requests} requests per page "
        f"and size after {args.warmup} warm-up (fewer past the {args.budget:.0f} s budget)",
        "",
        *data_table(dbs),
    ]
    if not args.skip_pages:
        from measure_posts import slow_queries

        listed = pages()
        scenarios = {db.members: scenario(db) for db in dbs}
        results = {}
        for page in listed:
            print(f"measuring {page.name} …", flush=True)
            results[page.name] = measure(dbs, scenarios, page, args)
        figures = "with" if series_page_has_figures() else "WITHOUT"
        lines += [
            "",
            f"series page: {figures} its figures; /events/figures/: "
            f"{'measured' if has_url('events:figures') else 'does not exist yet'}",
            *size_table(results, dbs[0].members, dbs[-1].members, width=28),
            "",
            f"Queries over {args.slow:.0f} ms at {dbs[-1].members:,} members, with SQLite's plan:",
            *slow_queries(dbs[-1], scenarios, listed, args.slow),
            "",
            measure_insights_pages(dbs, args),
        ]
    name = "events-load" if args.skip_pages else "events"
    if not args.skip_pages:
        save("\n".join(lines) + "\n", name)  # kept even if a load run fails below
    runs = []
    if args.load in {"sqlite", "both"}:
        from django.db import connections

        connections.close_all()  # the copy must see a closed, checkpointed file
        copy = BENCH_DIR / "events-load.sqlite3"
        shutil.copyfile(dbs[-1].path, copy)
        try:
            runs.append(load_run("SQLite", f"sqlite:///{copy}", args))
        finally:
            for stale in (copy, Path(f"{copy}-wal"), Path(f"{copy}-shm")):
                stale.unlink(missing_ok=True)
    if args.load in {"postgres", "both"}:
        ensure_postgres(args.pg_url)
        runs.append(load_run("PostgreSQL", args.pg_url, args))
    if runs:
        lines += ["", *load_table(runs, args)]
        save("\n".join(lines) + "\n", name)


if __name__ == "__main__":
    main()
