"""Latency and SQL queries of the posts pages, on a small and a large community, in one run.

    .venv/bin/python benchmarks/measure_posts.py [--members 100000 --posts 1000000]
                                                 [--small 1000 --small-posts 10000]

Builds (or reuses) one SQLite database per size under var/bench/: a copy of measure_pages.py's
members database, migrated, with `manage.py generate_posts` on top. A signed-in member (not
staff, so every visibility condition is in the SQL) requests each page with Django's test
Client, the two sizes alternating in blocks as in measure_pages.py. A second table shows that
the queries per page do not grow with the items a page shows. The report is printed and saved
to var/bench/posts-<date>.txt.
"""

import argparse
import hashlib
import json
import os
import platform
import shutil
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure_pages import (  # the sibling script, found through sys.path
    BENCH_DIR,
    GENERATOR_SOURCES,
    ROOT,
    SETTINGS,
    Database,
    Page,
    count_queries,
    measure,
    prepare,
    run_manage,
    save,
    size_table,
    sqlite_version,
    using,
)

POSTS_SOURCES = [
    *GENERATOR_SOURCES,
    ROOT / "cityhall/posts/management/commands/generate_posts.py",
    ROOT / "cityhall/posts/management/texts.py",
    ROOT / "cityhall/posts/management/phrases.py",
    ROOT / "cityhall/sections/management/demo_sections.py",
]


def posts_generator_version() -> str:
    digest = hashlib.sha256()
    for path in POSTS_SOURCES:
        digest.update(path.read_bytes())
    return digest.hexdigest()[:16]


def prepare_posts(members: int, posts: int, seed: int) -> Database:
    """The members database of that size, copied, migrated and filled with posts; reused while
    the generators are unchanged (their fingerprint sits in the .json beside it)."""
    path = BENCH_DIR / f"posts-{members}-{posts}-seed{seed}.sqlite3"
    db = Database(members, seed, path)
    marker = path.with_suffix(".json")
    info = json.loads(marker.read_text()) if marker.exists() else {}
    if info.get("generator") != posts_generator_version() or not path.exists():
        base = prepare(members, seed)
        for stale in (path, Path(f"{path}-wal"), Path(f"{path}-shm"), marker):
            stale.unlink(missing_ok=True)
        print(f"building {path.name} …", flush=True)
        shutil.copyfile(base.path, path)
        run_manage(db, "migrate", "--noinput")
        started = time.monotonic()
        out = run_manage(db, "generate_posts", "--posts", str(posts), "--seed", str(seed),
                         "--force")  # fmt: skip
        info = {
            "generator": posts_generator_version(),
            "generation_seconds": round(time.monotonic() - started, 1),
            "generator_says": out.strip().splitlines()[-1],
            "members_generation_seconds": base.info["generation_seconds"],
            "built_on": date.today().isoformat(),
        }
        marker.write_text(json.dumps(info, ensure_ascii=False, indent=1))
    else:
        print(f"reusing {path.name}", flush=True)
        run_manage(db, "migrate", "--noinput")  # schema changes since it was built
    db.info = info
    return db


# --- measuring, in this process ----------------------------------------------------------


def feed_exists() -> bool:
    """The home feed is measured where the project has one."""
    from django.urls import Resolver404, resolve

    try:
        resolve("/feed/")
    except Resolver404:
        return False
    return True


def pages() -> list[Page]:
    listed = [
        Page("lobby", "member", lambda s: "/posts/"),
        Page("section", "member", lambda s: f"/posts/sections/{s['section']}/"),
        Page("unanswered questions", "member", lambda s: "/posts/unanswered/"),
        Page("post, 200 comments", "member", lambda s: f"/posts/{s['long_post']}/"),
        Page("post, 3 comments", "member", lambda s: f"/posts/{s['short_post']}/"),
        Page("directory: name サトウ", "member",
             lambda s: "/directory/?" + urlencode({"q": "サトウ"})),
    ]  # fmt: skip
    if feed_exists():
        listed.append(Page("home feed", "member", lambda s: "/feed/"))
    return listed


