"""CJK-friendly emphasis for markdown-it-py.

CommonMark decides whether ``**`` may open or close emphasis from the characters beside it
(the "flanking" rule). It was written for languages that put spaces between words: a run
preceded by punctuation may only close when followed by whitespace or punctuation. Japanese has
no spaces, so ``**定期接種（B類疾病）**として`` stays literal because 「）」 is punctuation and
「と」 is neither.

The CJK-friendly amendment (the markdown-cjk-friendly specification, implemented for JavaScript
as markdown-it-cjk-friendly) adds one case to each side: a run is also

- left-flanking when it is followed by punctuation and preceded by a CJK character;
- right-flanking when it is preceded by punctuation and followed by a CJK character.

A variation selector after a CJK character (異体字セレクタ) counts as that character. Nothing
else changes, so text without CJK characters renders exactly as CommonMark says.

The Python port on PyPI pins markdown-it-py below 4, so this is our own small rule: after the
stock ``emphasis`` / ``strikethrough`` tokenizers record a delimiter run, we recompute whether
it may open or close.

One addition of ours: a run of ``*`` with ASCII digits on both sides (``2**3**4``, ``3*4*5``)
neither opens nor closes: members writing about budgets and formulas mean arithmetic there.
"""

import unicodedata
from collections.abc import Callable

from markdown_it import MarkdownIt
from markdown_it.common.utils import isMdAsciiPunct, isPunctChar, isWhiteSpace
from markdown_it.rules_inline import StateInline

Tokenize = Callable[[StateInline, bool], bool]


def _is_variation_selector(ch: str) -> bool:
    code = ord(ch)
    return 0xFE00 <= code <= 0xFE0E or 0xE0100 <= code <= 0xE01EF


def is_cjk(ch: str) -> bool:
    """Wide, fullwidth and halfwidth characters (kanji, kana, hangul, CJK punctuation and
    fullwidth forms), except emoji, which are wide too but are not writing."""
    code = ord(ch)
    if 0x1F000 <= code <= 0x1FAFF:  # emoji and pictographs
        return False
    if 0x1100 <= code <= 0x11FF or 0xAC00 <= code <= 0xD7AF:  # hangul, some marked neutral
        return True
    return unicodedata.east_asian_width(ch) in ("W", "F", "H")


def _char_before(src: str, pos: int) -> str:
    """The character before pos, seeing through a variation selector to its base character."""
    if pos <= 0:
        return " "  # the start of the line counts as whitespace
    ch = src[pos - 1]
    if _is_variation_selector(ch) and pos >= 2:
        return src[pos - 2]
    return ch


def _is_punct(ch: str) -> bool:
    return isMdAsciiPunct(ord(ch)) or isPunctChar(ch)


def flanking(src: str, start: int, end: int) -> tuple[bool, bool]:
    """(left-flanking, right-flanking) for the delimiter run src[start:end]."""
    last = _char_before(src, start)
    following = src[end] if end < len(src) else " "
    last_white, next_white = isWhiteSpace(ord(last)), isWhiteSpace(ord(following))
    last_punct, next_punct = _is_punct(last), _is_punct(following)
    left = not next_white and (
        not next_punct or last_white or last_punct or is_cjk(last)  # the last: CJK amendment
    )
    right = not last_white and (
        not last_punct or next_white or next_punct or is_cjk(following)  # ditto
    )
    return left, right


def _rescan(state: StateInline, start: int, first_delimiter: int) -> None:
    end = state.pos
    marker = state.src[start]
    left, right = flanking(state.src, start, end)
    if marker == "*" and _between_digits(state.src, start, end):
        left = right = False
    if marker == "_":  # underscores never split a word
        last, following = _char_before(state.src, start), state.src[end : end + 1] or " "
        can_open = left and (not right or _is_punct(last))
        can_close = right and (not left or _is_punct(following))
    else:
        can_open, can_close = left, right
    for delimiter in state.delimiters[first_delimiter:]:
        delimiter.open, delimiter.close = can_open, can_close


def _between_digits(src: str, start: int, end: int) -> bool:
    before = src[start - 1] if start > 0 else ""
    after = src[end] if end < len(src) else ""
    return before.isascii() and before.isdigit() and after.isascii() and after.isdigit()


def _cjk_friendly(tokenize: Tokenize) -> Tokenize:
    def rule(state: StateInline, silent: bool) -> bool:
        start, first_delimiter = state.pos, len(state.delimiters)
        if not tokenize(state, silent):
            return False
        if len(state.delimiters) > first_delimiter:
            _rescan(state, start, first_delimiter)
        return True

    return rule


def cjk_friendly_plugin(md: MarkdownIt) -> None:
    """Make ``*``, ``_`` and ``~~`` runs open and close by the CJK-friendly flanking rule."""
    for name in ("emphasis", "strikethrough"):
        rules = md.inline.ruler.__rules__
        index = md.inline.ruler.__find__(name)
        if index == -1:
            continue
        md.inline.ruler.at(name, _cjk_friendly(rules[index].fn))
