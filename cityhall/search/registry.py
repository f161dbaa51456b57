"""What can be searched: each app registers its kinds here (see docs/search.md).

A kind says what to index for one of its objects, which of its documents a viewer may find,
and how to show a hit. Visibility is decided twice: in SQL over the index (so counts and pages
are right), and again when hits are loaded from their source (so a stale row never leaks).
"""

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from django.db.models import Model, Q, QuerySet
from django.utils.safestring import SafeString

from cityhall.accounts.models import User
from cityhall.search.models import Audience, Document


@dataclass
class Entry:
    """One document for one object, as its kind describes it."""

    title: str
    text: str
    created_at: datetime
    audience: str = Audience.EVERYONE
    parent_id: int | None = None
    section_id: int | None = None
    organization_id: int | None = None
    prefecture_id: int | None = None
    tag: str = ""


@dataclass
class Hit:
    """A result as the page shows it. The search view fills in the highlighted parts."""

    document: Document
    url: str
    title: str
    kind_label: str
    context: str = ""  # e.g. the post a comment belongs to, the section, the organisation
    date: datetime | None = None
    flag: str = ""  # a word shown beside the kind, e.g. 中止 or 下書き
    flag_tone: str = "warn"  # badge--warn or badge--bad
    title_html: SafeString | None = None
    snippet_html: SafeString | None = None


@dataclass(frozen=True)
class SearchKind:
    name: str  # stored in Document.kind; also the ?kind= filter value
    label: Any  # a lazy translation, e.g. gettext_lazy("投稿")
    model: type[Model]
    # Documents for one object; [] when it must not be findable (deleted, suspended …).
    entries: Callable[[Any], list[Entry]]
    # Everything to index, with what entries() reads already joined or prefetched.
    source: Callable[[], QuerySet[Any]]
    # Which of this kind's documents the viewer may find (a condition on Document).
    visible: Callable[[User], Q]
    # The hits for these documents that the viewer may see, by document id.
    present: Callable[[User, list[Document]], dict[int, Hit]]
    # Objects changed since a moment, for the periodic catch-up (None: rely on reindex).
    changed_since: Callable[[datetime], QuerySet[Any]] | None = None
    # Other kinds' objects whose documents depend on these objects (a post's comments).
    dependents: Callable[[list[int]], dict[str, list[int]]] | None = None
    # Offered as "similar" while a member writes a question, with this extra condition.
    suggest: Q | None = None
    sort: int = 100  # order in the kind filter
    extra: dict[str, Any] = field(default_factory=dict)


_KINDS: dict[str, SearchKind] = {}


def register(kind: SearchKind) -> SearchKind:
    _KINDS[kind.name] = kind
    return kind


def kinds() -> list[SearchKind]:
    return sorted(_KINDS.values(), key=lambda k: (k.sort, k.name))


def get(name: str) -> SearchKind | None:
    return _KINDS.get(name)


def choices() -> Iterable[tuple[str, Any]]:
    return [(kind.name, kind.label) for kind in kinds()]
