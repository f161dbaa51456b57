"""Fetching programmes and episodes, and who may run them.

Every broadcast page is members-only (the gate's default); archived programmes and their
episodes exist for staff only.
"""

from typing import Any

from django.http import Http404

from cityhall.broadcasts.models import Episode, LiveComment, Programme


def access_programme(user: Any, slug: str) -> Programme:
    programme = Programme.objects.filter(slug=slug).first()
    if programme is None or (programme.archived_at and not user.is_staff_member):
        raise Http404
    return programme


def access_episode(user: Any, episode_id: int | str) -> Episode:
    try:
        pk = int(episode_id)
    except (TypeError, ValueError):
        raise Http404 from None
    episode = Episode.objects.select_related("programme").filter(pk=pk).first()
    if episode is None or (episode.programme.archived_at and not user.is_staff_member):
        raise Http404
    return episode


def is_personality(user: Any, programme: Programme) -> bool:
    return programme.personalities.filter(pk=user.pk).exists()


def can_run(user: Any, programme: Programme) -> bool:
    """Staff run every programme; personalities run their own (episodes, not the programme)."""
    return bool(getattr(user, "is_member", False)) and (
        user.is_staff_member or is_personality(user, programme)
    )


def access_live_comment(user: Any, comment_id: int | str) -> LiveComment:
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
