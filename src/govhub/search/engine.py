"""One search interface, two text engines: SQLite FTS5 (embedded default), PostgreSQL FTS.

Both index the same two texts of a :class:`SearchDocument`: ``stems`` (the item's words,
stemmed in its language by Snowball, accents folded) and ``concepts`` (CPV tokens such as
``c4521 g452 d45`` for its codes). A query is stemmed under every platform language (its
language is unknown), each word may match any of its stems, and it is expanded with the CPV
concepts the suggester finds for it, which is what lets "hospital construction" find a
Portuguese "construção do novo Hospital". Facets, sorting and pages are plain SQL on the
document table, identical on both engines.
"""

from __future__ import annotations

import datetime as dt
import difflib
import heapq
import json
import re
from collections import defaultdict
from collections.abc import Iterable, Sequence
from typing import Any

from django.db import connection

from govhub.matching.text import fold, stem_words

QUERY_LANGUAGES = ("en", "fr", "de", "it", "lt", "es", "pt", "pl", "nl", "el")
MAX_MATCHES = 500  # the best matches by bm25 / ts_rank_cd; facets count these
CANDIDATES = 500  # matches scored by the precise query
# Matches scored by each broad query (one per word, one for concepts). They rank below every
# precise match, so fewer of them change little: at a million rows, 150 instead of 500 kept
# 92 % of the top 10 (150 queries) and cut p95 from 56–80 ms to 40 ms (docs/benchmarks.md).
BROAD_CANDIDATES = 150
PREFIX_WORDS = 300  # a prefix with more indexed words stays a prefix (PostgreSQL)
# Letters and digits of any script: Bulgarian and Greek are EU languages too (an ASCII-only
# token once left their notices with no searchable word). Both engines tokenise the same way
# (FTS5 unicode61, PostgreSQL's parser), and a token never holds a quote or an operator.
_TOKEN = re.compile(r"[^\W_]+")


def concept_tokens(codes: Sequence[str]) -> str:
    out: dict[str, None] = {}
    for code in codes:
        if len(code) >= 2 and code[:2].isdigit():
            out[f"c{code[:4]}"] = None
            out[f"g{code[:3]}"] = None
            out[f"d{code[:2]}"] = None
    return " ".join(out)


def document_stems(title: str, body: str, language: str) -> str:
    """Title twice (it says more), then the body; stemmed in the item's language if known."""
    languages = (language,) if language else ("en",)
    parts = []
    for lang in languages:
        parts.extend(stem_words(f"{title} {title} {body}", lang))
    return " ".join(_TOKEN.findall(" ".join(parts)))


# Each query word costs a vocabulary look-up and, when few documents have every word, a query
# of its own: an anonymous visitor's 150-word query must not cost hundreds of queries.
MAX_QUERY_WORDS = 12


def query_terms(text: str) -> list[set[str]]:
    """For each query word (the first ``MAX_QUERY_WORDS``): its folded form and its stems in
    the platform languages."""
    terms = []
    for word in re.findall(r"[^\W_]+", text or "")[:MAX_QUERY_WORDS]:
        variants = {fold(word)}
        for language in QUERY_LANGUAGES:
            variants.update(stem_words(word, language))
        # Cognates across languages share their first letters (hospital, hôpital, Hospital;
        # construction, construção, Konstruktion): a long word also matches its 6-letter stem.
        variants |= {v[:6] for v in variants if len(v) >= 7}
        variants = {v for v in variants if _TOKEN.fullmatch(v) and len(v) >= 2}
        if variants:
            terms.append(variants)
    return terms


def _fts_group(variants: set[str], cognates: bool = True) -> str:
    """A word's variants for FTS5: 6-letter prefixes match anything longer, others exactly
    (every variant exactly when ``cognates`` is false)."""
    if not cognates:
        return "(" + " OR ".join(f'"{v}"' for v in sorted(variants)) + ")"
    prefixes = {v for v in variants if len(v) == 6}
    kept = sorted(v for v in variants if not any(v != p and v.startswith(p) for p in prefixes))
    return "(" + " OR ".join(f'"{v}"*' if len(v) == 6 else f'"{v}"' for v in kept) + ")"


