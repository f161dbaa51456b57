"""The members app's periodic jobs."""

from datetime import datetime, timedelta

from cityhall.core.periodic import periodic
from cityhall.members.actions import do_purge_expired_applications


@periodic("members.purge_expired_applications", every=timedelta(days=1))
def purge_expired_applications(now: datetime) -> int:
    return do_purge_expired_applications(now=now)
