"""Running the registered periodic jobs (cityhall/core/periodic.py) and remembering when."""

import logging
from datetime import datetime
from typing import Any

from django.db import transaction
from django.utils import timezone

from cityhall.core.models import PeriodicRun
from cityhall.core.periodic import JOBS

logger = logging.getLogger(__name__)


def run_due_jobs(now: datetime | None = None, *, force: bool = False) -> dict[str, Any]:
    """Run every job whose interval has passed; one failing job does not stop the others.
    Returns each run job's result (or the exception it raised)."""
    now = now or timezone.now()
    last = dict(PeriodicRun.objects.values_list("name", "last_run_at"))
    results: dict[str, Any] = {}
    for job in JOBS.values():
        previous = last.get(job.name)
        if not force and previous is not None and now - previous < job.every:
            continue
        try:
            with transaction.atomic():
                results[job.name] = job.run(now)
        except Exception as error:  # logged; the next tick retries
            logger.exception("periodic job %s failed", job.name)
            results[job.name] = error
            continue
        PeriodicRun.objects.update_or_create(name=job.name, defaults={"last_run_at": now})
    return results
