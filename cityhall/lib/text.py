"""Japanese text normalisation shared by search, matching and duplicate detection."""

import re
import unicodedata

_KATAKANA_START, _KATAKANA_END = ord("ァ"), ord("ヶ")
_SPACES = re.compile(r"\s+")


def normalize(text: str) -> str:
    """NFKC (full/half width), lower case, katakana folded to hiragana, spaces collapsed."""
    text = unicodedata.normalize("NFKC", text or "").lower()
    folded = "".join(
        chr(ord(ch) - 0x60) if _KATAKANA_START <= ord(ch) <= _KATAKANA_END else ch for ch in text
    )
    return _SPACES.sub(" ", folded).strip()


def compact(text: str) -> str:
    """normalize() without any spaces: for comparing names typed with or without a gap."""
    return normalize(text).replace(" ", "")


_KANA = re.compile(r"^[\u3041-\u3096\u30a1-\u30fa\u30fc\u30fb\u3000 ー゛゜ヽヾゝゞ]+$")


def is_kana(text: str) -> bool:
    """True when the text is hiragana or katakana (full or half width) only."""
    return bool(_KANA.match(unicodedata.normalize("NFKC", text or "")))


def to_katakana(text: str) -> str:
    """Hiragana to full-width katakana, after NFKC; used to store kana readings uniformly."""
    text = unicodedata.normalize("NFKC", text or "").strip()
    return "".join(chr(ord(ch) + 0x60) if "ぁ" <= ch <= "ゖ" else ch for ch in text)
