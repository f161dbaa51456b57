"""The header's count of applications waiting for staff (one cached number, staff only)."""

from django import template
from django.contrib.auth.models import AnonymousUser

from cityhall.accounts.models import User
from cityhall.members.queue import pending_count

register = template.Library()


@register.simple_tag
def pending_application_count(user: User | AnonymousUser) -> int:
    # Templates pass their `user`, which is anonymous on public pages.
    if not getattr(user, "is_staff_member", False):
        return 0
    return pending_count()