def _ts_group(words: set[str], prefixes: set[str]) -> str:
    """The same for a PostgreSQL tsquery: exact words, and prefixes that match longer ones."""
    kept = sorted(w for w in words if not any(w.startswith(p) for p in prefixes))
    return "(" + " | ".join([*kept, *(f"{p}:*" for p in sorted(prefixes))]) + ")"


# SQL over the document table's own columns, with its parameters: what every candidate must be.
Where = tuple[str, list[Any]]


def remember_words(stems: Iterable[str]) -> None:
    """Adds an indexed document's words to the vocabulary used for typo tolerance."""
    from .models import SearchTerm

    words = {w for text in stems for w in text.split() if 2 <= len(w) <= 64 and not w[0].isdigit()}
    if words:
        SearchTerm.objects.bulk_create(
            [SearchTerm(term=w) for w in sorted(words)], batch_size=500, ignore_conflicts=True
        )


class Backend:
    """A text engine. Matching runs in at most two passes, each a few bounded queries:

    1. *precise*: documents that have every query word; when fewer than MAX_MATCHES,
    2. *broad*: documents that have any one word or concept, one query per word, so a rare
       word's documents are not crowded out by a common word's; their scores add up.

    Each query scores at most CANDIDATES (BROAD_CANDIDATES) documents, the newest on SQLite,
    the first in table order on PostgreSQL, not every match: a common word matches tens of
    thousands at scale, and scoring them all is what made search slow. Precise matches rank
    above broad-only ones.
    """

    vendor = ""

    def write(self, doc_id: int, stems: str, concepts: str) -> None:
        raise NotImplementedError

    def remove(self, doc_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def precise(self, groups: list[str]) -> str:
        raise NotImplementedError

    def broad(self, groups: list[str], concepts: Sequence[str]) -> list[str]:
        raise NotImplementedError

    def group(self, variants: set[str], cognates: bool = True) -> str:
        """A query word's variants as the engine's expression; with ``cognates`` the 6-letter
        cognate prefixes match longer words too."""
        raise NotImplementedError

    def run(self, expression: str, limit: int, where: Where | None = None) -> dict[int, float]:
        """(document id → score, higher is better) of at most ``limit`` matches, only among
        the documents ``where`` admits when given."""
        raise NotImplementedError

    def has_word(self, word: str) -> bool:
        raise NotImplementedError

    def vocabulary_range(
        self, prefix: str, shortest: int, longest: int, limit: int = 20000
    ) -> list[str]:
        """Vocabulary words starting with ``prefix``, of the given lengths."""
        raise NotImplementedError

    def match(
        self,
        terms: list[set[str]],
        concepts: Sequence[str],
        *,
        indexed_after: dt.datetime | None = None,
        where: Where | None = None,
        precise_only: int = 0,
    ) -> list[tuple[int, float]]:
        """The best matches. With ``indexed_after`` (saved-search alerts) only documents
        indexed since then are candidates, and with ``where`` (the page's filters) only the
        documents it admits, so a capped candidate set never hides what is new, or what is in
        the chosen country, behind other matches. ``precise_only`` (a limit) skips the broad pass:
        the documents with every word, at most that many."""
        if not terms:
            return []
        clauses = [where] if where else []
        if indexed_after is not None:
            since = connection.ops.adapt_datetimefield_value(indexed_after)
            clauses.append(("indexed_at > %s", [since]))
        restriction: Where | None = (
            (" AND ".join(f"({sql})" for sql, _ in clauses), [p for _, ps in clauses for p in ps])
            if clauses
            else None
        )
        # The precise pass wants every word in one of its own forms; cognates (6-letter
        # prefixes) only join in the broad pass. With them, a common prefix made the precise
        # query an AND of large unions (40–50 ms at a million rows for "Planungswettbewerb
        # Services") whose matches were mostly not what was asked.
        limit = precise_only or CANDIDATES
        scores = self.run(
            self.precise([self.group(t, cognates=False) for t in terms]), limit, restriction
        )
        if len(scores) < MAX_MATCHES and not precise_only:
            broad: dict[int, float] = defaultdict(float)
            for expression in self.broad([self.group(t) for t in terms], concepts):
                for doc_id, score in self.run(expression, BROAD_CANDIDATES, restriction).items():
                    broad[doc_id] += score
            floor = max(broad.values(), default=0.0)
            scores = {
                **{i: s for i, s in broad.items() if i not in scores},
                **{i: s + floor for i, s in scores.items()},
            }
        best = heapq.nlargest(MAX_MATCHES, scores, key=scores.__getitem__)
        return [(doc_id, scores[doc_id]) for doc_id in best]

    def id_list(self, ids: list[int]) -> tuple[str, list[Any]]:
        """SQL and its one parameter listing ``ids``, for ``id IN (…)``."""
        raise NotImplementedError

    def known(self, variants: set[str]) -> bool:
        """Whether the vocabulary has a word starting with one of the variants."""
        raise NotImplementedError

    def vocabulary_near(self, word: str) -> list[str]:
        """Indexed words close to a misspelt one (same first two letters, length within two,
        difflib ratio ≥ 0.75), each checked against the live index: the vocabulary may still
        hold words of documents removed since."""
        if len(word) < 4:
            return []
        vocabulary = self.vocabulary_range(word[:2], len(word) - 2, len(word) + 2)
        near = difflib.get_close_matches(word, vocabulary, n=3, cutoff=0.75)
        return [w for w in near if self.has_word(w)]


class SqliteBackend(Backend):
    vendor = "sqlite"
    _RANK = "bm25(search_fts, 10.0, 1.0)"

    def write(self, doc_id: int, stems: str, concepts: str) -> None:
        with connection.cursor() as cursor:
            cursor.execute("DELETE FROM search_fts WHERE rowid = %s", [doc_id])
            cursor.execute(
                "INSERT INTO search_fts (rowid, stems, concepts) VALUES (%s, %s, %s)",
                [doc_id, stems, concepts],
            )

    def remove(self, doc_ids: Sequence[int]) -> None:
        with connection.cursor() as cursor:
            for start in range(0, len(doc_ids), 500):
                chunk = list(doc_ids[start : start + 500])
                marks = ",".join(["%s"] * len(chunk))
                cursor.execute(f"DELETE FROM search_fts WHERE rowid IN ({marks})", chunk)  # noqa: S608

    def group(self, variants: set[str], cognates: bool = True) -> str:
        return _fts_group(variants, cognates)

    def precise(self, groups: list[str]) -> str:
        return f"stems : ({' AND '.join(groups)})"

    def broad(self, groups: list[str], concepts: Sequence[str]) -> list[str]:
        out = [f"stems : {g}" for g in groups]
        if concepts:
            out.append("concepts : (" + " OR ".join(f'"{c}"' for c in concepts) + ")")
        return out

    def run(self, expression: str, limit: int, where: Where | None = None) -> dict[int, float]:
        # Newest first: FTS5 walks its lists in rowid order and stops at the limit, so only
        # these candidates are scored (bm25 is negative, lower is better).
        # A restriction joins the document row of each match as FTS5 yields it (a primary-key
        # look-up); "rowid IN (SELECT …)" made SQLite evaluate the MATCH in full: 2.5 s p95.
        join, admitted = (
            (
                " JOIN search_searchdocument ON search_searchdocument.id = search_fts.rowid",
                f" AND ({where[0]})",
            )
            if where
            else ("", "")
        )
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT search_fts.rowid, {self._RANK} FROM search_fts{join} "  # noqa: S608 - SQL the ORM built, values bound
                f"WHERE search_fts MATCH %s{admitted} ORDER BY search_fts.rowid DESC LIMIT %s",
                [expression, *(where[1] if where else []), limit],
            )
            return {int(r): -float(s) for r, s in cursor.fetchall()}

    def id_list(self, ids: list[int]) -> tuple[str, list[Any]]:
        return "SELECT value FROM json_each(%s)", [json.dumps(ids)]

    def known(self, variants: set[str]) -> bool:
        if not variants:
            return False
        ranges = " OR ".join(["(term >= %s AND term < %s)"] * len(variants))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM search_searchterm WHERE {ranges} LIMIT 1",  # noqa: S608
                [x for v in sorted(variants) for x in (v, v + "\U0010ffff")],
            )
            return cursor.fetchone() is not None

    def has_word(self, word: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM search_fts WHERE search_fts MATCH %s LIMIT 1", [f'stems : "{word}"']
            )
            return cursor.fetchone() is not None

    def vocabulary_range(
        self, prefix: str, shortest: int, longest: int, limit: int = 20000
    ) -> list[str]:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM search_searchterm WHERE term >= %s AND term < %s "
                "AND length(term) BETWEEN %s AND %s LIMIT %s",
                [prefix, prefix + "\U0010ffff", shortest, longest, limit],
            )
            return [r[0] for r in cursor.fetchall()]