# The same lists, their last page: a few items instead of a full page (posts: 3 comments).
FEW = {
    "lobby": lambda s: f"/posts/?{s['lobby_tail']}",
    "section": lambda s: f"/posts/sections/{s['section']}/?{s['section_tail']}",
    "unanswered questions": lambda s: f"/posts/unanswered/?{s['unanswered_tail']}",
    "post, 200 comments": lambda s: f"/posts/{s['short_post']}/",
    "home feed": lambda s: f"/feed/?{s['feed_tail']}",
}


def tail_cursor(posts: Any, keep: int = 3) -> str:
    """The cursor after which a newest-first list has only `keep` posts left: its last page."""
    last = posts.order_by("last_activity_at", "id")[keep : keep + 1].first()
    return urlencode({"before": f"{last.last_activity_at.isoformat()}|{last.pk}"}) if last else ""


def scenario(db: Database) -> dict[str, Any]:
    """A plain member who belongs to a few sections reads the lobby, the busiest open
    section, the unanswered questions, the long thread and a short one."""
    from django.db.models import Count
    from django.test import Client

    from cityhall.accounts.models import User
    from cityhall.posts.models import Post
    from cityhall.sections.models import Section, SectionMembership
    from cityhall.testing import sign_in

    with using(db):
        joined = (
            SectionMembership.objects.filter(status="active", user__role=User.Role.MEMBER)
            .values("user_id")
            .annotate(n=Count("id"))
            .filter(n__gte=3)
            .order_by("user_id")
        )
        viewer = User.objects.get(pk=joined[0]["user_id"])
        busiest = (
            Post.objects.filter(section__is_closed=False)
            .values("section_id")
            .annotate(n=Count("id"))
            .order_by("-n")[0]["section_id"]
        )
        section = Section.objects.get(pk=busiest)
        readable = Post.objects.visible_to(viewer).alive()
        long_post = Post.objects.get(comment_count=200)
        short_post = readable.filter(section=None, comment_count=3).order_by("-pk").first()
        unanswered = readable.filter(kind="question", accepted_comment=None, comment_count=0)
        return {
            "clients": {"member": sign_in(Client(), viewer)},
            "section": section.slug,
            "long_post": long_post.pk,
            "short_post": short_post.pk,
            "lobby_tail": tail_cursor(readable.filter(section=None, is_pinned=False)),
            "section_tail": tail_cursor(readable.filter(section=section, is_pinned=False)),
            "unanswered_tail": tail_cursor(unanswered),
            "feed_tail": tail_cursor(readable.filter(kind="announcement")),
            "sections_joined": joined[0]["n"],
        }


def items_table(dbs: list[Database], scenarios: dict[int, dict[str, Any]],
                listed: list[Page]) -> list[str]:  # fmt: skip
    """Queries for a full page and for the list's last page, at each size."""
    header = f"{'page':<24}{'members':>9}{'full page':>11}{'last page':>11}"
    lines = [header]
    for page in listed:
        if page.name not in FEW:
            continue
        for db in dbs:
            s = scenarios[db.members]
            client = s["clients"][page.who]
            with using(db):
                full = count_queries(client, page.url(s))
                few = count_queries(client, FEW[page.name](s))
            lines.append(f"{page.name:<24}{db.members:>9,}{full:>11}{few:>11}")
    return lines


def slow_queries(db: Database, scenarios: dict[int, dict[str, Any]], listed: list[Page],
                 threshold_ms: float) -> list[str]:  # fmt: skip
    """At the large size: every SELECT of each page slower than the threshold, with SQLite's
    plan for it. Each is run again and read to the end: SQLite does much of its work while
    the rows are fetched, after the time Django records for the query."""
    import time

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    lines: list[str] = []
    s = scenarios[db.members]
    with using(db):
        for page in listed:
            with CaptureQueriesContext(connection) as captured:
                s["clients"][page.who].get(page.url(s))
            for query in captured.captured_queries:
                sql = query["sql"]
                if not sql.lstrip().upper().startswith("SELECT"):
                    continue
                with connection.cursor() as cursor:
                    started = time.perf_counter()
                    cursor.execute(sql)
                    cursor.fetchall()
                    ms = 1000 * (time.perf_counter() - started)
                    if ms < threshold_ms:
                        continue
                    lines += ["", f"{page.name}: {ms:.0f} ms", f"  {sql[:400]} …{sql[-300:]}"]
                    cursor.execute("EXPLAIN QUERY PLAN " + sql)
                    lines += [f"    {row[-1]}" for row in cursor.fetchall()]
    return lines or [f"(no query over {threshold_ms:.0f} ms)"]


