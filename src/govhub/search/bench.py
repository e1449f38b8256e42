"""Search at scale: real notices recombined into N synthetic index rows, then timed queries.

Writes into the configured database (rows whose object_id starts with ``bench-``, deleted at
the end): point DATABASE_URL at a throwaway database, as for ``govhub bench import``.
"""

from __future__ import annotations

import gc
import json
import random
import time
from collections.abc import Callable
from typing import Any

from django.db import connection, transaction
from django.utils import timezone

from govhub.matching import metrics
from govhub.matching.recommend import similar_documents
from govhub.opportunities.ted import TedNotice

from .engine import backend, concept_tokens, document_stems, remember_words
from .models import SearchDocument
from .selectors import Filters, search

PREFIX = "bench-"
BATCH = 2000
_TITLE_STEMS: dict[int, str] = {}
_BODY_STEMS: dict[int, str] = {}


def _rows(notices: list[TedNotice], n: int, rng: random.Random) -> list[SearchDocument]:
    rows = []
    for i in range(n):
        a, b, c = rng.choice(notices), rng.choice(notices), rng.choice(notices)
        title = a.title or c.title
        body = b.short_description[:600]
        if id(a) not in _TITLE_STEMS:
            _TITLE_STEMS[id(a)] = document_stems(title, "", a.original_language)
        if id(b) not in _BODY_STEMS:
            _BODY_STEMS[id(b)] = document_stems("", body, b.original_language)
        rows.append(
            SearchDocument(
                kind="opportunity",
                object_id=f"{PREFIX}{i}",
                public_id=f"{PREFIX}{i}",
                url="/",
                title=title,
                body=body,
                language=a.original_language,
                stems=f"{_TITLE_STEMS[id(a)]} {_BODY_STEMS[id(b)]}",
                concepts=concept_tokens([c.cpv_main]),
                cpv_codes=[c.cpv_main],
                cpv_division=c.cpv_main[:2],
                country=c.country,
                nuts=(c.nuts_codes or [""])[0][:5],
                status="open",
                published=c.publication_date,
                deadline=None,
                value=c.estimated_value,
                currency=c.currency,
            )
        )
    return rows


_COPY_FIELDS = (
    "kind", "object_id", "public_id", "url", "title", "body", "language", "stems", "concepts",
    "cpv_codes", "cpv_division", "country", "nuts", "status", "published", "deadline", "value",
    "currency", "indexed_at",
)  # fmt: skip


def generate(notices: list[TedNotice], n: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    engine = backend()
    now = timezone.now()
    for start in range(0, n, BATCH):
        rows = _rows(notices, min(BATCH, n - start), rng)
        for offset, row in enumerate(rows):
            row.object_id = row.public_id = f"{PREFIX}{start + offset}"
        with transaction.atomic():
            if engine.vendor == "postgresql":
                # COPY: a million rows in minutes (the tsvector column is generated).
                with connection.cursor() as cursor:
                    columns = ", ".join(_COPY_FIELDS)
                    with cursor.copy(f"COPY search_searchdocument ({columns}) FROM STDIN") as copy:
                        for row in rows:
                            row.indexed_at = now
                            copy.write_row(
                                [
                                    json.dumps(row.cpv_codes)
                                    if f == "cpv_codes"
                                    else getattr(row, f)
                                    for f in _COPY_FIELDS
                                ]
                            )
                continue
            created = SearchDocument.objects.bulk_create(rows)
            if engine.vendor == "sqlite":
                if created and created[0].pk is None:
                    ids = dict(
                        SearchDocument.objects.filter(
                            object_id__in=[r.object_id for r in rows]
                        ).values_list("object_id", "id")
                    )
                    for row in created:
                        row.pk = ids[row.object_id]
                with connection.cursor() as cursor:
                    cursor.executemany(
                        "INSERT INTO search_fts (rowid, stems, concepts) VALUES (%s, %s, %s)",
                        [(r.pk, r.stems, r.concepts) for r in created],
                    )
    with transaction.atomic():
        remember_words([*_TITLE_STEMS.values(), *_BODY_STEMS.values()])
    if engine.vendor == "postgresql":
        # As autovacuum would after such a load: statistics, and the GIN index's pending list
        # merged (every search reads that list through until it is).
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE search_searchdocument")


def remove() -> None:
    ids = list(
        SearchDocument.objects.filter(object_id__startswith=PREFIX).values_list("id", flat=True)
    )
    backend().remove(ids)
    for start in range(0, len(ids), 5000):
        SearchDocument.objects.filter(id__in=ids[start : start + 5000]).delete()


def bench_scale(
    notices: list[TedNotice],
    n: int,
    *,
    queries: int = 200,
    log: Callable[[str], None] = print,
    keep: bool = False,
) -> dict[str, Any]:
    """``keep`` leaves the rows for the next run, which reuses them when there are ``n``."""
    rng = random.Random(11)
    started = time.perf_counter()
    existing = SearchDocument.objects.filter(object_id__startswith=PREFIX).count()
    if existing != n:
        if existing:
            remove()
        generate(notices, n)
        log(f"generated {n} index rows in {time.perf_counter() - started:.0f} s")
    else:
        log(f"reusing the {n} index rows of an earlier run")
    try:
        words = [w for n_ in notices for w in (n_.title or "").split() if len(w) >= 5]
        countries = sorted({n_.country for n_ in notices if n_.country})
        divisions = sorted({n_.cpv_main[:2] for n_ in notices})
        search(query="warm up", filters=Filters(), page_size=20)
        # The harness holds thousands of parsed notices a server would not: keep the cyclic
        # garbage collector's passes over them (hundreds of ms each) out of the timings.
        gc.collect()
        gc.freeze()
        keyword, recommend = [], []
        for _ in range(queries):
            query = " ".join(rng.sample(words, 2))
            facet = rng.choice(
                [Filters(), Filters(country=rng.choice(countries)),
                 Filters(cpv_division=rng.choice(divisions))]
            )  # fmt: skip
            t = time.perf_counter()
            search(query=query, filters=facet, page_size=20)
            keyword.append((time.perf_counter() - t) * 1000)
        for _ in range(max(20, queries // 5)):
            target = rng.choice(notices)
            t = time.perf_counter()
            similar_documents(
                kind="opportunity",
                title=target.title,
                body=target.short_description,
                cpv_codes=[target.cpv_main],
                nuts=(target.nuts_codes or [""])[0],
            )
            recommend.append((time.perf_counter() - t) * 1000)
    finally:
        gc.unfreeze()
        if not keep:
            remove()
    return {
        "items": n,
        "engine": connection.vendor,
        "keyword_facet_ms": {
            "p50": round(metrics.percentile(keyword, 50), 1),
            "p95": round(metrics.percentile(keyword, 95), 1),
            "n": len(keyword),
        },
        "recommendation_ms": {
            "p50": round(metrics.percentile(recommend, 50), 1),
            "p95": round(metrics.percentile(recommend, 95), 1),
            "n": len(recommend),
        },
    }
