"""Index the words of every script: stems were cut to ASCII tokens, so documents in Bulgarian
or Greek (and the Cyrillic or Greek words of any other) had no searchable word. Only the
documents with such letters are re-derived; the PostgreSQL ``tsv`` column follows ``stems``."""

import re

from django.db import migrations

NON_LATIN = re.compile(r"[^\W\d_a-zA-Z\u00c0-\u024f]")


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from govhub.search.engine import document_stems

    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchTerm = apps.get_model("search", "SearchTerm")
    sqlite = schema_editor.connection.vendor == "sqlite"
    rows = SearchDocument.objects.values_list("id", "title", "body", "language", "concepts")
    words: set[str] = set()
    with schema_editor.connection.cursor() as cursor:
        for doc_id, title, body, language, concepts in rows.iterator(chunk_size=2000):
            if not NON_LATIN.search(f"{title} {body}"):
                continue
            stems = document_stems(title, body, language)
            SearchDocument.objects.filter(id=doc_id).update(stems=stems)
            if sqlite:
                cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [doc_id])
                cursor.execute(
                    "INSERT INTO search_fts (rowid, stems, concepts) VALUES (%s, %s, %s)",
                    [doc_id, stems, concepts],
                )
            words.update(w for w in stems.split() if 2 <= len(w) <= 64 and not w[0].isdigit())
    SearchTerm.objects.bulk_create(
        [SearchTerm(term=w) for w in sorted(words)], batch_size=500, ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_vocabulary_prefix_index")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
