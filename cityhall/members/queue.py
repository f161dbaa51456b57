"""The volunteers' review queue: what waits for a decision, the header's count, and how long
decisions usually take."""

import math
import statistics
from datetime import datetime, timedelta
from typing import Any

from django.core.cache import cache
from django.db import transaction
from django.db.models import F, QuerySet
from django.db.models.functions import Coalesce
from django.utils import timezone

from cityhall.members import evidence
from cityhall.members.models import MembershipApplication

Status = MembershipApplication.Status
COUNT_KEY = "members:pending-count"
COUNT_SECONDS = 60 * 60  # forgotten at each change of state; the timeout is a safety net
TYPICAL_KEY = "members:typical-decision-days"
TYPICAL_SECONDS = 60 * 60
TYPICAL_WINDOW = timedelta(days=90)
TYPICAL_MINIMUM = 5  # fewer decisions than this say nothing usable
QUEUE_LIMIT = 200


def pending_count() -> int:
    """Verified applications waiting for staff: one cached count for every staff page."""
    count = cache.get(COUNT_KEY)
    if count is None:
        count = MembershipApplication.objects.awaiting_review().count()
        cache.set(COUNT_KEY, count, COUNT_SECONDS)
    return int(count)


def forget_pending_count() -> None:
    """Call in any action that moves an application between states: now, and after commit so
    a page rendered in between cannot put the old count back."""
    cache.delete(COUNT_KEY)
    transaction.on_commit(lambda: cache.delete(COUNT_KEY))


def typical_decision_days(now: datetime | None = None) -> int | None:
    """The median number of days from a verified application to staff's decision over the
    last 90 days, rounded up; None with fewer than five decisions."""
    days = cache.get(TYPICAL_KEY)
    if days is None:
        now = now or timezone.now()
        decided = MembershipApplication.objects.filter(
            status__in=(Status.APPROVED, Status.REJECTED),
            decided_at__gte=now - TYPICAL_WINDOW,
        ).values_list(Coalesce("verified_at", "submitted_at"), "decided_at")
        waits = [(decided_at - start).total_seconds() for start, decided_at in decided]
        if len(waits) < TYPICAL_MINIMUM:
            days = 0
        else:
            days = max(1, math.ceil(statistics.median(waits) / 86400))
        cache.set(TYPICAL_KEY, days, TYPICAL_SECONDS)
    return int(days) or None


def queue() -> list[dict[str, Any]]:
    """What needs a decision first (the oldest verified application first), then those waiting
    for the applicant's answer; each with its evidence and how long it has waited."""
    base: QuerySet[MembershipApplication] = evidence.with_duplicate_flags(
        MembershipApplication.objects.filter(status__in=(Status.PENDING, Status.NEEDS_INFO))
    ).select_related("organization__prefecture")
    since = Coalesce("verified_at", "submitted_at")
    pending = list(base.filter(status=Status.PENDING).order_by(since.asc(), "pk")[:QUEUE_LIMIT])
    waiting = list(
        base.filter(status=Status.NEEDS_INFO).order_by(
            F("verified_at").asc(nulls_first=True), "pk"
        )[:QUEUE_LIMIT]
    )
    return [
        {
            "application": application,
            "flags": evidence.flags_for(application),
            "since": application.verified_at or application.submitted_at,
        }
        for application in [*pending, *waiting]
    ]
