"""Reading what a member typed into the search box, whatever it is.

Words separated by spaces must all appear; "quoted words" must appear exactly as typed, spaces
included; a word with a leading minus must not appear. Anything else (a lone quote, only
punctuation, control characters, a very long query) is tidied up, never refused with an error.
"""

import re
from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from cityhall.core.text import nfkc
from cityhall.search.text import fold, query_tokens, runs

MAX_QUERY_CHARS = 200
MAX_TERMS = 10
_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u200b-\u200f\u202a-\u202e\ufeff]")
# A quoted phrase, or a run of anything but spaces; a lone quote is just a character.
_PIECE = re.compile(r'(-?)"([^"]*)"|(\S+)')
_MINUSES = "-\u2212\u2010\u2011\u2012\u2013\u2014\u2015\ufe63\uff0d"


@dataclass
class Term:
    text: str  # folded: compared with the folded document
    exact: list[str]  # bigrams the index must hold
    prefixes: list[str]  # single characters that must start an indexed token

    @property
    def matched_by_tokens(self) -> bool:
        """One or two letters with nothing between: holding the token means holding the text,
        so the substring check (which reads every candidate's whole text) can be skipped."""
        return len(self.text) <= 2 and runs(self.text) == [self.text]


@dataclass
class Query:
    raw: str = ""
    include: list[Term] = field(default_factory=list)
    exclude: list[Term] = field(default_factory=list)
    notices: list[str] = field(default_factory=list)

    @property
    def is_empty(self) -> bool:
        return not self.raw

    @property
    def searchable(self) -> bool:
        return bool(self.include)

    @property
    def highlight(self) -> list[str]:
        return [term.text for term in self.include]


def clean(raw: str) -> str:
    """The query without control or invisible characters, NFKC, spaces collapsed."""
    text = _CONTROL.sub("", raw or "")
    return " ".join(nfkc(text).split())


def _term(text: str) -> Term | None:
    folded = fold(text)
    exact, prefixes = query_tokens(folded)
    # A lone dash folds to ー, a letter; on its own it means punctuation, not a word.
    if (not exact and not prefixes) or not folded.strip("ー "):
        return None  # only punctuation or symbols: nothing the index can look for
    return Term(folded, exact, prefixes)


def parse(raw: str) -> Query:
    text = clean(raw)
    query = Query(raw=text)
    if len(text) > MAX_QUERY_CHARS:
        text = text[:MAX_QUERY_CHARS]
        query.raw = text
        query.notices.append(
            _("検索語が長すぎるため、最初の%(n)d文字で検索しました。") % {"n": MAX_QUERY_CHARS}
        )
    if text.count('"') % 2:  # a lone quote: treat it as a space
        text = text.replace('"', " ")
    dropped = False
    for match in _PIECE.finditer(text):
        minus, phrase, word = match.groups()
        if phrase is not None:
            negative, body = bool(minus), phrase
        else:
            negative = len(word) > 1 and word[0] in _MINUSES
            body = word[1:] if negative else word
        term = _term(body)
        if term is None:
            dropped = dropped or bool(body.strip())
            continue
        bucket = query.exclude if negative else query.include
        if term.text not in {t.text for t in bucket}:
            bucket.append(term)
    if len(query.include) + len(query.exclude) > MAX_TERMS:
        query.include = query.include[:MAX_TERMS]
        query.exclude = query.exclude[: max(0, MAX_TERMS - len(query.include))]
        notice = _("検索語が多すぎるため、最初の%(n)d語で検索しました。")
        query.notices.append(notice % {"n": MAX_TERMS})
    if query.raw and not query.include:
        if query.exclude:
            query.notices.append(
                _("除外する語だけでは検索できません。探したい語も入力してください。")
            )
        else:
            query.notices.append(
                _("検索できる文字が含まれていません。文字や数字を入力してください。")
            )
    elif dropped:
        query.notices.append(_("記号だけの語は検索に使いませんでした。"))
    return query
