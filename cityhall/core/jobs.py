"""The core's periodic jobs."""

from datetime import datetime, timedelta

from cityhall.core import mail
from cityhall.core.actions import do_forget_submissions
from cityhall.core.periodic import periodic


@periodic("core.forget_submissions", every=timedelta(hours=1))
def forget_submissions(now: datetime) -> int:
    return do_forget_submissions(now=now)


# The outbox is the truth: whatever the worker lost, the clock hands on within a minute or two.
@periodic("core.sweep_outbox", every=timedelta(minutes=1))
def sweep_outbox(now: datetime) -> int:
    return mail.sweep_outbox(now)
