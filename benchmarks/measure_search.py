"""Japanese full-text search on a million posts: index build time and size, and query latency
against a plain LIKE scan, in one run.

    .venv/bin/python benchmarks/measure_search.py [--posts 1000000] [--members 10000] [--runs 20]

Builds (or reuses) var/bench/search-<posts>-seed<seed>.sqlite3: `migrate`, `generate_members`,
then `generate_posts` (the same realistic Japanese posts as the page benchmarks; one comment per
post on average, to keep the build short). Then, in this process with the suite's settings:
builds the post index (`cityhall.search.index.rebuild`, as `manage.py reindex --kind post` does)
and reports its time and size (SQLite's dbstat); then, as a plain member (so the closed-section
condition is in the SQL), times each query the way the search page runs it (the count and the
first page of 20) against the same question asked with LIKE over the posts' title and body,
the two alternating so they share the machine's noise. The report is printed and saved to
var/bench/search-<date>.txt.
"""

import argparse
import json
import os
import platform
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure_pages import (  # the sibling script, found through sys.path
    BENCH_DIR,
    ROOT,
    SETTINGS,
    Database,
    percentile,
    run_manage,
    save,
    sqlite_version,
)

QUERIES = [
    ("two characters", "接種"),
    ("two characters", "防災"),
    ("two characters", "財政"),
    ("two characters", "窓口"),
    ("longer", "マイナンバーカード"),
    ("longer", "ガバメントクラウド"),
    ("longer", "地域おこし協力隊"),
    ("multi-word", "防災 訓練"),
    ("multi-word", "子育て 支援 窓口"),
    ("phrase + exclusion", '"ふるさと納税" -返礼品'),
]
PAGE = 20


def prepare(posts: int, members: int, seed: int) -> tuple[Database, dict[str, Any]]:
    BENCH_DIR.mkdir(parents=True, exist_ok=True)
    db = Database(members, seed, BENCH_DIR / f"search-{posts}-seed{seed}.sqlite3")
    marker = db.path.with_suffix(".json")
    info = json.loads(marker.read_text()) if marker.exists() else {}
    if not info.get("generated") or not db.path.exists():
        for stale in (db.path, Path(f"{db.path}-wal"), Path(f"{db.path}-shm"), marker):
            stale.unlink(missing_ok=True)
        print(f"building {db.path.name} …", flush=True)
        run_manage(db, "migrate", "--noinput")
        started = time.monotonic()
        run_manage(db, "generate_members", "--members", str(members), "--seed", str(seed),
                   "--applications", "0", "--force")  # fmt: skip
        run_manage(db, "generate_posts", "--posts", str(posts), "--comments", str(posts),
                   "--seed", str(seed), "--force")  # fmt: skip
        info = {"generated": True, "generation_s": round(time.monotonic() - started, 1)}
        marker.write_text(json.dumps(info))
    run_manage(db, "migrate", "--noinput")
    return db, info


def table_sizes() -> dict[str, int]:
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT name, SUM(pgsize) FROM dbstat GROUP BY name")
        return {name: size for name, size in cursor.fetchall()}


def is_document_table(name: str) -> bool:
    """The document table and its indexes, not the FTS5 tables."""
    if name.startswith("search_document_fts"):
        return False
    return name.startswith(("search_document", "sqlite_autoindex_search_document", "search_doc_"))


def build_index(db: Database, info: dict[str, Any], rebuild_anyway: bool) -> dict[str, Any]:
    from django.db import connection

    from cityhall.search import registry
    from cityhall.search.index import rebuild

    if info.get("index") and not rebuild_anyway:
        return info["index"]
    kind = registry.get("post")
    assert kind is not None
    started = time.monotonic()
    last = [started]

    def progress(done: int, total: int) -> None:
        if time.monotonic() - last[0] > 30 or done == total:
            last[0] = time.monotonic()
            print(f"  indexed {done:,} / {total:,} posts ({last[0] - started:.0f} s)", flush=True)

    documents = rebuild(kind, progress)
    build_s = time.monotonic() - started
    started = time.monotonic()
    with connection.cursor() as cursor:  # merge FTS5's segments, as after any bulk load
        cursor.execute("INSERT INTO search_document_fts(search_document_fts) VALUES ('optimize')")
    optimize_s = time.monotonic() - started
    sizes = table_sizes()
    index = {
        "documents": documents,
        "build_s": round(build_s, 1),
        "optimize_s": round(optimize_s, 1),
        "fts_bytes": sum(v for k, v in sizes.items() if k.startswith("search_document_fts")),
        "document_bytes": sum(v for k, v in sizes.items() if is_document_table(k)),
        "posts_bytes": sizes.get("posts_post", 0),
    }
    info["index"] = index
    db.path.with_suffix(".json").write_text(json.dumps(info))
    return index


