"""Fetching programmes and episodes, and who may run them.

Every broadcast page is members-only (the gate's default); archived programmes and their
episodes exist for staff only.
"""

from django.http import Http404

from cityhall.accounts.models import User
from cityhall.broadcasts.models import Episode, LiveComment, Programme


def access_programme(user: User, slug: str) -> Programme:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or (programme.archived_at and not user.is_staff_member):
        raise Http404
    return programme


def access_episode(user: User, episode_id: int | str) -> Episode:
    try:
        pk = int(episode_id)
    except (TypeError, ValueError):
        raise Http404 from None
    episode = Episode.objects.select_related("programme").filter(pk=pk).first()
    if episode is None or (episode.programme.archived_at and not user.is_staff_member):
        raise Http404
    return episode


def is_personality(user: User, programme: Programme) -> bool:
    return programme.personalities.filter(pk=user.pk).exists()


def can_run(user: User, programme: Programme) -> bool:
    """Staff run every programme; personalities run their own (episodes, not the programme)."""
    return user.is_member and (user.is_staff_member or is_personality(user, programme))


def access_live_comment(user: User, comment_id: int | str) -> LiveComment:
    try:
        pk = int(comment_id)
    except (TypeError, ValueError):
        raise Http404 from None
    comment = (
        LiveComment.objects.select_related("author", "episode__programme")
        .filter(pk=pk, deleted_at=None)
        .first()
    )
    if comment is None:
        raise Http404
    access_episode(user, comment.episode_id)
    return comment
