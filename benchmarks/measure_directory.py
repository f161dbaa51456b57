"""Latency and SQL queries of the member directory, on a small and a large community, in one run.

    .venv/bin/python benchmarks/measure_directory.py [--members 100000] [--small 1000]

Uses the same databases as measure_pages.py (its prepare() builds or reuses them) and the same
method: a signed-in member (not staff, so every visibility condition applies) requests each page
with Django's test Client, the sizes alternating in blocks. The report is printed and saved to
var/bench/directory-<date>.txt.
"""

import argparse
import os
import platform
import sys
from datetime import date
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure_pages import (  # the sibling script, found through sys.path
    Database,
    Page,
    measure,
    save,
    size_table,
    sqlite_version,
    start,
    using,
)

PAGES = [
    Page("search: no filter", "member", lambda s: "/directory/"),
    Page("search: name サトウ", "member", lambda s: "/directory/?" + urlencode({"q": "サトウ"})),
    Page("search: prefecture", "member", lambda s: f"/directory/?prefecture={s['prefecture']}"),
    Page("search: duty", "member", lambda s: f"/directory/?duty={s['duty']}"),
    Page("search: duty, page 20", "member", lambda s: f"/directory/?duty={s['duty']}&page=20"),
    Page("duty list (cold)", "cold", lambda s: "/directory/duties/"),
    Page("duty list (warm)", "member", lambda s: "/directory/duties/"),
    Page("duty page", "member", lambda s: f"/directory/duties/{s['duty']}/"),
]


class SizedClient:
    """Keeps each size's cached figures (the duty counts) apart, so a warm request never reads
    the other database's; `cold` also clears the cache before every request, so the counts are
    computed from the database (what the first visitor after they expire waits for)."""

    def __init__(self, client: Any, members: int, *, cold: bool = False) -> None:
        self.client, self.prefix, self.cold = client, f"bench-{members}", cold

    def get(self, url: str) -> Any:
        from django.core.cache import cache, caches

        caches["default"].key_prefix = self.prefix
        if self.cold:
            cache.clear()
        return self.client.get(url)


def scenario(db: Database) -> dict[str, Any]:
    """A plain member of 猿払村 (北海道) looks for 児童手当 and for members in 東京都."""
    from django.test import Client

    from cityhall.accounts.models import User
    from cityhall.members.models import Duty
    from cityhall.organizations.models import Organization
    from cityhall.testing import sign_in

    with using(db):
        viewer = (
            User.objects.filter(status=User.Status.MEMBER, role=User.Role.MEMBER)
            .order_by("pk")
            .first()
        )
        assert viewer, "the database has no member"
        client = sign_in(Client(), viewer)
        return {
            "clients": {
                "member": SizedClient(client, db.members),
                "cold": SizedClient(client, db.members, cold=True),
            },
            "duty": Duty.objects.get(name="児童手当").pk,
            "prefecture": Organization.objects.get(code="130001").pk,
        }


def report(dbs: list[Database], results: dict[str, dict[int, dict[str, Any]]],
           args: argparse.Namespace) -> str:  # fmt: skip
    import django

    small, large = dbs[0].members, dbs[-1].members
    lines = [
        f"Directory pages — {date.today().isoformat()}, {os.cpu_count()} cores, "
        f"Python {platform.python_version()}, Django {django.get_version()}, "
        f"SQLite {sqlite_version()}, test Client, DEBUG=0, as a member",
        f"{args.requests} requests per page and size after {args.warmup} warm-up "
        f"(fewer when a page exceeds the {args.budget:.0f} s budget)",
    ]
    return "\n".join([*lines, "", *size_table(results, small, large, width=24)]) + "\n"


def main() -> None:
    args, dbs = start(__doc__.splitlines()[0], requests=100, warmup=10, budget=60)
    scenarios = {db.members: scenario(db) for db in dbs}
    results = {}
    for page in PAGES:
        print(f"measuring {page.name} …", flush=True)
        results[page.name] = measure(dbs, scenarios, page, args)
    save(report(dbs, results, args), "directory")


if __name__ == "__main__":
    main()
