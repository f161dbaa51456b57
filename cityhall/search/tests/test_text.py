"""Folding and tokenising Japanese text, and marking matches safely."""

from cityhall.search.highlight import highlight, snippet
from cityhall.search.text import fold, index_tokens, plain, query_tokens


def test_it_folds_width_case_kana_and_long_vowel_marks() -> None:
    assert fold("ＡＢＣ１２３") == "abc123"
    assert fold("ｻｰﾊﾞｰ") == fold("サーバー") == fold("サ-バ-") == fold("さーばー")
    assert fold("e-Tax") == fold("Ｅ－ＴＡＸ") == fold("E‐tax")
    assert fold("10～20") == fold("10〜20")
    assert fold("防災\n\t　計画") == "防災 計画"


def test_it_indexes_bigrams_so_two_character_words_match() -> None:
    tokens = index_tokens(fold("新型コロナワクチン接種の課題")).split()
    assert "接種" in tokens
    assert "課題" in tokens
    exact, prefixes = query_tokens(fold("接種"))
    assert exact == ["接種"] and prefixes == []


def test_it_indexes_the_last_character_so_single_characters_match_as_prefixes() -> None:
    tokens = index_tokens(fold("税、市")).split()
    assert {"税", "市"} <= set(tokens)
    assert query_tokens("税") == ([], ["税"])


def test_it_splits_on_punctuation_and_symbols() -> None:
    assert index_tokens(fold("「防災」")) == "防災 災"
    assert query_tokens(fold("!!!")) == ([], [])


def test_it_escapes_everything_but_its_own_marks() -> None:
    html = highlight('<script>alert("防災")</script>', ["防災"])
    assert "<script>" not in html
    assert "&lt;script&gt;" in html
    assert "<mark>防災</mark>" in html


def test_it_marks_the_original_characters_of_a_folded_match() -> None:
    assert highlight("ｻｰﾊﾞｰ室", [fold("サーバー")]) == "<mark>ｻｰﾊﾞｰ</mark>室"
    assert highlight("Ｅ－ＴＡＸで申告", ["eーtax"]) == "<mark>Ｅ－ＴＡＸ</mark>で申告"


def test_it_cuts_a_snippet_around_the_first_match() -> None:
    text = "あ" * 300 + "防災訓練" + "い" * 300
    html = snippet(text, ["防災"])
    assert html.startswith("…") and html.endswith("…")
    assert "<mark>防災</mark>訓練" in html


def test_it_reads_markdown_as_plain_words() -> None:
    assert plain("## 見出し\n- **防災**の[手引き](https://example.jp)") == "見出し\n 防災 の手引き"
