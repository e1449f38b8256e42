"""The text engine's index: an FTS5 table on SQLite, a generated tsvector + GIN on PostgreSQL."""

from django.db import migrations


def create(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "stems, concepts, tokenize='unicode61 remove_diacritics 2')"
        )
        schema_editor.execute("CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, row)")
    elif vendor == "postgresql":
        schema_editor.execute(
            "ALTER TABLE search_searchdocument ADD COLUMN tsv tsvector GENERATED ALWAYS AS "
            "(setweight(to_tsvector('simple', stems), 'A') || "
            "setweight(to_tsvector('simple', concepts), 'C')) STORED"
        )
        schema_editor.execute(
            "CREATE INDEX search_document_tsv ON search_searchdocument USING GIN (tsv)"
        )


def drop(apps, schema_editor):  # type: ignore[no-untyped-def]
    vendor = schema_editor.connection.vendor
    if vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_vocab")
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
    elif vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_document_tsv")
        schema_editor.execute("ALTER TABLE search_searchdocument DROP COLUMN IF EXISTS tsv")


class Migration(migrations.Migration):
    dependencies = [("search", "0001_initial")]
    operations = [migrations.RunPython(create, drop)]
