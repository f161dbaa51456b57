"""Jobs that run on the clock: digests, reminders, clean-ups.

An app registers a job in its ``AppConfig.ready()`` (import the module that uses ``@periodic``).
``manage.py tick`` runs every job whose interval has passed since its last run; ``manage.py serve``
calls it once a minute, and production runs it from cron or a systemd timer.

Each job receives ``now`` and must be idempotent and decide for itself what is due at that moment
(for example "digests for members whose evening has come and who have not had today's"), so a
tick that runs twice, late, or after hours of downtime catches up without sending anything twice.
"""

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Job:
    name: str
    every: timedelta
    run: Callable[[datetime], Any]


JOBS: dict[str, Job] = {}


def periodic(name: str, *, every: timedelta) -> Callable[[Callable[[datetime], Any]], Any]:
    """Register ``func(now)`` to run at most once per ``every``."""

    def register(func: Callable[[datetime], Any]) -> Callable[[datetime], Any]:
        JOBS[name] = Job(name=name, every=every, run=func)
        return func

    return register
