"""Index the words of every script: stems were cut to ASCII tokens, so documents in Bulgarian
or Greek, and the words of any language with a letter that folding leaves non-ASCII (Polish
ł, Danish ø, æ, œ, đ…), had no or broken searchable words. The stems of every row with a
non-ASCII character are derived again and the rows that differ rewritten (an ASCII-only text
stems as before); the PostgreSQL ``tsv`` column follows ``stems``.

It calls the search engine's own ``document_stems`` (what new rows get), not a frozen copy:
the point is that old rows end up as a fresh index would have them.

Cost: the search table is locked while it runs. On PostgreSQL the GIN index is dropped first
and built once after, since updating rows under it cost about a second per thousand rows. Stemming
costs about 1.7 ms per document with non-ASCII text (155 s for 89,574 of them).
"""

from django.db import migrations


def forwards(apps, schema_editor):  # type: ignore[no-untyped-def]
    from govhub.search.engine import document_stems

    connection = schema_editor.connection
    postgres = connection.vendor == "postgresql"
    if postgres:
        schema_editor.execute("DROP INDEX IF EXISTS search_document_tsv")
    alias = connection.alias
    SearchDocument = apps.get_model("search", "SearchDocument")
    SearchTerm = apps.get_model("search", "SearchTerm")
    rows = SearchDocument.objects.using(alias).values_list(
        "id", "title", "body", "language", "stems", "concepts"
    )
    words: set[str] = set()
    changed: list[tuple[int, str, str]] = []

    def write() -> None:
        with connection.cursor() as cursor:
            cursor.executemany(
                "UPDATE search_searchdocument SET stems = %s WHERE id = %s",
                [(stems, doc_id) for doc_id, stems, _ in changed],
            )
            if connection.vendor == "sqlite":
                cursor.executemany(
                    "DELETE FROM search_fts WHERE rowid = %s", [(d,) for d, _, _ in changed]
                )
                cursor.executemany(
                    "INSERT INTO search_fts (rowid, stems, concepts) VALUES (%s, %s, %s)",
                    changed,
                )
        changed.clear()

    for doc_id, title, body, language, old, concepts in rows.iterator(chunk_size=2000):
        if title.isascii() and body.isascii():
            continue
        stems = document_stems(title, body, language)
        if stems == old:
            continue
        changed.append((doc_id, stems, concepts))
        words.update(w for w in stems.split() if 2 <= len(w) <= 64 and not w[0].isdigit())
        if len(changed) >= 2000:
            write()
    if changed:
        write()
    SearchTerm.objects.using(alias).bulk_create(
        [SearchTerm(term=w) for w in sorted(words)], batch_size=500, ignore_conflicts=True
    )
    if postgres:
        schema_editor.execute(
            "CREATE INDEX search_document_tsv ON search_searchdocument USING GIN (tsv)"
        )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_vocabulary_prefix_index")]
    operations = [migrations.RunPython(forwards, migrations.RunPython.noop)]
