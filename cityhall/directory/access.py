"""The only way the directory's pages fetch what they show one of."""

from django.db.models import Q
from django.http import Http404

from cityhall.accounts.models import User
from cityhall.members.models import Duty
from cityhall.sections.models import readable_condition


def access_duty(user: User, duty_id: int) -> Duty:
    """An active duty, or 404 (a retired duty no longer has a page). Members only."""
    if not user.is_member:
        raise Http404
    duty = Duty.objects.active().filter(pk=duty_id).first()
    if duty is None:
        raise Http404
    return duty


def membership_visible(viewer: User, *, prefix: str = "") -> Q:
    """Sections whose members the viewer may see (and find people by): an open section's
    membership is visible to every member, a closed section's only to its active members and
    to staff: the rule for reading a section's content (sections.models.readable_condition).
    `prefix` reaches the section from another model, e.g. "section__"."""
    condition = readable_condition(viewer, via=prefix)
    return Q() if condition is None else condition
