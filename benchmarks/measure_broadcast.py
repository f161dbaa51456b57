"""Live-comment fan-out through the real server: WebSocket viewers, HTTP commenters, one run.

    .venv/bin/python benchmarks/measure_broadcast.py [--viewers 3000] [--rates 5:30,50:60]
        [--redis-url redis://127.0.0.1:6379/11] [--only single|redis]

Two set-ups, each its own uvicorn process(es) started as `manage.py serve` starts them:
"single" is one process with the in-process channel layer and cache (the embedded default);
"redis" is two processes on two ports with REDIS_URL (channels-redis and the Redis cache), the
viewers and commenters split between them. In each, the viewers connect (signed in by their
session cookie, Origin on ALLOWED_HOSTS), then the commenters post at each rate in turn
(comments per second:seconds), each followed by a drain window; deliveries, latency (the
commenter's clock in the body to the viewer's receipt), errors, server memory and CPU are
reported. A member may post one comment
every 2 s and 15 a minute, so each commenter posts once every PERIOD seconds and the rate comes
from the number of commenters (50 a second = 210 members). Data: a copy of measure_pages.py's
members database with one programme, one episode on air and a session per member. The report is
printed and saved to var/bench/broadcast-<date>.txt.
"""

import argparse
import math
import multiprocessing
import os
import secrets
import shutil
import sys
import time
from collections import Counter
from datetime import timedelta
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from broadcast_clients import (  # the sibling modules, found through sys.path
    Received,
    commenter_process,
    raise_open_files,
    viewer_process,
)
from broadcast_report import PERIOD, report
from broadcast_servers import (
    Sampler,
    cpu_seconds,
    machine_busy,
    rss_mb,
    settle,
    start_server,
    stop_servers,
)
from measure_pages import BENCH_DIR, ROOT, Database, prepare, run_manage, save

SECRET_KEY = "bench-only-broadcast"
WORK_DIR = BENCH_DIR / "broadcast"
DB_PATH = WORK_DIR / "broadcast.sqlite3"
WS_URL = "ws://127.0.0.1:{port}/ws/episodes/%d/"


def django_env(redis_url: str = "") -> dict[str, str]:
    """The local settings (DEBUG=1) on the bench database; REDIS_URL only for the Redis set-up."""
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "cityhall.settings",
        "DEBUG": "1",
        "SECRET_KEY": SECRET_KEY,
        "DATABASE_URL": f"sqlite:///{DB_PATH}",
        "VAR_DIR": str(WORK_DIR),
        "ALLOWED_HOSTS": "127.0.0.1",
        "LOG_LEVEL": "WARNING",
    }
    env.pop("REDIS_URL", None)
    if redis_url:
        env["REDIS_URL"] = redis_url
    return env


def set_up(members: int, seed: int, people: int) -> dict[str, Any]:
    """A fresh copy of the members database, a programme with an episode on air, and a session
    for each of the first `people` plain members (written directly, as a sign-in would)."""
    base = prepare(members, seed)
    WORK_DIR.mkdir(parents=True, exist_ok=True)
    for stale in (DB_PATH, Path(f"{DB_PATH}-wal"), Path(f"{DB_PATH}-shm")):
        stale.unlink(missing_ok=True)
    shutil.copyfile(base.path, DB_PATH)
    run_manage(Database(members, seed, DB_PATH), "migrate", "--noinput")
    os.environ.update(django_env())
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.db import connections, transaction
    from django.utils import timezone

    from cityhall.accounts.models import User, UserSession
    from cityhall.accounts.session_store import SessionStore
    from cityhall.broadcasts.models import Episode, Programme

    users = list(
        User.objects.filter(status=User.Status.MEMBER, role=User.Role.MEMBER).order_by("pk")[
            :people
        ]
    )
    if len(users) < people:
        raise SystemExit(f"need {people} plain members, the database has {len(users)}")
    now = timezone.now()
    store = SessionStore()
    with transaction.atomic():
        programme = Programme.objects.create(
            title="ベンチマーク放送", slug="bench", description="負荷試験用の番組です。"
        )
        episode = Episode.objects.create(
            programme=programme,
            title="ライブコメントの負荷試験",
            starts_at=now - timedelta(minutes=5),
            ends_at=now + timedelta(hours=3),
        )
        sessions = [
            UserSession(
                session_key=secrets.token_hex(16),
                session_data=store.encode(
                    {
                        SESSION_KEY: str(user.pk),
                        BACKEND_SESSION_KEY: "cityhall.accounts.backends.EmailBackend",
                        HASH_SESSION_KEY: user.get_session_auth_hash(),
                    }
                ),
                expire_date=now + timedelta(days=1),
                user=user,
                user_agent="measure_broadcast",
                ip_address="127.0.0.1",
            )
            for user in users
        ]
        UserSession.objects.bulk_create(sessions, batch_size=1000)
    connections.close_all()  # the client processes are forked from this one
    return {"episode": episode.pk, "cookies": [s.session_key for s in sessions]}


# --- one set-up ---------------------------------------------------------------------------


def collect(pipes: list[Any], command: str) -> Received:
    total = Received()
    for pipe in pipes:
        pipe.send(command)
    for pipe in pipes:
        total.add(pipe.recv()[1])
    return total


