"""Fetching FAQ entries and deciding who may write them.

Members read published entries. Writers (see `can_write_faq`) also read and edit drafts: staff
and section officers all of them, a session's hosts those that came from their sessions. For
anyone else a draft does not exist.
"""

from typing import Any

from django.db.models import Q
from django.http import Http404

from cityhall.accounts.models import User
from cityhall.events.access import can_manage_event, visible_events
from cityhall.events.models import Event, EventHost
from cityhall.knowledge.models import FaqEntry, FaqQuerySet
from cityhall.sections.models import SectionMembership


def writes_any_faq(user: User) -> bool:
    """Staff, and the active leaders and deputies of any section (課長・課長補佐), who run the
    community's study meetings: they write and edit every entry."""
    if not user.is_member:
        return False
    if user.is_staff_member:
        return True
    return SectionMembership.objects.of(user).active().officers().exists()


def can_write_faq(user: User, entry: FaqEntry | None = None, *, event: Event | None = None) -> bool:
    """The one rule for writing: those who write any entry (writes_any_faq), and whoever
    manages a session (its hosts, the hosts of its series, the organising section's officers)
    for entries from that session. `entry` is the entry to edit; `event` the session a new
    entry comes from."""
    if writes_any_faq(user):
        return True
    if not user.is_member:
        return False
    source = event if event is not None else (entry.source_event if entry else None)
    return source is not None and can_manage_event(user, source)


def hosted_events(user: User) -> Any:
    """Ids of the sessions the user hosts, directly or through their series."""
    hosts = EventHost.objects.filter(user=user)
    return Event.objects.filter(
        Q(pk__in=hosts.filter(event__isnull=False).values("event_id"))
        | Q(series_id__in=hosts.filter(series__isnull=False).values("series_id"))
    ).values("pk")


def visible_entries(user: User, *, writer: bool | None = None) -> FaqQuerySet:
    """What the viewer may read: everything for those who write any entry; published entries
    and the drafts from their own sessions for other members."""
    if not user.is_member:
        return FaqEntry.objects.none()
    if writer is None:
        writer = writes_any_faq(user)
    if writer:
        return FaqEntry.objects.all()
    return FaqEntry.objects.filter(
        Q(status=FaqEntry.Status.PUBLISHED) | Q(source_event_id__in=hosted_events(user))
    )


def access_faq(user: User, entry_id: int | str) -> FaqEntry:
    """An entry the viewer may read, or 404."""
    try:
        pk = int(entry_id)
    except (TypeError, ValueError):
        raise Http404 from None
    entry = (
        visible_entries(user)
        .select_related("author", "updated_by", "source_event__series")
        .filter(pk=pk)
        .first()
    )
    if entry is None:
        raise Http404
    return entry


def visible_source(user: User, entry: FaqEntry) -> Event | None:
    """The entry's session, when the viewer may see it: a closed section's session stays
    hidden from those outside the section, even as the source of a published answer."""
    if entry.source_event_id is None:
        return None
    return visible_events(user).select_related("series").filter(pk=entry.source_event_id).first()


def writable_events(user: User) -> Any:
    """The sessions a writer may name as an entry's source: any the viewer can see for staff
    and section officers, the ones they host for hosts."""
    events = visible_events(user)
    if not writes_any_faq(user):
        events = events.filter(pk__in=hosted_events(user))
    return events
