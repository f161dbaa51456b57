"""Hooks for the apps above members (they connect receivers; members never imports them)."""

from django.dispatch import Signal

# Sent inside the transaction of do_verify_email, with `application`: it is now waiting for
# staff's review.
application_verified = Signal()
