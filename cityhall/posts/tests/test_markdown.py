from html.parser import HTMLParser

import pytest

from cityhall.core.markdown import ATTRIBUTES, TAGS, render_markdown


class Elements(HTMLParser):
    """Every element and attribute a browser would build from the HTML."""

    def __init__(self, html: str) -> None:
        super().__init__()
        self.found: list[tuple[str, list[tuple[str, str | None]]]] = []
        self.feed(html)

    def handle_starttag(self, tag, attrs):
        self.found.append((tag, attrs))


HOSTILE = [
    "<script>alert(1)</script>",
    '<img src="x" onerror="alert(1)">',
    "[click](javascript:alert(1))",
    "[click](JaVaScRiPt:alert(1))",
    "[click](  javascript:alert(1))",
    "[click](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
    "![x](data:image/svg+xml;base64,PHN2Zz48L3N2Zz4=)",
    "![tracker](https://evil.example/pixel.png)",
    '<svg onload="alert(1)"><circle r="1"/></svg>',
    '<iframe src="https://evil.example"></iframe>',
    '<a href="https://x.example" style="position:fixed" onclick="alert(1)">x</a>',
    "<scr<script>ipt>alert(1)</script>",
    "[a](<javascript:alert(1)>)",
    "<details open ontoggle=alert(1)>",
    "[x](vbscript:msgbox)",
    '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
]


@pytest.mark.parametrize("text", HOSTILE)
def test_it_renders_hostile_input_inert(text):
    for tag, attrs in Elements(render_markdown(text)).found:
        assert tag in TAGS
        for name, value in attrs:
            assert name in ATTRIBUTES.get(tag, set()) or (tag, name) == ("a", "rel")
            if name == "href":
                assert (value or "").startswith(("http://", "https://", "mailto:"))


def test_it_renders_commonmark_tables_and_strikethrough():
    html = render_markdown(
        "# 見出し\n\n- a\n- b\n\n| 課 | 件数 |\n|---|---:|\n| 防災 | ~~3~~ 4 |\n"
    )
    assert "<h1>見出し</h1>" in html
    assert "<li>a</li>" in html
    assert "<table>" in html and "<td>防災</td>" in html
    assert "<s>3</s>" in html


def test_it_marks_links_nofollow_and_keeps_safe_schemes():
    html = render_markdown("[市](https://www.city.example.lg.jp/) [mail](mailto:a@example.jp)")
    assert 'href="https://www.city.example.lg.jp/"' in html
    assert 'rel="nofollow noopener noreferrer"' in html
    assert 'href="mailto:a@example.jp"' in html


def test_it_shows_raw_html_as_text():
    html = render_markdown("<b>太字</b>")
    assert "&lt;b&gt;太字&lt;/b&gt;" in html


def test_it_accepts_empty_text():
    assert render_markdown("") == ""
