"""Searching: which documents match, in what order, and how each hit is shown.

The index narrows the candidates by their bigrams; every term is then checked as a substring of
the folded text, so a hit contains exactly what was asked for (and a phrase in quotes appears
as typed). Relevance is portable SQL: a term in the title counts most, then how often each term
occurs (up to a cap); newer first among equals.
"""

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any, overload

from django.db.models import Case, IntegerField, Q, QuerySet, Value, When
from django.db.models.functions import Least, Length, Replace

from cityhall.accounts.models import User
from cityhall.core.jst import JST
from cityhall.search import registry
from cityhall.search.backends import has_tokens
from cityhall.search.highlight import highlight, snippet
from cityhall.search.models import Document
from cityhall.search.query import Query
from cityhall.search.registry import Hit
from cityhall.search.text import fold, runs

RELEVANCE, NEWEST = "relevance", "newest"
TITLE_WEIGHT = 8
OCCURRENCE_CAP = 5
RELEVANCE_CANDIDATES = 2000
SUGGEST_CANDIDATES = 200
SUGGEST_LIMIT = 5


@dataclass
class Filters:
    kind: str = ""
    section_id: int | None = None
    organization_id: int | None = None
    prefecture_id: int | None = None
    date_from: date | None = None
    date_to: date | None = None
    order: str = RELEVANCE


def visible(viewer: User, kind_names: list[str] | None = None) -> Q:
    """Documents the viewer may find: each kind's own rule, for the kinds asked for."""
    condition = Q(pk__in=[])
    for kind in registry.kinds():
        if kind_names is None or kind.name in kind_names:
            # iexact, not exact: an index on kind must not tempt SQLite's planner (which has no
            # statistics) away from the full-text match, the far narrower condition: 420 ms →
            # 130 ms counting a two-character word's 37,000 hits among a million posts.
            condition |= Q(kind__iexact=kind.name) & kind.visible(viewer)
    return condition


def _jst_midnight(day: date) -> datetime:
    return datetime.combine(day, time.min, tzinfo=JST)


def _relevance(query: Query) -> Any:
    score: Any = Value(0)
    for term in query.include:
        in_title = Case(
            When(folded_title__contains=term.text, then=Value(TITLE_WEIGHT)),
            default=Value(0),
            output_field=IntegerField(),
        )
        removed = Length("folded") - Length(Replace("folded", Value(term.text), Value("")))
        occurrences = Least(removed / Value(len(term.text)), Value(OCCURRENCE_CAP))
        score = score + in_title + occurrences
    return score


def search(viewer: User, query: Query, filters: Filters) -> "QuerySet[Document, int] | Ranked":
    """The ids of the documents matching the query that the viewer may find, filtered and
    ordered. Ids only: sorting tens of thousands of hits must not carry their texts along
    (newest first, a two-character word at a million posts: 670 ms → see benchmarks)."""
    docs = Document.objects.filter(visible(viewer, [filters.kind] if filters.kind else None))
    exact = [token for term in query.include for token in term.exact]
    prefixes = [prefix for term in query.include for prefix in term.prefixes]
    docs = docs.filter(has_tokens(exact, prefixes))
    for term in query.include:
        if not term.matched_by_tokens:
            docs = docs.filter(folded__contains=term.text)
    for term in query.exclude:
        docs = docs.exclude(folded__contains=term.text)
    if filters.section_id is not None:
        docs = docs.filter(section_id=filters.section_id)
    if filters.organization_id is not None:
        docs = docs.filter(organization_id=filters.organization_id)
    if filters.prefecture_id is not None:
        docs = docs.filter(prefecture_id=filters.prefecture_id)
    if filters.date_from is not None:
        docs = docs.filter(created_at__gte=_jst_midnight(filters.date_from))
    if filters.date_to is not None:
        docs = docs.filter(created_at__lt=_jst_midnight(filters.date_to + timedelta(days=1)))
    if filters.order == NEWEST:
        return docs.order_by("-created_at", "-id").values_list("pk", flat=True)
    return Ranked(docs, query)


