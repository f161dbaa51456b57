"""Fetching moderation cases: staff only; everyone else is told the case does not exist."""

from typing import Any

from django.http import Http404

from cityhall.moderation.models import Case


def access_case(user: Any, case_id: int | str) -> Case:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not getattr(user, "is_staff_member", False):
        raise Http404
    case = Case.objects.for_queue().filter(pk=pk).first()
    if case is None:
        raise Http404
    return case