def data_table(dbs: list[Database]) -> list[str]:
    from django.db import connection

    lines = [f"{'members':>9}{'posts':>11}{'comments':>11}{'reactions':>11}{'sections':>9}"
             f"{'MB':>7}{'posts gen s':>13}"]  # fmt: skip
    for db in dbs:
        with using(db), connection.cursor() as cursor:
            counts = []
            for table in ("posts_post", "posts_comment", "posts_reaction", "sections_section"):
                cursor.execute(f"SELECT COUNT(*) FROM {table}")
                counts.append(cursor.fetchone()[0])
        size_mb = db.path.stat().st_size / 1e6
        seconds = db.info["generation_seconds"]
        lines.append(f"{db.members:>9,}{counts[0]:>11,}{counts[1]:>11,}{counts[2]:>11,}"
                     f"{counts[3]:>9}{size_mb:>7,.0f}{seconds:>13}")  # fmt: skip
    return lines


def report(dbs: list[Database], scenarios: dict[int, dict[str, Any]],
           results: dict[str, dict[int, dict[str, Any]]], listed: list[Page],
           args: argparse.Namespace) -> str:  # fmt: skip
    import django

    small, large = dbs[0].members, dbs[-1].members
    lines = [
        f"Posts pages — {date.today().isoformat()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite_version()}, test Client, DEBUG=0, as a member of "
        f"{scenarios[large]['sections_joined']} sections",
        f"{args.requests} requests per page and size after {args.warmup} warm-up "
        f"(fewer when a page exceeds the {args.budget:.0f} s budget)",
        ""
        if feed_exists()
        else "/feed/ does not exist in this checkout: the home feed is measured once it does.",
        *data_table(dbs),
        "",
        *size_table(results, small, large, width=24),
        "",
        "Queries per page: a full page of items, and the list's last page (3 items; for the "
        "post page, a post with 3 comments)",
        *items_table(dbs, scenarios, listed),
        "",
        f"Queries over {args.slow:.0f} ms at {large:,} members, with SQLite's plan:",
        *slow_queries(dbs[-1], scenarios, listed, args.slow),
    ]
    return "\n".join(lines) + "\n"


def start() -> tuple[argparse.Namespace, list[Database]]:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--members", type=int, default=100_000, help="the large community")
    parser.add_argument("--posts", type=int, default=1_000_000, help="its posts")
    parser.add_argument("--small", type=int, default=1_000, help="the small community")
    parser.add_argument("--small-posts", type=int, default=10_000, help="its posts")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--requests", type=int, default=100, help="timed requests per page")
    parser.add_argument("--warmup", type=int, default=10)
    parser.add_argument("--budget", type=float, default=60, help="seconds per page, roughly")
    parser.add_argument("--slow", type=float, default=20, help="report queries slower (ms)")
    args = parser.parse_args()
    dbs = [
        prepare_posts(args.small, args.small_posts, args.seed),
        prepare_posts(args.members, args.posts, args.seed),
    ]
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = dbs[0].url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    return args, dbs


def main() -> None:
    args, dbs = start()
    scenarios = {db.members: scenario(db) for db in dbs}
    listed = pages()
    results = {}
    for page in listed:
        print(f"measuring {page.name} …", flush=True)
        results[page.name] = measure(dbs, scenarios, page, args)
    save(report(dbs, scenarios, results, listed, args), "posts")


if __name__ == "__main__":
    main()