class PostgresBackend(Backend):
    """``tsv`` is a generated column of the document table (migration 0002): nothing to write."""

    vendor = "postgresql"

    def write(self, doc_id: int, stems: str, concepts: str) -> None:
        return None

    def remove(self, doc_ids: Sequence[int]) -> None:
        return None

    def group(self, variants: set[str], cognates: bool = True) -> str:
        if not cognates:
            return _ts_group(variants, set())
        # A prefix (``constr:*``) is a partial match for GIN: it reads every posting list of
        # the prefix before any AND can skip, which made a common prefix cost 100 ms at a
        # million documents. The vocabulary expands it into exact words instead.
        words = {v for v in variants if len(v) != 6}
        prefixes = set()
        for prefix in sorted(v for v in variants if len(v) == 6):
            expanded = self.vocabulary_range(prefix, 6, 64, limit=PREFIX_WORDS)
            if len(expanded) < PREFIX_WORDS:
                words.update(expanded or [prefix])
            else:
                prefixes.add(prefix)
        return _ts_group(words, prefixes)

    def precise(self, groups: list[str]) -> str:
        return " & ".join(groups)

    def broad(self, groups: list[str], concepts: Sequence[str]) -> list[str]:
        return [*groups, *(["(" + " | ".join(concepts) + ")"] if concepts else [])]

    def run(self, expression: str, limit: int, where: Where | None = None) -> dict[int, float]:
        # The GIN index finds the matches; only the first ``limit`` rows (in table order:
        # sorting every match would read them all, and "ORDER BY id DESC" doubled p95 at 1M
        # rows) are fetched and scored. For a common word the planner rightly scans the table
        # until it has enough rows; for a rare one it must use the index, hence tsv's larger
        # statistics (migration 0003).
        admitted = f" AND ({where[0]})" if where else ""
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT c.id, ts_rank_cd(c.tsv, q.q) FROM to_tsquery('simple', %s) AS q(q), "  # noqa: S608 - fixed SQL, values bound
                "LATERAL (SELECT id, tsv FROM search_searchdocument WHERE tsv @@ q.q"
                f"{admitted} LIMIT %s) c",
                [expression, *(where[1] if where else []), limit],
            )
            return {int(r): float(s) for r, s in cursor.fetchall()}

    def id_list(self, ids: list[int]) -> tuple[str, list[Any]]:
        return "SELECT unnest(%s::bigint[])", [ids]

    def known(self, variants: set[str]) -> bool:
        if not variants:
            return False
        likes = " OR ".join(["term LIKE %s"] * len(variants))
        with connection.cursor() as cursor:
            cursor.execute(
                f"SELECT 1 FROM search_searchterm WHERE {likes} LIMIT 1",  # noqa: S608
                [v + "%" for v in sorted(variants)],
            )
            return cursor.fetchone() is not None

    def has_word(self, word: str) -> bool:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM search_searchdocument WHERE tsv @@ to_tsquery('simple', %s) LIMIT 1",
                [word],
            )
            return cursor.fetchone() is not None

    def vocabulary_range(
        self, prefix: str, shortest: int, longest: int, limit: int = 20000
    ) -> list[str]:
        # LIKE on a text_pattern_ops index (migration 0003): a range scan whatever the collation.
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM search_searchterm WHERE term LIKE %s "
                "AND length(term) BETWEEN %s AND %s LIMIT %s",
                [prefix + "%", shortest, longest, limit],
            )
            return [r[0] for r in cursor.fetchall()]


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
