"""Speed at scale: a vocabulary table for typo tolerance (instead of reading every document's
words), an FTS5 prefix index for the 6-letter cognate prefixes (SQLite), and an index for
recommendation candidates."""

from django.db import migrations, models


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute(
            "CREATE INDEX search_term_prefix ON search_searchterm (term text_pattern_ops)"
        )
        # With the default statistics most words fall outside the most common elements, and
        # a rare word list looks common: the planner then scans the table (measured: 0.5 s at
        # a million rows instead of 10 ms through the index).
        schema_editor.execute(
            "ALTER TABLE search_searchdocument ALTER COLUMN tsv SET STATISTICS 5000"
        )
    elif connection.vendor == "sqlite":
        # FTS5 cannot add a prefix index to an existing table: rebuild it from the rows.
        schema_editor.execute("DROP TABLE IF EXISTS search_fts_vocab")
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "stems, concepts, tokenize='unicode61 remove_diacritics 2', prefix='6')"
        )
        schema_editor.execute(
            "INSERT INTO search_fts (rowid, stems, concepts) "
            "SELECT id, stems, concepts FROM search_searchdocument"
        )
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchTerm = apps.get_model("search", "SearchTerm")
    words: set[str] = set()
    for stems in SearchDocument.objects.values_list("stems", flat=True).iterator(chunk_size=2000):
        words.update(w for w in stems.split() if 2 <= len(w) <= 64 and not w[0].isdigit())
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=w) for w in sorted(words)], batch_size=500, ignore_conflicts=True
    )


def backwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    connection = schema_editor.connection
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP INDEX IF EXISTS search_term_prefix")
        schema_editor.execute("ALTER TABLE search_searchdocument ALTER COLUMN tsv SET STATISTICS -1")
    elif connection.vendor == "sqlite":
        schema_editor.execute("DROP TABLE IF EXISTS search_fts")
        schema_editor.execute(
            "CREATE VIRTUAL TABLE search_fts USING fts5("
            "stems, concepts, tokenize='unicode61 remove_diacritics 2')"
        )
        schema_editor.execute("CREATE VIRTUAL TABLE search_fts_vocab USING fts5vocab(search_fts, row)")
        schema_editor.execute(
            "INSERT INTO search_fts (rowid, stems, concepts) "
            "SELECT id, stems, concepts FROM search_searchdocument"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0002_text_engine")]
    operations = [
        migrations.CreateModel(
            name="SearchTerm",
            fields=[("term", models.CharField(max_length=64, primary_key=True, serialize=False))],
        ),
        migrations.AddIndex(
            model_name="searchdocument",
            index=models.Index(
                fields=["kind", "cpv_division", "-published", "-id"], name="search_doc_kind_cpv"
            ),
        ),
        migrations.RunPython(forwards, backwards),
    ]
