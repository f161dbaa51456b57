import re

import pytest

from cityhall.core.charts import Datum, bar_chart, column_chart, line_chart, number

HOSTILE = '<script>alert("x")</script> & "quoted" \'single\''
CHARTS = [column_chart, line_chart, bar_chart]


def months(values):
    return [(f"2026/{i + 1:02d}", v) for i, v in enumerate(values)]


@pytest.mark.parametrize("chart", CHARTS)
def test_it_escapes_hostile_labels_titles_and_descriptions(chart):
    svg = chart([(HOSTILE, 3), ("ok", 5)], title=HOSTILE, description=HOSTILE, chart_id="c")
    assert "<script>" not in svg
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp;" in svg
    assert '"quoted"' not in svg


@pytest.mark.parametrize("chart", CHARTS)
def test_it_escapes_value_texts_and_sanitises_the_id(chart):
    svg = chart([Datum("a", 1, "<b>1</b>")], title="t", chart_id='x" onload="alert(1)')
    assert "<b>" not in svg
    assert "onload=" not in svg.replace("-onload=", "")
    assert 'id="x--onload--alert-1-"' in svg


@pytest.mark.parametrize("chart", CHARTS)
def test_it_is_an_image_named_by_its_title_and_description(chart):
    svg = chart(months([4, 9]), title="会員数の推移", description="月末の会員数", chart_id="m")
    assert svg.startswith("<svg")
    assert 'role="img"' in svg
    assert 'aria-labelledby="m-title m-desc"' in svg
    assert '<title id="m-title">会員数の推移</title>' in svg
    assert re.search(r'<desc id="m-desc">月末の会員数[^<]*9', svg)
    assert re.search(r'viewBox="0 0 360 [\d.]+"', svg)


@pytest.mark.parametrize("chart", CHARTS)
def test_it_shows_an_empty_state_instead_of_a_broken_chart(chart):
    html = chart([], title="入会者数", chart_id="e")
    assert "<svg" not in html
    assert 'class="empty' in html
    assert "まだデータがありません。" in html
    assert "入会者数" in html


@pytest.mark.parametrize("chart", CHARTS)
def test_it_draws_a_single_point(chart):
    svg = chart([("2026/11", 7)], title="t", chart_id="one")
    assert "<svg" in svg
    assert ">7</text>" in svg
    assert ">2026/11<" in svg
    assert "nan" not in svg.lower()


@pytest.mark.parametrize("chart", CHARTS)
def test_it_draws_all_zeros_without_dividing_by_zero(chart):
    svg = chart(months([0, 0, 0]), title="t", chart_id="z")
    assert ">0</text>" in svg
    assert "nan" not in svg.lower()


def test_it_prints_every_column_value_as_text_even_on_a_long_series():
    values = [3, 1204, 0, 15, 88, 7, 2, 9, 11, 250, 5, 6, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 1999]
    svg = column_chart(months(values), title="t", chart_id="c")
    for value in values:
        assert f">{number(value)}</text>" in svg
    assert "rotate(-90" in svg  # 24 values do not fit side by side at 360 units


def test_it_thins_axis_labels_on_a_long_series_but_keeps_the_latest():
    labels = [f"2025/{i:02d}" for i in range(1, 13)] + [f"2026/{i:02d}" for i in range(1, 13)]
    svg = line_chart([(label, i) for i, label in enumerate(labels)], title="t", chart_id="l")
    shown = [label for label in labels if f">{label}</text>" in svg]
    assert labels[-1] in shown
    assert 2 <= len(shown) < len(labels)


def test_it_labels_the_line_with_values_and_keeps_every_point_in_a_tooltip():
    svg = line_chart(months([10, 20, 35]), title="t", chart_id="l")
    assert svg.count("<circle") == 3
    assert "<title>2026/03: 35</title>" in svg
    assert ">35</text>" in svg
    assert "<polyline" in svg


def test_it_shows_the_given_text_for_bars():
    svg = bar_chart(
        [Datum("市", 45.2, "45.2%（356 / 792）"), Datum("村", 10, "10%（18 / 183）")],
        title="種別ごと",
        chart_id="k",
        maximum=100,
    )
    assert ">45.2%（356 / 792）</text>" in svg
    assert ">市</text>" in svg
    assert "市 45.2%（356 / 792）、村 10%（18 / 183）" in svg  # in the description


def test_it_formats_numbers_with_thousands_separators():
    assert number(1234567) == "1,234,567"
    assert number(12.25) == "12.2"
    assert number(3.0) == "3"