def run_setup(
    name: str, ports: list[int], redis_url: str, data: dict[str, Any], args: argparse.Namespace
) -> dict[str, Any]:
    mp = multiprocessing.get_context("fork")
    env = django_env(redis_url)
    print(f"[{name}] starting {len(ports)} server(s) …", flush=True)
    servers = [start_server(port, env, ROOT, WORK_DIR) for port in ports]
    pids = [s.pid for s in servers]
    result: dict[str, Any] = {
        "name": name,
        "processes": len(ports),
        "rss_idle": sum(rss_mb(p) for p in pids),
        "runs": [],
    }
    sampler = Sampler(pids)
    sampler.start()
    pipes, viewers = [], []
    cookies = data["cookies"][: args.viewers]
    try:
        url = WS_URL % data["episode"]
        for part in range(args.client_processes):
            ours, theirs = mp.Pipe()
            chunk = cookies[part :: args.client_processes]
            process = mp.Process(target=viewer_process, args=(url, ports, chunk, theirs))
            process.start()
            pipes.append(ours)
            viewers.append(process)
        started = time.monotonic()
        connected, errors = 0, Counter()
        for pipe in pipes:
            _, n, errs, _ = pipe.recv()
            connected += n
            errors.update(errs)
        result.update(connected=connected, connect_errors=errors, ramp=time.monotonic() - started)
        print(f"[{name}] {connected} viewers connected in {result['ramp']:.1f} s", flush=True)
        result["settle"] = settle(pids, 120)
        result["ramp_received"] = collect(pipes, "report")
        result["rss_connected"] = sum(rss_mb(p) for p in pids)
        first = args.viewers  # each rate has its own commenters (the per-minute limit)
        for rate, seconds in args.rates:
            print(f"[{name}] {rate:g} comments/s for {seconds} s …", flush=True)
            commenters = data["cookies"][first : first + math.ceil(rate * PERIOD)]
            first += len(commenters)
            result["runs"].append(
                comment_run(
                    mp,
                    ports,
                    data,
                    rate,
                    seconds,
                    commenters,
                    pids,
                    [v.pid for v in viewers],
                    pipes,
                    args,
                )
            )
        result["rss_peak"] = sum(sampler.peak.values())
        result["rss_peak_each"] = list(sampler.peak.values())
        result["exits"] = [s.poll() for s in servers]  # None: still running, as it should be
    finally:
        for pipe in pipes:
            pipe.send("stop")
        for pipe, process in zip(pipes, viewers, strict=True):
            if pipe.poll(30):
                pipe.recv()
            process.join(10)
        sampler.running = False
        stop_servers(servers)
    return result


def comment_run(
    mp: Any,
    ports: list[int],
    data: dict[str, Any],
    rate: float,
    seconds: int,
    commenters: list[str],
    pids: list[int],
    client_pids: list[int],
    pipes: list[Any],
    args: argparse.Namespace,
) -> dict[str, Any]:
    plan = {
        "episode": data["episode"],
        "ports": ports,
        "period": PERIOD,
        "csrf": "b" * 32,
        "seconds": seconds,
        "cookies": commenters,
    }
    ours, theirs = mp.Pipe()
    process = mp.Process(target=commenter_process, args=(plan, theirs))
    cpu_before = sum(cpu_seconds(p) for p in pids)
    clients_before = sum(cpu_seconds(p) for p in client_pids)
    busy_before = machine_busy()
    started = time.monotonic()
    process.start()
    client_pids = [*client_pids, process.pid]
    _, posted = ours.recv()
    clients = sum(cpu_seconds(p) for p in client_pids) - clients_before  # before it exits
    process.join()
    window = time.monotonic() - started
    cpu = (sum(cpu_seconds(p) for p in pids) - cpu_before) / window
    busy = machine_busy()
    time.sleep(args.drain)
    received = collect(pipes, "report")
    return {
        "rate": rate,
        "commenters": len(commenters),
        "posted": posted,
        "received": received,
        "server_cpu": cpu,
        "client_cpu": clients / window,
        "machine_busy": (busy[0] - busy_before[0]) / (busy[1] - busy_before[1]),
        "window": window,
    }


# --- the report ---------------------------------------------------------------------------


def redis_ready(url: str) -> None:
    """Refuse a Redis database somebody else uses; clear what an earlier run left."""
    import redis

    client = redis.Redis.from_url(url)
    ours = [*client.scan_iter("asgi*"), *client.scan_iter(":1:*")]
    if client.dbsize() > len(ours):
        raise SystemExit(f"{url} holds other data: pass --redis-url with a free database number")
    if ours:
        client.delete(*ours)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--viewers", type=int, default=3000)
    parser.add_argument(
        "--rates",
        default="5:30,50:60",
        help="comments per second and for how many seconds, in turn",
    )
    parser.add_argument("--drain", type=int, default=10, help="seconds to wait for late ones")
    parser.add_argument("--client-processes", type=int, default=3)
    parser.add_argument("--members", type=int, default=3500, help="members database to copy")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--port", type=int, default=8411, help="first port (redis: two)")
    parser.add_argument("--redis-url", default="redis://127.0.0.1:6379/11")
    parser.add_argument("--only", choices=["single", "redis"])
    args = parser.parse_args()
    args.rates = [(float(r), int(s)) for r, s in (x.split(":") for x in args.rates.split(","))]
    raise_open_files()
    people = args.viewers + sum(math.ceil(rate * PERIOD) for rate, _ in args.rates)
    data = set_up(args.members, args.seed, people)
    setups = []
    if args.only != "redis":
        setups.append(run_setup("single (in-process layer)", [args.port], "", data, args))
    if args.only != "single":
        redis_ready(args.redis_url)
        ports = [args.port + 1, args.port + 2]
        setups.append(run_setup("redis, 2 processes", ports, args.redis_url, data, args))
    save(report(setups, args, data), "broadcast")


if __name__ == "__main__":
    main()
