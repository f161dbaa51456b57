import logging
import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import close_old_connections

from cityhall.core.clock import run_due_jobs

logger = logging.getLogger(__name__)


class Command(BaseCommand):
    help = "Run the periodic jobs that are due (digests, reminders, clean-ups)."

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument(
            "--loop", type=int, default=0, metavar="SECONDS", help="keep running, every SECONDS"
        )
        parser.add_argument("--force", action="store_true", help="run every job now")

    def handle(self, *args: Any, loop: int, force: bool, **options: Any) -> None:
        while True:
            if loop:
                close_old_connections()  # one broken by a database restart is replaced
            try:
                results = run_due_jobs(force=force)
            except Exception:  # the database unreachable or not migrated: the next round retries
                if not loop:
                    raise
                logger.exception("the clock could not run its jobs; retrying in %s s", loop)
                results = {}
            for name, result in results.items():
                failed = isinstance(result, Exception)
                style = self.style.ERROR if failed else self.style.SUCCESS
                self.stdout.write(style(f"{name}: {result!r}"))
            if not loop:
                return
            time.sleep(loop)
