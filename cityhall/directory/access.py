"""The only way the directory's pages fetch what they show one of."""

from typing import Any

from django.http import Http404

from cityhall.members.models import Duty


def access_duty(user: Any, duty_id: int) -> Duty:
    """An active duty, or 404 (a retired duty no longer has a page). Members only."""
    if not getattr(user, "is_member", False):
        raise Http404
    duty = Duty.objects.active().filter(pk=duty_id).first()
    if duty is None:
        raise Http404
    return duty
