"""Writing the index: from a kind's entries to Document rows.

Every write to a source reaches the index through the signals in signals.py, inside the same
transaction (a rolled-back post leaves no document; a committed one is findable at once). The
periodic catch-up (jobs.py) and `manage.py reindex` repair anything that bypassed the signals,
such as QuerySet.update() or bulk_create().
"""

import logging
from collections.abc import Callable, Iterable
from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Exists, OuterRef

from cityhall.search import registry
from cityhall.search.models import Checkpoint, Document
from cityhall.search.registry import SearchKind
from cityhall.search.text import fold, index_tokens

logger = logging.getLogger(__name__)

TEXT_CHARS = 3000  # kept for snippets; matching uses the whole text
BATCH = 1000
CATCH_UP_MARGIN = timedelta(minutes=2)  # writes whose transaction began before the last run
REPAIR_LIMIT = 1000


def documents(kind: SearchKind, obj: object) -> list[Document]:
    docs = []
    for entry in kind.entries(obj):
        folded_title = fold(entry.title)
        folded = f"{folded_title} {fold(entry.text)}".strip()
        docs.append(
            Document(
                kind=kind.name,
                object_id=obj.pk,  # type: ignore[attr-defined]
                audience=entry.audience,
                parent_id=entry.parent_id,
                section_id=entry.section_id,
                organization_id=entry.organization_id,
                prefecture_id=entry.prefecture_id,
                tag=entry.tag,
                created_at=entry.created_at,
                title=entry.title[:300],
                text=entry.text[:TEXT_CHARS],
                folded_title=folded_title,
                folded=folded,
                tokens=index_tokens(folded),
            )
        )
    return docs


def refresh(kind_name: str, ids: Iterable[int], *, cascade: bool = False) -> int:
    """Rebuild the documents of these objects from their source (none if gone or hidden).
    With `cascade`, also those of other kinds that depend on them (a post's comments)."""
    kind = registry.get(kind_name)
    ids = list(ids)
    if kind is None or not ids:
        return 0
    written = 0
    with transaction.atomic():
        for start in range(0, len(ids), BATCH):
            chunk = ids[start : start + BATCH]
            Document.objects.filter(kind=kind.name, object_id__in=chunk).delete()
            docs = [d for obj in kind.source().filter(pk__in=chunk) for d in documents(kind, obj)]
            Document.objects.bulk_create(docs)
            written += len(docs)
        if cascade and kind.dependents is not None:
            for other, other_ids in kind.dependents(ids).items():
                written += refresh(other, other_ids)
    return written


def refresh_quietly(kind_name: str, ids: Iterable[int], *, cascade: bool = False) -> None:
    """refresh() for signal handlers: a failure is logged and left to the catch-up, never
    allowed to undo the member's own write (it runs in a savepoint)."""
    try:
        with transaction.atomic():
            refresh(kind_name, ids, cascade=cascade)
    except Exception:
        logger.exception("search: could not index %s %s; the catch-up will retry", kind_name, ids)


def rebuild(kind: SearchKind, progress: Callable[[int, int], None] | None = None) -> int:
    """Drop and rebuild every document of the kind, in batches of BATCH objects."""
    Document.objects.filter(kind=kind.name).delete()
    source = kind.source()
    total = source.count()
    done, last, written = 0, None, 0
    while True:
        batch = source.order_by("pk")
        if last is not None:
            batch = batch.filter(pk__gt=last)
        objects = list(batch[:BATCH])
        if not objects:
            break
        with transaction.atomic():
            docs = [d for obj in objects for d in documents(kind, obj)]
            Document.objects.bulk_create(docs)
        written += len(docs)
        done += len(objects)
        last = objects[-1].pk
        if progress:
            progress(done, total)
    return written


def repair(kind: SearchKind, limit: int = REPAIR_LIMIT) -> int:
    """Index objects that should be findable but have no document, and drop documents whose
    object is gone from the source (deleted without a signal). At most `limit` of each."""
    indexed = Document.objects.filter(kind=kind.name, object_id=OuterRef("pk"))
    missing = list(
        kind.source().filter(~Exists(indexed)).order_by().values_list("pk", flat=True)[:limit]
    )
    refresh(kind.name, missing)
    gone = list(
        Document.objects.filter(kind=kind.name)
        .exclude(object_id__in=kind.source().order_by().values("pk"))
        .values_list("object_id", flat=True)
        .distinct()[:limit]
    )
    refresh(kind.name, gone)
    return len(missing) + len(gone)


def catch_up(now: datetime) -> dict[str, int]:
    """Re-index what changed since the last run (with a margin), then repair. Idempotent."""
    counts = {}
    for kind in registry.kinds():
        checkpoint = Checkpoint.objects.filter(kind=kind.name).first()
        changed = 0
        if kind.changed_since is not None and checkpoint is not None:
            since = checkpoint.reached_at - CATCH_UP_MARGIN
            ids = list(kind.changed_since(since).order_by().values_list("pk", flat=True))
            changed = refresh(kind.name, ids, cascade=True) if ids else 0
        counts[kind.name] = changed + repair(kind)
        Checkpoint.objects.update_or_create(kind=kind.name, defaults={"reached_at": now})
    return counts
