"""The header's count of applications waiting for staff (one cached number, staff only)."""

from typing import Any

from django import template

from cityhall.members.queue import pending_count

register = template.Library()


@register.simple_tag
def pending_application_count(user: Any) -> int:
    if not getattr(user, "is_staff_member", False):
        return 0
    return pending_count()
