"""Latency and SQL queries of the pages showing the community's numbers, cold and warm, on a
small and a large community, in one run.

    .venv/bin/python benchmarks/measure_insights.py [--members 100000] [--small 1000]

Uses the databases of measure_pages.py (var/bench/members-<n>-seed<seed>.sqlite3, built by
`manage.py generate_members` on first use) and requests, with Django's test Client:

- the staff dashboard /staff/insights/ as a signed-in staff member (second factor passed),
- the public landing page / as an anonymous visitor.

Each page is measured twice: **cold**, the cache cleared before every request, so every figure
is computed from the database; and **warm**, the figures already cached (the normal case: they
are kept for a few minutes). The two sizes are measured in alternating blocks, so a noisy
neighbour slows both alike and the large/small ratio stays meaningful. Each size keeps its
cached figures under its own cache key prefix, so a warm request never reads the other size's
numbers. The report is printed and saved to var/bench/insights-<date>.txt.
"""

import argparse
import os
import platform
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure_pages import (  # the sibling script, found through sys.path
    Database,
    count_queries,
    get,
    percentile,
    save,
    sqlite_version,
    start,
    using,
)

MODES = ("cold", "warm")


@dataclass
class Page:
    name: str
    who: str  # "staff" or "anonymous"
    url: str


PAGES = [
    Page("staff dashboard", "staff", "/staff/insights/"),
    Page("landing (anonymous)", "anonymous", "/"),
]


@contextmanager
def size(db: Database) -> Iterator[None]:
    """This size's database, and its own corner of the cache."""
    from django.core.cache import caches

    cache = caches["default"]
    previous = cache.key_prefix
    cache.key_prefix = f"bench-{db.members}"
    try:
        with using(db):
            yield
    finally:
        cache.key_prefix = previous


class ColdClient:
    """Clears the cache before each request, so every figure is computed again. (Clearing the
    in-process cache takes microseconds; it is inside the timed request.)"""

    def __init__(self, client: Any) -> None:
        self.client = client

    def get(self, url: str) -> Any:
        from django.core.cache import cache

        cache.clear()
        return self.client.get(url)


def clients(db: Database) -> dict[str, Any]:
    from django.test import Client

    from cityhall.accounts.models import User
    from cityhall.testing import sign_in

    with size(db):
        staff = User.objects.filter(role=User.Role.STAFF, status=User.Status.MEMBER).first()
        assert staff, "the database has no staff member"
        return {"staff": sign_in(Client(), staff), "anonymous": Client()}


def timed(client: Any, url: str, count: int, seconds: float) -> list[float]:
    """Up to `count` requests, but no more than `seconds` (at least one)."""
    samples: list[float] = []
    started = time.monotonic()
    while len(samples) < count and (not samples or time.monotonic() - started < seconds):
        samples.append(get(client, url))
    return samples


def measure(
    dbs: list[Database],
    users: dict[int, dict[str, Any]],
    page: Page,
    mode: str,
    args: argparse.Namespace,
) -> dict[int, dict[str, Any]]:
    def client_for(db: Database) -> Any:
        client = users[db.members][page.who]
        return ColdClient(client) if mode == "cold" else client

    times: dict[int, list[float]] = {db.members: [] for db in dbs}
    queries = {}
    for db in dbs:
        with size(db):
            get(client_for(db), page.url)  # warm: fills the cache; cold: clears it anyway
            queries[db.members] = count_queries(client_for(db), page.url)
            timed(client_for(db), page.url, args.warmup, args.budget / 20)
    started = time.monotonic()
    block = max(1, args.requests // 10)
    while any(len(t) < args.requests for t in times.values()):
        for db in dbs:
            missing = args.requests - len(times[db.members])
            if missing > 0:
                with size(db):
                    times[db.members] += timed(client_for(db), page.url, min(block, missing), 5.0)
        if time.monotonic() - started > args.budget:
            break
    return {
        members: {
            "p50": percentile(t, 50),
            "p95": percentile(t, 95),
            "n": len(t),
            "queries": queries[members],
        }
        for members, t in times.items()
    }


def report(
    dbs: list[Database],
    results: dict[tuple[str, str], dict[int, dict[str, Any]]],
    args: argparse.Namespace,
) -> str:
    import django

    small, large = dbs[0].members, dbs[-1].members
    lines = [
        f"Insights pages — {date.today().isoformat()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite_version()}, test Client, DEBUG=0, in-process cache",
        f"{args.requests} requests per page, mode and size after {args.warmup} warm-up "
        f"(fewer when a page exceeds the {args.budget:.0f} s budget); "
        "cold = cache cleared before each request",
        "",
    ]
    for db in dbs:
        size_mb = db.path.stat().st_size / 1e6
        lines.append(f"{db.members:>9,} members: {db.path.name}, {size_mb:,.0f} MB")
    lines += [
        "",
        f"{'page':<22}{'mode':<6}{'members':>9}{'p50 ms':>9}{'p95 ms':>9}{'queries':>9}{'n':>6}",
    ]
    for (name, mode), by_size in results.items():
        for members, r in by_size.items():
            lines.append(
                f"{name:<22}{mode:<6}{members:>9,}{r['p50']:>9.1f}{r['p95']:>9.1f}"
                f"{r['queries']:>9}{r['n']:>6}"
            )
    lines += [
        "",
        f"ratio {large:,} / {small:,} members",
        f"{'page':<22}{'mode':<6}{'p50':>9}{'p95':>9}   queries",
    ]
    for (name, mode), by_size in results.items():
        s, big = by_size[small], by_size[large]
        lines.append(
            f"{name:<22}{mode:<6}{big['p50'] / s['p50']:>8.2f}x"
            f"{big['p95'] / s['p95']:>8.2f}x   {s['queries']} → {big['queries']}"
        )
    lines += ["", "ratio cold / warm (p50)"]
    for page in PAGES:
        cold, warm = results[(page.name, "cold")], results[(page.name, "warm")]
        ratios = "  ".join(f"{m:,}: {cold[m]['p50'] / warm[m]['p50']:.1f}x" for m in cold)
        lines.append(f"{page.name:<28}{ratios}")
    return "\n".join(lines) + "\n"


def main() -> None:
    args, dbs = start(__doc__.splitlines()[0], requests=100, warmup=10, budget=60)
    users = {db.members: clients(db) for db in dbs}
    results = {}
    for page in PAGES:
        for mode in MODES:
            print(f"measuring {page.name}, {mode} …", flush=True)
            results[(page.name, mode)] = measure(dbs, users, page, mode, args)
    save(report(dbs, results, args), "insights")


if __name__ == "__main__":
    main()
