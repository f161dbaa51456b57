"""Rebuild the search index from the sources, showing progress.

manage.py reindex                 every kind, from scratch
manage.py reindex --kind post     one kind (repeatable)
manage.py reindex --repair        only what is missing or left over (quick)
"""

import time
from typing import Any

from django.core.management.base import BaseCommand, OutputWrapper

from cityhall.search import registry
from cityhall.search.index import rebuild, repair
from cityhall.search.models import Document


class Progress:
    """Prints "post: 12,000 / 1,000,000 (1%), 3,400/s, about 290 s left" at most every second."""

    def __init__(self, name: str, out: OutputWrapper) -> None:
        self.name, self.out = name, out
        self.started = self.reported = time.monotonic()

    def __call__(self, done: int, total: int) -> None:
        now = time.monotonic()
        if now - self.reported < 1 and done < total:
            return
        self.reported = now
        rate = done / max(now - self.started, 1e-6)
        left = (total - done) / rate if rate else 0
        share = 100 * done / total if total else 100
        self.out.write(
            f"{self.name}: {done:,} / {total:,} ({share:.0f}%), {rate:,.0f}/s, "
            f"about {left:,.0f} s left"
        )
        self.out.flush()

    @property
    def elapsed(self) -> float:
        return time.monotonic() - self.started


class Command(BaseCommand):
    help = "Rebuild the search index (all kinds, or those given with --kind), with progress."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--kind", action="append", choices=[k.name for k in registry.kinds()])
        parser.add_argument(
            "--repair", action="store_true", help="index only missing objects, drop leftovers"
        )

    def handle(self, *args: Any, **options: Any) -> None:
        names = options["kind"] or [k.name for k in registry.kinds()]
        for name in names:
            kind = registry.get(name)
            assert kind is not None  # argparse checked the choice
            progress = Progress(name, self.stdout)
            if options["repair"]:
                fixed = repair(kind, limit=10**9)
                self.stdout.write(f"{name}: {fixed:,} repaired in {progress.elapsed:.1f} s")
                continue
            written = rebuild(kind, progress)
            self.stdout.write(
                self.style.SUCCESS(f"{name}: {written:,} documents in {progress.elapsed:.1f} s")
            )
        self.stdout.write(f"Index: {Document.objects.count():,} documents in all.")
