"""Writes that belong to no domain: forgetting spent submission keys."""

from datetime import datetime

from cityhall.core.models import Submission
from cityhall.core.submissions import KEEP_FOR


def do_forget_submissions(*, now: datetime) -> int:
    """The clock's clean-up: a key older than KEEP_FOR is no longer sent again by any page."""
    deleted, _ = Submission.objects.filter(created_at__lt=now - KEEP_FOR).delete()
    return deleted
