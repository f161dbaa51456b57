"""`manage.py worker`: the background worker (mail, reminders, exports) that outlives outages.

django-tasks' `db_worker` exits when the database goes away (a PostgreSQL restart, a locked or
missing SQLite file); this one waits, reconnects and goes on, so a short outage only delays the
work. Tasks themselves are unchanged: the same queue, the same claims.
"""

import contextlib
import logging
import time
from typing import Any

from django.db import DatabaseError, connections
from django_tasks_db.management.commands.db_worker import Command as DbWorkerCommand
from django_tasks_db.management.commands.db_worker import Worker

logger = logging.getLogger("cityhall.worker")
MAX_PAUSE = 30.0  # seconds between attempts while the database stays away


class ResilientWorker(Worker):
    def run(self) -> None:
        pause = 1.0
        while self.running:
            started = time.monotonic()
            try:
                super().run()
            except DatabaseError as error:
                if time.monotonic() - started > 60:
                    pause = 1.0  # it had been working: a new outage starts short again
                logger.warning("database unreachable (%s); retrying in %.0f s", error, pause)
                _close_connections()
                self._pause(pause)
                pause = min(pause * 2, MAX_PAUSE)

    def _pause(self, seconds: float) -> None:
        deadline = time.monotonic() + seconds
        while self.running and time.monotonic() < deadline:
            time.sleep(min(0.2, seconds))


def _close_connections() -> None:
    for connection in connections.all(initialized_only=True):
        with contextlib.suppress(DatabaseError):  # broken: a fresh one opens on next use
            connection.close()


class Command(DbWorkerCommand):
    help = "Run the background worker, reconnecting after a database outage."

    def handle(self, *, verbosity: int, interval: float, **options: Any) -> None:
        self.configure_logging(verbosity)
        worker = ResilientWorker(
            queue_names=options["queue_name"].split(","),
            interval=interval,
            batch=False,
            backend_name=options["backend_name"],
            startup_delay=options["startup_delay"],
            max_tasks=None,
            worker_id=options["worker_id"],
            excluded_queue_names=[],
        )
        worker.configure_signals()
        worker.run()
