"""Small server-side SVG charts: columns and a line for a monthly series, horizontal bars.

No JavaScript and no library: the markup is built here, every label escaped. Each chart is an
`<svg role="img">` named by its `<title>` and described by its `<desc>`; the page always shows
the same numbers in a table beside it, so a chart is a picture of a table, never the only copy.

Made for phones and paper: the drawing is 360 units wide and scales to its container, so its
13–14-unit labels stay at 11 px or more in a card on a 360 px screen (CSS caps the width on
large screens); axis labels are thinned when the series is long; values are printed as text,
so nothing depends on colour; the background is white. Colours are the design tokens' hex values.
"""

import math
import re
import unicodedata
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext

WIDTH = 360
FONT = 14  # axis and row labels
SMALL = 13  # value labels
# Design tokens (static/vendor/design-tokens/tokens.css).
BLUE_900 = "#0017c1"
BLUE_800 = "#0031d8"
GRAY_50 = "#f2f2f2"
GRAY_200 = "#cccccc"
GRAY_600 = "#666666"
GRAY_900 = "#1a1a1a"
WHITE = "#ffffff"


@dataclass(frozen=True)
class Datum:
    """One value; `text` replaces the printed value when given (e.g. "12%（3 / 25）")."""

    label: str
    value: float
    text: str = ""

    @property
    def shown(self) -> str:
        return self.text or number(self.value)


Data = Iterable[Datum | tuple[str, float] | tuple[str, float, str]]


def number(value: float) -> str:
    """1,234 for whole numbers, 12.5 otherwise."""
    if float(value).is_integer():
        return f"{int(value):,}"
    return f"{value:,.1f}"


def text_width(text: str, size: float) -> float:
    """Roughly how wide the text is drawn: full-width characters take a whole em."""
    return sum(size if unicodedata.east_asian_width(c) in "WF" else size * 0.6 for c in text)


def _data(data: Data) -> list[Datum]:
    return [item if isinstance(item, Datum) else Datum(*item) for item in data]


def _f(value: float) -> str:
    """Coordinates: short and locale-free."""
    return f"{value:.1f}".rstrip("0").rstrip(".")


def _text(
    x: float,
    y: float,
    content: str,
    *,
    size: int = FONT,
    anchor: str = "middle",
    fill: str = GRAY_900,
    extra: str = "",
) -> str:
    if anchor == "middle":  # keep centred labels inside the drawing
        half = text_width(content, size) / 2 + 2
        x = min(max(x, half), WIDTH - half)
    return (
        f'<text x="{_f(x)}" y="{_f(y)}" font-size="{size}" text-anchor="{anchor}" '
        f'fill="{fill}"{extra}>{escape(content)}</text>'
    )


def _nice_scale(top: float) -> tuple[float, float]:
    """A round maximum and tick step (1, 2 or 5 × 10ⁿ, at least 1) for about four ticks."""
    if top <= 0:
        return 1.0, 1.0
    raw = top / 4
    magnitude = 10 ** math.floor(math.log10(raw))
    step = next(m * magnitude for m in (1, 2, 5, 10) if m * magnitude >= raw)
    step = max(step, 1.0)
    return math.ceil(top / step) * step, step


