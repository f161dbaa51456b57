"""The one database-specific part: "documents whose tokens include these".

SQLite: an FTS5 table over Document.tokens (external content, kept in step by triggers; made
by migration 0002), tokenized by splitting on spaces (the `ascii` tokenizer treats every
non-ASCII character as part of a token, and our tokens hold only letters and digits).
PostgreSQL: a GIN index over array_to_tsvector(string_to_array(tokens, ' ')), the tokens taken
verbatim (no parser, no dictionary) and queried with a tsquery of quoted lexemes. Both answer
the same question, so the rest of the search is plain ORM and behaves the same on both.
"""

from typing import Any

from django.db import connection
from django.db.models import BooleanField, F, Func, Q, Value
from django.db.models.expressions import RawSQL

FTS_TABLE = "search_document_fts"


class TokensMatch(Func):
    """PostgreSQL: the document's tokens match a tsquery, written as the GIN index's expression
    (migration 0002). The column is compiled, not spelled out, so the condition keeps to its
    own row inside a subquery too (where the table goes by another alias)."""

    output_field = BooleanField()

    def __init__(self, tsquery: str) -> None:
        super().__init__(F("tokens"), Value(tsquery))

    def as_sql(
        self,
        compiler: Any,
        connection: Any,
        function: str | None = None,
        template: str | None = None,
        arg_joiner: str | None = None,
        **extra_context: Any,
    ) -> tuple[str, list[Any]]:
        tokens, tokens_params = compiler.compile(self.source_expressions[0])
        query, query_params = compiler.compile(self.source_expressions[1])
        sql = f"array_to_tsvector(string_to_array({tokens}, ' ')) @@ ({query})::tsquery"
        return sql, [*tokens_params, *query_params]


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
        # The SQL is constant; the query travels as a parameter.
        return Q(TokensMatch(_tsquery(exact, prefixes, "|" if any_of else "&")))
    match = _fts5(exact, prefixes, "OR" if any_of else "AND")
    sql = f"SELECT rowid FROM {FTS_TABLE} WHERE {FTS_TABLE} MATCH %s"  # noqa: S608
    return Q(pk__in=RawSQL(sql, [match]))  # noqa: S611
