"""Fetching moderation cases: staff only; everyone else is told the case does not exist."""

from django.http import Http404

from cityhall.accounts.models import User
from cityhall.moderation.models import Case


def access_case(user: User, case_id: int | str) -> Case:
    try:
        pk = int(case_id)
    except (TypeError, ValueError):
        raise Http404 from None
    if not user.is_staff_member:
        raise Http404
    case = Case.objects.for_queue().filter(pk=pk).first()
    if case is None:
        raise Http404
    return case
