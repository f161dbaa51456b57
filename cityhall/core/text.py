"""Japanese text normalisation shared by search, matching and duplicate detection."""

import re
import unicodedata

# Katakana ァ..ヶ to hiragana ぁ..ゖ, for str.translate.
HIRAGANA: dict[int, int] = {code: code - 0x60 for code in range(ord("ァ"), ord("ヶ") + 1)}
_SPACES = re.compile(r"\s+")


def nfkc(text: str) -> str:
    """Full and half widths folded (ＡＢ１ → AB1, ｶﾅ → カナ): Unicode NFKC."""
    return unicodedata.normalize("NFKC", text or "")


def fold_letters(text: str, *, casefold: bool = False) -> str:
    """NFKC, lower case, katakana as hiragana: the folding under normalize() and search's
    fold(). Search asks for Unicode case folding (ß → ss); normalize() keeps lower(), as the
    search_text columns it fills were written with it."""
    text = nfkc(text)
    return (text.casefold() if casefold else text.lower()).translate(HIRAGANA)


def normalize(text: str) -> str:
    """NFKC (full/half width), lower case, katakana folded to hiragana, spaces collapsed."""
    return _SPACES.sub(" ", fold_letters(text)).strip()


def compact(text: str) -> str:
    """normalize() without any spaces: for comparing names typed with or without a gap."""
    return normalize(text).replace(" ", "")


_KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u3000 ー゛゜ヽヾゝゞ]+$")


def is_kana(text: str) -> bool:
    """True when the text is hiragana or katakana (full or half width) only."""
    return bool(_KANA.match(nfkc(text)))


def to_katakana(text: str) -> str:
    """Hiragana to full-width katakana, after NFKC; used to store kana readings uniformly."""
    text = nfkc(text).strip()
    return "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)
