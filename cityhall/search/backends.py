"""The one database-specific part: "documents whose tokens include these".

SQLite: an FTS5 table over Document.tokens (external content, kept in step by triggers; made
by migration 0002), tokenized by splitting on spaces (the `ascii` tokenizer treats every
non-ASCII character as part of a token, and our tokens hold only letters and digits).
PostgreSQL: a GIN index over array_to_tsvector(string_to_array(tokens, ' ')), the tokens taken
verbatim (no parser, no dictionary) and queried with a tsquery of quoted lexemes. Both answer
the same question, so the rest of the search is plain ORM and behaves the same on both.
"""

from django.db import connection
from django.db.models import BooleanField, Q
from django.db.models.expressions import RawSQL

FTS_TABLE = "search_document_fts"
PG_VECTOR = 'array_to_tsvector(string_to_array("search_document"."tokens", \' \'))'


def _fts5(exact: list[str], prefixes: list[str], operator: str) -> str:
    # Tokens are letters and digits only (see text.runs), so quoting cannot be broken out of.
    parts = [f'"{t}"' for t in exact] + [f'"{p}"*' for p in prefixes]
    return f" {operator} ".join(parts)


def _tsquery(exact: list[str], prefixes: list[str], operator: str) -> str:
    parts = [f"'{t}'" for t in exact] + [f"'{p}':*" for p in prefixes]
    return f" {operator} ".join(parts)


def has_tokens(exact: list[str], prefixes: list[str], *, any_of: bool = False) -> Q:
    """Documents holding all (or, with any_of, at least one) of the tokens and prefixes."""
    if not exact and not prefixes:
        return Q()
    if connection.vendor == "postgresql":
        tsquery = _tsquery(exact, prefixes, "|" if any_of else "&")
        # The SQL is constant; the query travels as a parameter.
        sql = f"{PG_VECTOR} @@ %s::tsquery"
        condition = RawSQL(sql, [tsquery], output_field=BooleanField())  # noqa: S611
        return Q(condition)
    match = _fts5(exact, prefixes, "OR" if any_of else "AND")
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return Q(pk__in=RawSQL(sql, [match]))  # noqa: S611
