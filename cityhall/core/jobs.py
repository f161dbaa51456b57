"""The core's periodic jobs."""

from datetime import datetime, timedelta

from cityhall.core.actions import do_forget_submissions
from cityhall.lib.periodic import periodic


@periodic("core.forget_submissions", every=timedelta(hours=1))
def forget_submissions(now: datetime) -> int:
    return do_forget_submissions(now=now)
