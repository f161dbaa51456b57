"""How text becomes searchable: folding, and the character bigrams the index stores.

Japanese has no spaces between words, and a dictionary tokenizer misses words it does not know
(and splits 接種 or 防災 differently by context). Overlapping pairs of characters need no
dictionary: every substring of two or more characters of a text is made of the text's bigrams,
so a query that appears in a text always finds it. The index narrows the candidates with the
bigrams; the folded text, checked with a plain substring test, makes the match exact.
"""

import re
import unicodedata

from cityhall.core.text import HIRAGANA, fold_letters

# Hyphens, dashes, minus signs and the half-width prolonged sound mark all fold to ー, so
# "サーバー", "サ-バ-" and "ｻｰﾊﾞｰ" meet; wave dashes fold to 〜.
DASHES = "-\u2010\u2011\u2012\u2013\u2014\u2015\u2212\u2500\u2501\u30fc\uff70\ufe63\uff0d"
_MARKS = str.maketrans({**{dash: "ー" for dash in DASHES}, "~": "〜", "\u301c": "〜"})
_TABLE: dict[int, int | str] = {**HIRAGANA, **_MARKS}
_BLANKS = re.compile(r"[\s\x00-\x1f\x7f-\x9f\u200b-\u200f\u2028-\u202e\u2060-\u2064\ufeff]+")
# A run is what lies between separators: letters (kanji, kana, latin…), digits and ー.
_RUN = re.compile(r"[^\W_]+")
_SOUND_MARKS = {"\u3099", "\u309a"}


def fold(text: str) -> str:
    """NFKC (full/half width), case-folded, katakana as hiragana, dashes as ー, each stretch
    of spaces and control characters as one space."""
    text = fold_letters(text, casefold=True).translate(_MARKS)
    return _BLANKS.sub(" ", text).strip()


def fold_with_offsets(text: str) -> tuple[str, list[int]]:
    """fold(), character by character, with the index in `text` each folded character came
    from: the highlighter finds matches in the folded text and marks the original."""
    out: list[str] = []
    origin: list[int] = []
    for index, char in enumerate(text):
        piece = fold(char) if not _BLANKS.fullmatch(char) else " "
        if not piece:
            continue
        if piece == " " and (not out or out[-1] == " "):
            continue
        if piece in _SOUND_MARKS and out:  # ｶﾞ: a half-width voiced mark joins its kana
            out[-1] = unicodedata.normalize("NFC", out[-1] + piece).translate(_TABLE)
            continue
        for folded_char in piece:
            out.append(folded_char)
            origin.append(index)
    return "".join(out), origin


def runs(folded: str) -> list[str]:
    return _RUN.findall(folded)


def index_tokens(folded: str) -> str:
    """The bigrams of every run, plus its last character alone (so a one-character query can
    match it as a prefix), each once, space-separated."""
    tokens: dict[str, None] = {}
    for run in runs(folded):
        for i in range(len(run) - 1):
            tokens[run[i : i + 2]] = None
        tokens[run[-1]] = None
    return " ".join(tokens)


def query_tokens(folded: str) -> tuple[list[str], list[str]]:
    """What a folded query term needs in the index: the bigrams of its runs, and for a
    one-character run that character as a prefix (it is then the start of some bigram, or a
    run's last character)."""
    exact: dict[str, None] = {}
    prefixes: dict[str, None] = {}
    for run in runs(folded):
        if len(run) == 1:
            prefixes[run] = None
        for i in range(len(run) - 1):
            exact[run[i : i + 2]] = None
    return list(exact), list(prefixes)


_MARKDOWN = [
    (re.compile(r"!?\[([^\]]*)\]\([^)]*\)"), r"\1"),  # links and images: keep the text
    (re.compile(r"^\s{0,3}(#{1,6}|>+|[-*+]|\d+\.)\s+", re.M), ""),  # headings, quotes, lists
    (re.compile(r"[*_`~|]{1,3}"), " "),  # emphasis, code, tables
]


def plain(markdown: str) -> str:
    """Markdown as the words a reader sees (for snippets; the index folds it anyway)."""
    text = markdown or ""
    for pattern, replacement in _MARKDOWN:
        text = pattern.sub(replacement, text)
    return re.sub(r"[ \t]+", " ", text).strip()
