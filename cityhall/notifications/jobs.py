"""The notifications app's periodic jobs."""

from datetime import datetime, timedelta

from cityhall.lib.periodic import periodic
from cityhall.notifications import mail
from cityhall.notifications.actions import do_send_digests


# Evenings start on the hour: a five-minute rhythm sends each digest within minutes of it.
@periodic("notifications.send_digests", every=timedelta(minutes=5))
def send_digests(now: datetime) -> int:
    return do_send_digests(now=now)


# The outbox is the truth: whatever the worker lost, the clock hands on within a minute or two.
@periodic("notifications.sweep_outbox", every=timedelta(minutes=1))
def sweep_outbox(now: datetime) -> int:
    return mail.sweep_outbox(now)
