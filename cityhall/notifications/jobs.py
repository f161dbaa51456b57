"""The notifications app's periodic jobs."""

from datetime import datetime, timedelta

from cityhall.core.periodic import periodic
from cityhall.notifications.actions import do_send_digests


# Evenings start on the hour: a five-minute rhythm sends each digest within minutes of it.
@periodic("notifications.send_digests", every=timedelta(minutes=5))
def send_digests(now: datetime) -> int:
    return do_send_digests(now=now)
