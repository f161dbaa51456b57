"""Titles and snippets with the matched words marked, everything else escaped."""

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from cityhall.search.text import fold_with_offsets

SNIPPET_CHARS = 120
MAX_FOLD_CHARS = 5000  # matches further in are not marked (the snippet starts at the top)


def _spans(text: str, terms: list[str]) -> list[tuple[int, int]]:
    """Where the terms occur in `text`, as original character ranges, merged and in order."""
    folded, origin = fold_with_offsets(text[:MAX_FOLD_CHARS])
    found: list[tuple[int, int]] = []
    for term in terms:
        if not term:
            continue
        start = folded.find(term)
        while start != -1:
            end = start + len(term)
            stop = origin[end] if end < len(origin) else min(len(text), MAX_FOLD_CHARS)
            found.append((origin[start], stop))
            start = folded.find(term, end)
    found.sort()
    merged: list[tuple[int, int]] = []
    for start, stop in found:
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], stop))
        else:
            merged.append((start, stop))
    return merged


def _render(text: str, spans: list[tuple[int, int]], offset: int) -> SafeString:
    parts: list[str] = []
    cursor = 0
    for start, stop in spans:
        start, stop = max(start - offset, 0), min(stop - offset, len(text))
        if stop <= start or start < cursor:
            continue
        parts.append(escape(text[cursor:start]))
        parts.append(f"<mark>{escape(text[start:stop])}</mark>")
        cursor = stop
    parts.append(escape(text[cursor:]))
    return mark_safe("".join(parts))


def highlight(text: str, terms: list[str]) -> SafeString:
    return _render(text, _spans(text, terms), 0)


def snippet(text: str, terms: list[str], size: int = SNIPPET_CHARS) -> SafeString:
    """About `size` characters around the first match (or the start), with matches marked."""
    text = " ".join(text.split())
    spans = _spans(text, terms)
    start = max(0, spans[0][0] - size // 3) if spans else 0
    piece = text[start : start + size]
    html = _render(piece, spans, start)
    prefix = "…" if start > 0 else ""
    suffix = "…" if start + size < len(text) else ""
    return mark_safe(f"{prefix}{html}{suffix}")
