"""The only way the insights pages fetch what they show one of."""

from django.http import Http404

from cityhall.accounts.models import User
from cityhall.organizations.models import Organization


def access_prefecture(user: User, code: str) -> Organization:
    """A prefecture by its 2-digit (01–47) or 6-digit (010006) code, or 404.

    Anything else — a municipality's code, 00, 48, letters — is 404. Members only (the gate
    already says so; this repeats it, as every access helper does).
    """
    if not user.is_member:
        raise Http404
    if not (code.isascii() and code.isdigit() and len(code) in (2, 6)):
        raise Http404
    prefectures = Organization.objects.filter(kind=Organization.Kind.PREFECTURE)
    if len(code) == 2:
        prefectures = prefectures.filter(code__startswith=code)
    else:
        prefectures = prefectures.filter(code=code)
    prefecture = prefectures.first()
    if prefecture is None:
        raise Http404
    return prefecture