class Ranked:
    """Ids in relevance order, as the paginator reads them (count and slices).

    Scoring reads each hit's whole folded text, so only the newest RELEVANCE_CANDIDATES hits
    are scored and come first, best first; any older hits follow them, newest first. That is
    the order of scoring every hit whenever there are fewer hits than that, and a page among
    the candidates reads only them: a common word at a million posts is ranked by reading
    2,000 rows instead of 37,000 (benchmarks/README.md, Search).
    """

    def __init__(self, hits: QuerySet[Document], query: Query) -> None:
        self.hits = hits
        self.limit = RELEVANCE_CANDIDATES
        newest = hits.order_by("-created_at", "-id")
        candidates = newest.values("pk")[: self.limit]
        self.best = (
            Document.objects.filter(pk__in=candidates)
            .alias(score=_relevance(query))
            .order_by("-score", "-created_at", "-id")
            .values_list("pk", flat=True)
        )
        self.rest = newest.exclude(pk__in=candidates).values_list("pk", flat=True)

    def count(self) -> int:
        return self.hits.count()

    def __len__(self) -> int:
        return self.count()

    @overload
    def __getitem__(self, key: int) -> int: ...
    @overload
    def __getitem__(self, key: slice) -> list[int]: ...
    def __getitem__(self, key: int | slice) -> int | list[int]:
        if isinstance(key, int):
            return self[key : key + 1][0]
        start = key.start or 0
        stop = key.stop if key.stop is not None else 2**62
        ids: list[int] = []
        if start < self.limit:
            ids += self.best[start : min(stop, self.limit)]
        if stop > self.limit:
            ids += self.rest[max(start - self.limit, 0) : stop - self.limit]
        return ids

    def __iter__(self) -> Iterator[int]:
        return iter(self[0:None])


def documents(ids: list[int]) -> list[Document]:
    """The documents of a page of ids, in that order."""
    fields = ("id", "kind", "object_id", "audience", "title", "text", "created_at")
    by_id = Document.objects.only(*fields).in_bulk(ids)
    return [by_id[pk] for pk in ids if pk in by_id]


def present(viewer: User, documents: list[Document], terms: list[str]) -> list[Hit]:
    """Hits for a page of documents, in order, each loaded through its kind (which drops any
    the viewer may no longer see), with the terms marked in title and snippet."""
    by_kind: dict[str, list[Document]] = {}
    for doc in documents:
        by_kind.setdefault(doc.kind, []).append(doc)
    found: dict[int, Hit] = {}
    for name, docs in by_kind.items():
        kind = registry.get(name)
        if kind is not None:
            found.update(kind.present(viewer, docs))
    hits = []
    for doc in documents:
        hit = found.get(doc.pk)
        if hit is not None:
            hit.title_html = highlight(hit.title, terms)
            hit.snippet_html = snippet(doc.text, terms)
            hits.append(hit)
    return hits


def _key_bigrams(text: str) -> set[str]:
    """Bigrams that say what a title is about: pairs of hiragana only (の課, する) say little."""
    grams = set()
    for run in runs(fold(text)):
        for i in range(len(run) - 1):
            pair = run[i : i + 2]
            if not all("\u3041" <= ch <= "\u309f" for ch in pair):
                grams.add(pair)
    return grams


def similar(viewer: User, title: str, limit: int = SUGGEST_LIMIT) -> list[Hit]:
    """Existing questions (and whatever else kinds offer) like the title being written: the
    most recent candidates sharing any key bigram, best overlap of titles first."""
    wanted = _key_bigrams(title)
    suggesting = [k for k in registry.kinds() if k.suggest is not None]
    if len(wanted) < 2 or not suggesting:
        return []
    offered = Q(pk__in=[])
    for kind in suggesting:
        offered |= Q(kind=kind.name) & kind.suggest  # type: ignore[operator]
    candidates = list(
        Document.objects.filter(visible(viewer, [k.name for k in suggesting]), offered)
        .filter(has_tokens(sorted(wanted), [], any_of=True))
        .only("id", "kind", "object_id", "title", "text", "created_at", "folded_title")
        .order_by("-created_at", "-id")[:SUGGEST_CANDIDATES]
    )
    need = max(2, -(-len(wanted) * 3 // 10))  # at least 2 shared pairs and 30% of the title's
    scored = []
    for doc in candidates:
        shared = len(wanted & _key_bigrams(doc.folded_title))
        if shared >= min(need, len(wanted)):
            scored.append((shared, doc))
    scored.sort(key=lambda pair: -pair[0])  # stable: newer first among equals
    best = [doc for _, doc in scored[:limit]]
    return present(viewer, best, [])
