"""Bold and italics in Japanese: emphasis next to 「」（）、。！？ and kana or kanji renders, by
the CJK-friendly flanking rule; arithmetic, bullets and English stay as CommonMark has them."""

import pytest

from cityhall.core.markdown import render_markdown

RENDERED = [
    (
        "**予防接種法上の定期接種（B類疾病）**として実施します",
        "<strong>予防接種法上の定期接種（B類疾病）</strong>として実施します",
    ),
    ("これは**「重要」**です", "これは<strong>「重要」</strong>です"),
    ("「**強調**」と書きます", "「<strong>強調</strong>」と書きます"),
    ("**注意！**必ず提出してください", "<strong>注意！</strong>必ず提出してください"),
    ("**本当？**はい、本当です", "<strong>本当？</strong>はい、本当です"),
    ("締切は。**必着。**です", "締切は。<strong>必着。</strong>です"),
    ("**住民税**、固定資産税", "<strong>住民税</strong>、固定資産税"),
    ("期限は**3月31日（月）**まで", "期限は<strong>3月31日（月）</strong>まで"),
    ("*斜体*です", "<em>斜体</em>です"),
    ("様式は*（別紙）*を参照", "様式は<em>（別紙）</em>を参照"),
    ("***「最重要」***の項目", "<em><strong>「最重要」</strong></em>の項目"),
    ("~~旧様式（令和5年度）~~は廃止", "<s>旧様式（令和5年度）</s>は廃止"),
    ("カタカナ**マイナンバー**カード", "カタカナ<strong>マイナンバー</strong>カード"),
    ("**予算額１００万円**を計上", "<strong>予算額１００万円</strong>を計上"),
    ("葛󠄀**城（かつらぎ）**市", "葛󠄀<strong>城（かつらぎ）</strong>市"),  # 異体字セレクタ
    ("This is **bold** text", "This is <strong>bold</strong> text"),
]

LITERAL = [
    ("2**3**4", "2**3**4"),
    ("3*4*5 = 60", "3*4*5 = 60"),
    ("2 * 3 * 4 = 24", "2 * 3 * 4 = 24"),
    ("a ** b", "a ** b"),
    ("**(B)**as in English", "**(B)**as in English"),
    ("snake_case_name", "snake_case_name"),
]


@pytest.mark.parametrize(("text", "html"), RENDERED)
def test_it_renders_japanese_emphasis(text, html):
    assert render_markdown(text) == f"<p>{html}</p>\n"


@pytest.mark.parametrize(("text", "html"), LITERAL)
def test_it_leaves_arithmetic_and_english_literal(text, html):
    assert render_markdown(text) == f"<p>{html}</p>\n"


def test_it_keeps_asterisk_bullets_as_a_list():
    html = render_markdown("* **申請書**を提出\n* 審査（2週間）")
    assert html == "<ul>\n<li><strong>申請書</strong>を提出</li>\n<li>審査（2週間）</li>\n</ul>\n"


def test_it_still_sanitises_emphasised_text():
    html = render_markdown("**<script>alert(1)</script>（危険）**です")
    assert "<script" not in html
    assert "<strong>" in html
