"""Fetching accounts and sessions with the permission check built in."""

from django.http import Http404
from django.utils import timezone
from django.utils.crypto import salted_hmac

from cityhall.accounts.models import User, UserSession


def session_public_id(session_key: str) -> str:
    """A stable id for a session that does not reveal its key (keys are bearer secrets)."""
    return salted_hmac("cityhall.accounts.session-id", session_key).hexdigest()[:24]


def live_sessions(user: User) -> list[UserSession]:
    """The user's unexpired sessions, most recently active first."""
    return list(
        UserSession.objects.filter(user=user, expire_date__gt=timezone.now())
        .only("session_key", "user_id", "user_agent", "ip_address", "created_at", "last_seen_at")
        .order_by("-last_seen_at")
    )


def access_session(user: User, public_id: str) -> UserSession:
    """One of the user's own sessions, by its public id, or 404."""
    for session in live_sessions(user):
        if session_public_id(session.session_key) == public_id:
            return session
    raise Http404


def access_account(viewer: User, user_id: int) -> User:
    """Any account, for staff; 404 for everyone else."""
    if not viewer.is_staff_member:
        raise Http404
    user = (
        User.objects.select_related("profile__organization__prefecture").filter(pk=user_id).first()
    )
    if user is None:
        raise Http404
    return user
