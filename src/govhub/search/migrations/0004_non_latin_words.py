"""Index the words of every script: stems were cut to ASCII tokens, so documents in Bulgarian
or Greek, and the words of any language with a letter that folding leaves non-ASCII (Polish
ł, Danish ø, æ, œ, đ…), had no or broken searchable words. Every row's stems are derived
again and the rows that differ rewritten; the PostgreSQL ``tsv`` column follows ``stems``.

It calls the search engine's own ``document_stems`` (what new rows get), not a frozen copy:
the point is that old rows end up as a fresh index would have them.
"""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from govhub.search.engine import document_stems

    connection = schema_editor.connection
    alias = connection.alias
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchTerm = apps.get_model("search", "SearchTerm")
    rows = SearchDocument.objects.using(alias).values_list(
        "id", "title", "body", "language", "stems", "concepts"
    )
    words: set[str] = set()
    with connection.cursor() as cursor:
        for doc_id, title, body, language, old, concepts in rows.iterator(chunk_size=2000):
            stems = document_stems(title, body, language)
            if stems == old:
                continue
            SearchDocument.objects.using(alias).filter(id=doc_id).update(stems=stems)
            if connection.vendor == "sqlite":
                cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [doc_id])
                cursor.execute(
                    "INSERT INTO search_fts (rowid, stems, concepts) VALUES (%s, %s, %s)",
                    [doc_id, stems, concepts],
                )
            words.update(w for w in stems.split() if 2 <= len(w) <= 64 and not w[0].isdigit())
    SearchTerm.objects.using(alias).bulk_create(
        [SearchTerm(term=w) for w in sorted(words)], batch_size=500, ignore_conflicts=True
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_vocabulary_prefix_index")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
