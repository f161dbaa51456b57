"""Whatever is typed into the search box is understood, or politely explained."""

import pytest

from cityhall.search.query import MAX_QUERY_CHARS, parse


def test_it_splits_words_phrases_and_exclusions() -> None:
    query = parse('接種 "防災 計画" -訓練')
    assert [t.text for t in query.include] == ["接種", "防災 計画"]
    assert [t.text for t in query.exclude] == ["訓練"]
    assert query.notices == []


def test_it_accepts_a_full_width_minus_and_quotes() -> None:
    query = parse("ワクチン　－副反応　＂集団接種＂")
    assert [t.text for t in query.include] == ["わくちん", "集団接種"]
    assert [t.text for t in query.exclude] == ["副反応"]


@pytest.mark.parametrize(
    "raw",
    ['"', '""', "!!!", "？？？", "「」", "-", "\x00\x01\x1f", "\u200b\u200b", "   "],
)
def test_it_never_fails_on_odd_input(raw: str) -> None:
    query = parse(raw)
    assert not query.searchable


def test_it_explains_a_query_with_only_punctuation() -> None:
    assert "検索できる文字が含まれていません" in parse("!!!").notices[0]


def test_it_treats_a_lone_quote_as_a_space() -> None:
    assert [t.text for t in parse('"防災 計画').include] == ["防災", "計画"]


def test_it_shortens_a_very_long_query_and_says_so() -> None:
    query = parse("防災" * 500)
    assert len(query.raw) == MAX_QUERY_CHARS
    assert query.searchable
    assert "長すぎる" in query.notices[0]


def test_it_needs_a_word_to_look_for_besides_exclusions() -> None:
    query = parse("-防災")
    assert not query.searchable
    assert "除外する語だけ" in query.notices[0]


def test_it_drops_control_characters() -> None:
    assert [t.text for t in parse("防\x00災").include] == ["防災"]
