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

import difflib
import re
from collections.abc import Sequence

from django.db import connection

from govhub.matching.text import fold, stem_words

QUERY_LANGUAGES = ("en", "fr", "de", "it", "lt", "es", "pt", "pl", "nl")
MAX_MATCHES = 500  # the best matches by bm25 / ts_rank; facets count these
_TOKEN = re.compile(r"[a-z0-9]+")


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


def query_terms(text: str) -> list[set[str]]:
    """For each query word: its folded form and its stems in the platform languages."""
    terms = []
    for word in re.findall(r"[^\W_]+", text or ""):
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


class Backend:
    vendor = ""

    def write(self, doc_id: int, stems: str, concepts: str) -> None:
        raise NotImplementedError

    def remove(self, doc_ids: Sequence[int]) -> None:
        raise NotImplementedError

    def match(self, terms: list[set[str]], concepts: Sequence[str]) -> list[tuple[int, float]]:
        """(document id, score, higher is better) of the best matches."""
        raise NotImplementedError

    def vocabulary_near(self, word: str) -> list[str]:
        return []

    def known(self, variants: set[str]) -> bool:
        """Whether the index has a word starting with one of the variants."""
        return True


def _fts_group(variants: set[str]) -> str:
    """A word's variants for FTS5: 6-letter prefixes match anything longer, others exactly."""
    prefixes = {v for v in variants if len(v) == 6}
    kept = sorted(v for v in variants if not any(v != p and v.startswith(p) for p in prefixes))
    return "(" + " OR ".join(f'"{v}"*' if len(v) == 6 else f'"{v}"' for v in kept) + ")"


class SqliteBackend(Backend):
    vendor = "sqlite"

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

    def match(self, terms: list[set[str]], concepts: Sequence[str]) -> list[tuple[int, float]]:
        # Any word may match; bm25 ranks the items that match more of them (and rarer ones) first.
        words = " OR ".join(_fts_group(t) for t in terms)
        parts = []
        if words:
            parts.append(f"stems : ({words})")
        if concepts:
            parts.append("concepts : (" + " OR ".join(f'"{c}"' for c in concepts) + ")")
        if not parts:
            return []
        expression = " OR ".join(f"({p})" for p in parts)
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT rowid, bm25(search_fts, 10.0, 1.0) FROM search_fts "
                "WHERE search_fts MATCH %s ORDER BY bm25(search_fts, 10.0, 1.0) LIMIT %s",
                [expression, MAX_MATCHES],
            )
            return [(int(r), -float(s)) for r, s in cursor.fetchall()]

    def known(self, variants: set[str]) -> bool:
        with connection.cursor() as cursor:
            for variant in sorted(variants):
                cursor.execute(
                    "SELECT 1 FROM search_fts_vocab WHERE term >= %s AND term < %s LIMIT 1",
                    [variant, variant + "\uffff"],
                )
                if cursor.fetchone():
                    return True
        return False

    def vocabulary_near(self, word: str) -> list[str]:
        """Indexed words close to a misspelt one (same first letter, difflib ratio ≥ 0.75)."""
        if len(word) < 4:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT term FROM search_fts_vocab WHERE term >= %s AND term < %s",
                [word[0], word[0] + "\uffff"],
            )
            vocabulary = [r[0] for r in cursor.fetchall() if not r[0][:1].isdigit()]
        return difflib.get_close_matches(word, vocabulary, n=3, cutoff=0.75)


class PostgresBackend(Backend):
    """``tsv`` is a generated column of the document table (migration 0002): nothing to write."""

    vendor = "postgresql"

    def write(self, doc_id: int, stems: str, concepts: str) -> None:
        return None

    def remove(self, doc_ids: Sequence[int]) -> None:
        return None

    def match(self, terms: list[set[str]], concepts: Sequence[str]) -> list[tuple[int, float]]:
        words = " | ".join(
            "(" + " | ".join(f"{v}:*" if len(v) >= 4 else v for v in sorted(t)) + ")" for t in terms
        )
        parts = [f"({words})"] if words else []
        if concepts:
            parts.append("(" + " | ".join(concepts) + ")")
        if not parts:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT id, ts_rank(tsv, q) FROM search_searchdocument, to_tsquery('simple', %s) q "
                "WHERE tsv @@ q ORDER BY ts_rank(tsv, q) DESC LIMIT %s",
                [" | ".join(parts), MAX_MATCHES],
            )
            return [(int(r), float(s)) for r, s in cursor.fetchall()]

    def known(self, variants: set[str]) -> bool:
        """Whether a document has a word starting with one of the variants (GIN prefix scan)."""
        if not variants:
            return False
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT 1 FROM search_searchdocument WHERE tsv @@ to_tsquery('simple', %s) LIMIT 1",
                [" | ".join(f"{v}:*" for v in sorted(variants))],
            )
            return cursor.fetchone() is not None

    def vocabulary_near(self, word: str) -> list[str]:
        """Indexed words close to a misspelt one (same first letter, difflib ratio ≥ 0.75).

        ts_stat reads every document's words: a full scan, paid only for a word the index
        does not know. At very large scale a maintained vocabulary table would replace it.
        """
        if len(word) < 4:
            return []
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT word FROM ts_stat('SELECT to_tsvector(''simple'', stems) "
                "FROM search_searchdocument') WHERE word >= %s AND word < %s",
                [word[0], word[0] + "\uffff"],
            )
            vocabulary = [r[0] for r in cursor.fetchall() if not r[0][:1].isdigit()]
        return difflib.get_close_matches(word, vocabulary, n=3, cutoff=0.75)


def backend() -> Backend:
    if connection.vendor == "postgresql":
        return PostgresBackend()
    return SqliteBackend()
