"""What staff read about an applicant's own corrections (the audit keeps field names only)."""

from collections.abc import Iterable
from typing import Any

from django import template
from django.core.exceptions import FieldDoesNotExist
from django.utils.translation import gettext as _

from cityhall.members.models import MembershipApplication

register = template.Library()
CORRECTED = "members.application.corrected"


@register.filter
def corrections(history: Iterable[Any]) -> list[Any]:
    """The applicant's corrections among an application's audit entries, oldest first."""
    return [entry for entry in history if entry.action == CORRECTED]


@register.filter
def answer_labels(fields: Any) -> str:
    """["department", "duties"] → 所属部署、担当業務 (an unknown name as it is)."""
    labels = []
    for name in fields or ():
        try:
            field = MembershipApplication._meta.get_field(name)
        except FieldDoesNotExist:
            labels.append(str(name))
            continue
        labels.append(str(getattr(field, "verbose_name", name)))
    return _("、").join(labels)
