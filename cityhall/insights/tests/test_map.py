"""The tile-grid map of Japan, drawn on the server as SVG."""

import re

import pytest
from django.template.loader import render_to_string

from cityhall.insights import figures
from cityhall.insights.figures import PrefectureCoverage
from cityhall.insights.prefecture_tiles import COLUMNS, ROWS, TILES
from cityhall.insights.templatetags.insights_map import STEPS, step_of


def coverage(**ratios: tuple[int, int, int]) -> list[PrefectureCoverage]:
    """All 47 prefectures, none covered except those given as p01=(total, covered, members)."""
    rows = []
    for code, (_, _, label) in TILES.items():
        total, covered, members = ratios.get(f"p{code}", (10, 0, 0))
        rows.append(PrefectureCoverage(f"{code}0000", label, total, covered, members))
    return rows


def draw(rows: list[PrefectureCoverage]) -> str:
    return render_to_string("insights/japan_map.html", {"coverage": rows})


def tiles(svg: str) -> list[str]:
    return re.findall(r'<g class="japan-map__tile".*?</g>', svg, re.S)


def test_it_places_47_prefectures_on_distinct_squares():
    assert sorted(TILES) == [f"{n:02d}" for n in range(1, 48)]
    assert len({(column, row) for column, row, _ in TILES.values()}) == 47
    assert all(0 <= c < COLUMNS and 0 <= r < ROWS for c, r, _ in TILES.values())
    assert all(1 <= len(label) <= 3 for _, _, label in TILES.values())


def test_it_puts_hokkaido_top_right_and_okinawa_bottom_left():
    hokkaido, okinawa = TILES["01"], TILES["47"]
    assert (hokkaido[0], hokkaido[1]) == (COLUMNS - 1, 0)
    assert okinawa[0] == 0 and okinawa[1] == ROWS - 1


def test_it_draws_47_tiles_each_with_a_title():
    svg = draw(coverage(p01=(180, 3, 4)))
    assert len(tiles(svg)) == 47
    assert svg.count("<title>") == 47
    assert "<title>北海道：3 / 180 自治体が参加（2%）、会員 4 人</title>" in svg
    assert 'role="img"' in svg
    assert re.search(r'aria-label="[^"]*47都道府県のうち1都道府県に会員がいます', svg)
    assert 'viewBox="0 0 520 400"' in svg


def test_it_shades_tiles_in_five_steps_with_a_legend():
    assert [step_of(r) for r in (0, 0.01, 0.2499, 0.25, 0.5, 0.74, 0.75, 1)] == [
        0,
        1,
        1,
        2,
        3,
        3,
        4,
        4,
    ]
    svg = draw(coverage(p01=(100, 10, 10), p13=(100, 30, 50), p27=(100, 60, 70), p47=(10, 10, 9)))
    steps = {t.split("<title>")[1].split("：")[0]: t for t in tiles(svg)}
    assert 'data-step="1"' in steps["北海道"]
    assert 'data-step="2"' in steps["東京"]
    assert 'data-step="3"' in steps["大阪"]
    assert 'data-step="4"' in steps["沖縄"]
    assert 'data-step="0"' in steps["青森"]
    for fill, _ in STEPS:
        assert svg.count(f'fill="{fill}"') >= 2  # a tile, and the legend's swatch
    for label in ("参加なし", "25%未満", "25〜50%", "50〜75%", "75%以上"):
        assert label in svg


@pytest.mark.django_db
def test_it_draws_the_real_coverage():
    svg = draw(figures.coverage_by_prefecture())
    assert len(tiles(svg)) == 47
    assert "<title>東京都：0 / 63 自治体が参加（0%）、会員 0 人</title>" in svg
