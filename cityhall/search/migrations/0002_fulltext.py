"""The full-text part of the index, which depends on the database (see search/backends.py).

SQLite: an FTS5 table over search_document.tokens, kept in step by triggers. PostgreSQL: a GIN
index over the tokens as a tsvector. After this migration, `manage.py reindex` fills the index.
"""

from django.db import migrations

FTS = "search_document_fts"
VECTOR = "array_to_tsvector(string_to_array(\"search_document\".\"tokens\", ' '))"

SETUP = {
    "sqlite": [
        f"CREATE VIRTUAL TABLE {FTS} USING fts5(tokens, content='search_document', "
        "content_rowid='id', tokenize='ascii', detail='none')",
        "CREATE TRIGGER search_document_ai AFTER INSERT ON search_document BEGIN "
        f"INSERT INTO {FTS}(rowid, tokens) VALUES (new.id, new.tokens); END",
        "CREATE TRIGGER search_document_ad AFTER DELETE ON search_document BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, tokens) VALUES ('delete', old.id, old.tokens); END",
        "CREATE TRIGGER search_document_au AFTER UPDATE OF tokens ON search_document BEGIN "
        f"INSERT INTO {FTS}({FTS}, rowid, tokens) VALUES ('delete', old.id, old.tokens); "
        f"INSERT INTO {FTS}(rowid, tokens) VALUES (new.id, new.tokens); END",
    ],
    "postgresql": [f"CREATE INDEX search_document_tokens_gin ON search_document USING gin (({VECTOR}))"],
}
TEARDOWN = {
    "sqlite": [
        "DROP TRIGGER IF EXISTS search_document_ai",
        "DROP TRIGGER IF EXISTS search_document_ad",
        "DROP TRIGGER IF EXISTS search_document_au",
        f"DROP TABLE IF EXISTS {FTS}",
    ],
    "postgresql": ["DROP INDEX IF EXISTS search_document_tokens_gin"],
}


def create(apps, schema_editor):
    for sql in SETUP.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


def drop(apps, schema_editor):
    for sql in TEARDOWN.get(schema_editor.connection.vendor, []):
        schema_editor.execute(sql)


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]

    operations = [migrations.RunPython(create, drop)]
