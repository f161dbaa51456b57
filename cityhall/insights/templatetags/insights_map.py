"""Positions and shades for templates/insights/japan_map.html (the tile-grid map of Japan)."""

from collections.abc import Sequence
from dataclasses import dataclass

from django import template
from django.utils.translation import gettext

from cityhall.insights.figures import PrefectureCoverage
from cityhall.insights.prefecture_tiles import COLUMNS, ROWS, tile

register = template.Library()

CELL = 40  # drawing units per grid cell
GAP = 2
# Five steps of the design tokens' blue (static/vendor/design-tokens/tokens.css): no local
# government covered yet, then quarters of the prefecture's local governments. Fills are
# attributes rather than CSS so that the map prints and survives being copied out of the page.
STEPS = (
    ("#ffffff", "#1a1a1a"),  # white; text gray-900
    ("#d9e6ff", "#1a1a1a"),  # blue-100
    ("#9db7f9", "#1a1a1a"),  # blue-300
    ("#3460fb", "#ffffff"),  # blue-600
    ("#0017c1", "#ffffff"),  # blue-900
)


@dataclass(frozen=True)
class Tile:
    x: int
    y: int
    label: str
    step: int
    fill: str
    ink: str
    title: str

    @property
    def text_x(self) -> int:
        return self.x + (CELL - GAP) // 2

    @property
    def text_y(self) -> int:
        return self.y + (CELL - GAP) // 2


@dataclass(frozen=True)
class LegendItem:
    y: int
    fill: str
    label: str


@dataclass(frozen=True)
class JapanMap:
    width: int
    height: int
    size: int  # of a tile
    long_label: int  # width three-character labels (北海道, 神奈川) are condensed to
    tiles: list[Tile]
    legend: list[LegendItem]
    summary: str


def step_of(ratio: float) -> int:
    """0 for none covered, then 1–4 for each quarter (a quarter or more → 2, and so on)."""
    if ratio <= 0:
        return 0
    return min(4, 1 + int(ratio * 4))


def percent(ratio: float) -> str:
    return f"{ratio * 100:.0f}%"


@register.simple_tag
def japan_map(coverage: Sequence[PrefectureCoverage]) -> JapanMap:
    tiles = []
    for row in coverage:
        column, line, label = tile(row.code)
        step = step_of(row.ratio)
        title = gettext(
            "{name}：{covered} / {total} 自治体が参加（{percent}）、会員 {members} 人"
        ).format(
            name=row.name,
            covered=f"{row.covered:,}",
            total=f"{row.local_governments:,}",
            percent=percent(row.ratio),
            members=f"{row.members:,}",
        )
        fill, ink = STEPS[step]
        tiles.append(Tile(column * CELL, line * CELL, label, step, fill, ink, title))
    labels = [
        gettext("参加なし"),
        gettext("25%未満"),
        gettext("25〜50%"),
        gettext("50〜75%"),
        gettext("75%以上"),
    ]
    # The legend sits in the empty sea top left, under its heading.
    legend = [LegendItem(30 + i * 26, STEPS[i][0], text) for i, text in enumerate(labels)]
    reached = sum(1 for row in coverage if row.covered)
    summary = gettext(
        "都道府県ごとに、会員のいる自治体の割合を色の濃さで示した日本地図です。"
        "{total}都道府県のうち{reached}都道府県に会員がいます。同じ数値を表でも示しています。"
    ).format(total=len(coverage), reached=reached)
    size = CELL - GAP
    return JapanMap(COLUMNS * CELL, ROWS * CELL, size, size - 4, tiles, legend, summary)