def _every(count: int, room: float, widest: float) -> int:
    """Show every n-th label so that labels `widest` wide never touch in `room`."""
    # A third of a label's width spare: the last label is pulled inwards to stay in the picture.
    fits = max(1, int(room // (widest * 1.35 + 4)))
    return max(1, math.ceil(count / fits))


def _shown(index: int, count: int, step: int) -> bool:
    # Counted from the end: the latest value always keeps its label.
    return (count - 1 - index) % step == 0


def _empty(title: str) -> SafeString:
    message = gettext("まだデータがありません。")
    # Both parts are escaped.
    return mark_safe(
        f'<p class="empty chart chart--empty"><span class="visually-hidden">'
        f"{escape(title)}: </span>{escape(message)}</p>"
    )


def _svg(chart_id: str, title: str, desc: str, height: float, body: list[str]) -> SafeString:
    ident = re.sub(r"[^A-Za-z0-9_-]", "-", chart_id) or "chart"
    # Every label, title and description below went through escape().
    return mark_safe(
        f'<svg class="chart" id="{ident}" viewBox="0 0 {WIDTH} {_f(height)}" '
        f'xmlns="http://www.w3.org/2000/svg" role="img" '
        f'aria-labelledby="{ident}-title {ident}-desc">'
        f'<title id="{ident}-title">{escape(title)}</title>'
        f'<desc id="{ident}-desc">{escape(desc)}</desc>'
        f'<rect width="{WIDTH}" height="{_f(height)}" fill="{WHITE}"/>' + "".join(body) + "</svg>"
    )


def _series_summary(points: Sequence[Datum], description: str) -> str:
    """What a series says, for screen readers: its span, the highest and the latest value."""
    highest = max(points, key=lambda p: p.value)
    summary = gettext(
        "%(first)s〜%(last_label)s。最大 %(max)s（%(max_label)s）、最新 %(last)s。"
    ) % {
        "first": points[0].label,
        "last_label": points[-1].label,
        "max": highest.shown,
        "max_label": highest.label,
        "last": points[-1].shown,
    }
    return f"{description} {summary}".strip()


def _list_summary(points: Sequence[Datum], description: str) -> str:
    """A few bars: every label and value."""
    return " ".join([description, "、".join(f"{p.label} {p.shown}" for p in points)]).strip()


@dataclass(frozen=True)
class _Frame:
    """The plot area of a chart with an x axis of labels and a y axis of values."""

    left: float
    top: float
    right: float
    bottom: float
    maximum: float
    step: float

    @classmethod
    def fit(cls, points: Sequence[Datum], height: float, headroom: float) -> "_Frame":
        maximum, step = _nice_scale(max((p.value for p in points), default=0))
        ticks = [number(step * i) for i in range(int(maximum / step) + 1)]
        left = max(text_width(t, FONT) for t in ticks) + 8
        return cls(left, 8 + headroom, WIDTH - 8, height - FONT - 12, maximum, step)

    @property
    def slot(self) -> float:
        return self.right - self.left

    def y(self, value: float) -> float:
        return self.bottom - (self.bottom - self.top) * max(value, 0) / self.maximum

    def axes(self, points: Sequence[Datum], xs: Sequence[float]) -> list[str]:
        parts = []
        for i in range(int(self.maximum / self.step) + 1):
            value = self.step * i
            y = self.y(value)
            parts.append(
                f'<line x1="{_f(self.left)}" x2="{_f(self.right)}" y1="{_f(y)}" y2="{_f(y)}" '
                f'stroke="{GRAY_200 if i else GRAY_600}" stroke-width="1"/>'
            )
            parts.append(
                _text(self.left - 4, y + FONT * 0.35, number(value), anchor="end", fill=GRAY_600)
            )
        widest = max(text_width(p.label, FONT) for p in points)
        step = _every(len(points), self.slot, widest)
        for i, (point, x) in enumerate(zip(points, xs, strict=True)):
            if _shown(i, len(points), step):
                parts.append(_text(x, self.bottom + FONT + 4, point.label, fill=GRAY_600))
        return parts


def column_chart(data: Data, *, title: str, chart_id: str, description: str = "") -> SafeString:
    """Vertical columns, one per label (e.g. members who joined each month)."""
    points = _data(data)
    if not points:
        return _empty(title)
    widest = max(text_width(p.shown, SMALL) for p in points)
    # Value labels: level above each column when they fit, else turned upright, else thinned.
    count = len(points)
    room = (WIDTH - 60) / count
    # Digits turned upright need about 0.8 em across.
    upright = widest + 2 > room and room >= SMALL * 0.8
    height = 220 + (widest if upright else 0)
    frame = _Frame.fit(points, height, headroom=(widest + 4) if upright else SMALL + 4)
    slot = frame.slot / count
    xs = [frame.left + slot * (i + 0.5) for i in range(count)]
    label_step = 1 if upright else _every(count, frame.slot, widest)
    body = frame.axes(points, xs)
    for i, (point, x) in enumerate(zip(points, xs, strict=True)):
        y = frame.y(point.value)
        bar = max(min(slot * 0.7, 40), 2)
        body.append(
            f'<rect x="{_f(x - bar / 2)}" y="{_f(y)}" width="{_f(bar)}" '
            f'height="{_f(frame.bottom - y)}" fill="{BLUE_800}">'
            f"<title>{escape(point.label)}: {escape(point.shown)}</title></rect>"
        )
        if upright:
            tx, ty = x + SMALL * 0.35, y - 3
            turn = f' transform="rotate(-90 {_f(tx)} {_f(ty)})"'
            body.append(_text(tx, ty, point.shown, size=SMALL, anchor="start", extra=turn))
        elif _shown(i, count, label_step):
            body.append(_text(x, y - 4, point.shown, size=SMALL))
    return _svg(chart_id, title, _series_summary(points, description), height, body)


def line_chart(data: Data, *, title: str, chart_id: str, description: str = "") -> SafeString:
    """A line through a series (e.g. total members at the end of each month)."""
    points = _data(data)
    if not points:
        return _empty(title)
    height = 220
    frame = _Frame.fit(points, height, headroom=SMALL + 6)
    count = len(points)
    if count == 1:
        xs = [(frame.left + frame.right) / 2]
    else:
        xs = [frame.left + 6 + (frame.slot - 12) * i / (count - 1) for i in range(count)]
    ys = [frame.y(p.value) for p in points]
    body = frame.axes(points, xs)
    if count > 1:
        path = " ".join(f"{_f(x)},{_f(y)}" for x, y in zip(xs, ys, strict=True))
        body.append(
            f'<polyline points="{path}" fill="none" stroke="{BLUE_900}" '
            f'stroke-width="2.5" stroke-linejoin="round"/>'
        )
    widest = max(text_width(p.shown, SMALL) for p in points)
    label_step = _every(count, frame.slot, widest)
    for i, (point, x, y) in enumerate(zip(points, xs, ys, strict=True)):
        body.append(
            f'<circle cx="{_f(x)}" cy="{_f(y)}" r="3.5" fill="{WHITE}" stroke="{BLUE_900}" '
            f'stroke-width="2"><title>{escape(point.label)}: {escape(point.shown)}</title></circle>'
        )
        if _shown(i, count, label_step):
            body.append(_text(x, y - 8, point.shown, size=SMALL))
    return _svg(chart_id, title, _series_summary(points, description), height, body)


def bar_chart(
    data: Data,
    *,
    title: str,
    chart_id: str,
    description: str = "",
    maximum: float | None = None,
) -> SafeString:
    """Horizontal bars, the label above each bar and its value at the end (funnels, shares).

    `maximum` fixes the full length (100 for percentages); by default the largest value.
    """
    points = _data(data)
    if not points:
        return _empty(title)
    row = FONT + 4 + 16 + 10
    height = row * len(points) + 8
    top = max([p.value for p in points] + [maximum or 0]) or 1
    track = WIDTH - 16
    body = []
    for i, point in enumerate(points):
        y = 8 + row * i
        length = track * max(point.value, 0) / top
        body.append(_text(8, y + FONT, point.label, anchor="start"))
        body.append(
            f'<rect x="8" y="{_f(y + FONT + 4)}" width="{_f(track)}" height="16" fill="{GRAY_50}"/>'
            f'<rect x="8" y="{_f(y + FONT + 4)}" width="{_f(length)}" height="16" '
            f'fill="{BLUE_800}"><title>{escape(point.label)}: {escape(point.shown)}</title></rect>'
        )
        shown = point.shown
        if 8 + length + 4 + text_width(shown, SMALL) <= WIDTH - 4:
            body.append(_text(8 + length + 4, y + FONT + 16, shown, size=SMALL, anchor="start"))
        else:  # no room after the bar: inside it, white on blue
            body.append(
                _text(8 + length - 4, y + FONT + 16, shown, size=SMALL, anchor="end", fill=WHITE)
            )
    return _svg(chart_id, title, _list_summary(points, description), height, body)