def runners(viewer: Any, q: str) -> dict[str, Any]:
    """The search page's work (count + first page), three ways."""
    from django.core.paginator import Paginator
    from django.db.models import Q

    from cityhall.posts.models import Post
    from cityhall.search import engine
    from cityhall.search.query import parse

    query = parse(q)

    def fts(order: str, candidates: int | None = None) -> Any:
        def run() -> int:
            kept = engine.RELEVANCE_CANDIDATES
            # candidates: how many of the newest hits relevance scores (the shipped cap, or
            # every hit, as before the cap, to compare in the same run).
            engine.RELEVANCE_CANDIDATES = candidates or kept
            try:
                docs = engine.search(viewer, query, engine.Filters(kind="post", order=order))
                page = Paginator(docs, PAGE).page(1)
                engine.documents(list(page.object_list))
            finally:
                engine.RELEVANCE_CANDIDATES = kept
            return page.paginator.count

        return run

    # LIKE gets the words as typed (it cannot fold width, case or kana) and looks where the
    # index looks: the title, the body and a case study's texts.
    words = [w.strip('"') for w in q.split()]
    include = [w for w in words if not w.startswith("-")]
    exclude = [w[1:] for w in words if w.startswith("-")]

    def anywhere(word: str) -> Q:
        fields = ["title", "body", "case_what", "case_outcome"]
        return Q(*[Q(**{f"{f}__contains": word}) for f in fields], _connector=Q.OR)

    def like() -> int:
        posts = Post.objects.visible_to(viewer).alive()
        for word in include:
            posts = posts.filter(anywhere(word))
        for word in exclude:
            posts = posts.exclude(anywhere(word))
        page = Paginator(posts.order_by("-created_at", "-id"), PAGE).page(1)
        list(page.object_list)
        return page.paginator.count

    return {"index, relevance": fts(engine.RELEVANCE), "index, newest": fts(engine.NEWEST),
            "index, relevance, every hit scored": fts(engine.RELEVANCE, candidates=10**9),
            "LIKE scan, newest": like}  # fmt: skip


def measure(viewer: Any, runs: int, budget: float) -> list[dict[str, Any]]:
    rows = []
    for category, q in QUERIES:
        ways = runners(viewer, q)
        hits = {name: run() for name, run in ways.items()}  # also warms the cache
        samples: dict[str, list[float]] = {name: [] for name in ways}
        started = time.monotonic()
        while min(len(s) for s in samples.values()) < runs:
            for name, run in ways.items():
                t = time.perf_counter()
                run()
                samples[name].append(time.perf_counter() - t)
            if time.monotonic() - started > budget:
                break
        row = {"category": category, "q": q, "hits": hits, "n": len(samples["LIKE scan, newest"])}
        for name, s in samples.items():
            row[name] = (percentile(s, 50), percentile(s, 95))
        print(f"  {q}: " + ", ".join(f"{k} p50 {v[0]:.1f} ms" for k, v in row.items()
                                      if isinstance(v, tuple)), flush=True)  # fmt: skip
        rows.append(row)
    return rows


def report(args: argparse.Namespace, info: dict[str, Any], rows: list[dict[str, Any]]) -> str:
    import django

    from cityhall.search import engine

    index = info["index"]
    mb = 1024 * 1024
    lines = [
        f"Search — {date.today().isoformat()}, {os.cpu_count()} cores, Python "
        f"{platform.python_version()}, Django {django.get_version()}, SQLite {sqlite_version()}",
        f"{args.posts:,} posts ({args.members:,} members), as a plain member; the count and the "
        f"first page of {PAGE}, {args.runs} runs per way after one warm-up, ways alternating",
        "",
        f"Index build: {index['documents']:,} documents in {index['build_s']} s "
        f"(+ FTS5 optimize {index['optimize_s']} s)",
        f"Size: FTS5 index {index['fts_bytes'] / mb:,.0f} MB, document table and its indexes "
        f"{index['document_bytes'] / mb:,.0f} MB; the posts table itself "
        f"{index['posts_bytes'] / mb:,.0f} MB",
        "",
        f"Relevance scores the newest {engine.RELEVANCE_CANDIDATES:,} hits; 'every hit scored' "
        "is the same search without that cap (as before it), for comparison.",
        "",
        "| query | kind | hits (index / LIKE) | index, relevance p50 / p95 | every hit scored "
        "p50 / p95 | index, newest p50 / p95 | LIKE p50 / p95 | LIKE ÷ index (p50, relevance) |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for row in rows:
        rel, new, like = row["index, relevance"], row["index, newest"], row["LIKE scan, newest"]
        every = row["index, relevance, every hit scored"]
        hits = f"{row['hits']['index, relevance']:,} / {row['hits']['LIKE scan, newest']:,}"
        lines.append(
            f"| {row['q']} | {row['category']} | {hits} | {rel[0]:.1f} / {rel[1]:.1f} | "
            f"{every[0]:.1f} / {every[1]:.1f} | {new[0]:.1f} / {new[1]:.1f} | "
            f"{like[0]:.0f} / {like[1]:.0f} | {like[0] / rel[0]:.0f}× |"
        )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=1_000_000)
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--budget", type=float, default=300, help="seconds per query, roughly")
    parser.add_argument("--reindex", action="store_true", help="rebuild the index even if built")
    args = parser.parse_args()

    db, info = prepare(args.posts, args.members, args.seed)
    os.environ["DJANGO_SETTINGS_MODULE"] = SETTINGS
    os.environ["DATABASE_URL"] = db.url
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from cityhall.accounts.models import User

    print("building the index …", flush=True)
    info["index"] = build_index(db, info, args.reindex)
    viewer = User.objects.filter(status="member", role="member").order_by("pk").first()
    print("measuring …", flush=True)
    rows = measure(viewer, args.runs, args.budget)
    save(report(args, info, rows), "search")


if __name__ == "__main__":
    main()
