"""Reading the index: one ``search`` for the page, the API and the saved-search alerts."""

from __future__ import annotations

import datetime as dt
import html
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.core import signing
from django.db.models import Count, QuerySet
from django.db.models.expressions import RawSQL
from django.utils import timezone
from django.utils.safestring import SafeString, mark_safe

from govhub.matching.store import current_suggester
from govhub.matching.suggester import QUERY_CONCEPT_POWER
from govhub.matching.text import fold, stem_word

from .engine import Where, backend, query_terms
from .models import SearchDocument

PAGE_SIZE = 20
SORTS = ("relevance", "newest", "deadline", "value")
DEADLINE_WINDOWS = {"7": 7, "30": 30, "90": 90}
VALUE_BANDS: dict[str, tuple[Decimal | None, Decimal | None]] = {
    "lt100k": (None, Decimal(100_000)),
    "100k-1m": (Decimal(100_000), Decimal(1_000_000)),
    "1m-10m": (Decimal(1_000_000), Decimal(10_000_000)),
    "gt10m": (Decimal(10_000_000), None),
}
FACETS = ("kind", "cpv_division", "country", "nuts", "status")
CONCEPT_MIN_CONFIDENCE = 0.15
FACET_CANDIDATES = 200  # documents with every word that count a chosen facet's other values
_CURSOR_SALT = "govhub.search.cursor"


@dataclass
class Filters:
    kind: str = ""
    cpv_division: str = ""
    country: str = ""
    nuts: str = ""
    status: str = ""
    deadline_within: str = ""  # "7" | "30" | "90" days from now
    value_band: str = ""

    def as_dict(self) -> dict[str, str]:
        return {k: v for k, v in self.__dict__.items() if v}


@dataclass
class Hit:
    document: SearchDocument
    score: float
    title_html: SafeString
    snippet_html: SafeString


@dataclass
class SearchResult:
    hits: list[Hit]
    total: int
    facets: dict[str, list[tuple[str, int]]]
    next_cursor: str = ""
    corrected: list[str] = field(default_factory=list)
    concepts: list[str] = field(default_factory=list)


def query_concepts(text: str) -> list[str]:
    """CPV classes (``c4521``) and groups the query is about, whatever its language."""
    if not text.strip():
        return []
    suggester = current_suggester()
    if suggester is None:
        return []
    classes = suggester.suggest(text, level=4, limit=3, power=QUERY_CONCEPT_POWER)
    return [f"c{s.code[:4]}" for s in classes if s.confidence >= CONCEPT_MIN_CONFIDENCE]


def _filtered(qs: QuerySet[SearchDocument], filters: Filters) -> QuerySet[SearchDocument]:
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.cpv_division:
        qs = qs.filter(cpv_division=filters.cpv_division)
    if filters.country:
        qs = qs.filter(country=filters.country.upper())
    if filters.nuts:
        qs = qs.filter(nuts__startswith=filters.nuts.upper())
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.deadline_within in DEADLINE_WINDOWS:
        now = timezone.now()
        qs = qs.filter(
            deadline__gte=now,
            deadline__lte=now + dt.timedelta(days=DEADLINE_WINDOWS[filters.deadline_within]),
        )
    if filters.value_band in VALUE_BANDS:
        low, high = VALUE_BANDS[filters.value_band]
        if low is not None:
            qs = qs.filter(value__gte=low)
        if high is not None:
            qs = qs.filter(value__lt=high)
    return qs


_WORD = re.compile(r"[^\W_]+")


def highlight(
    text: str, stems: set[str], limit: int | None = None, language: str = ""
) -> SafeString:
    """The text with the words whose stems were searched marked (HTML-escaped)."""
    if limit and len(text) > limit:
        text = text[:limit].rsplit(" ", 1)[0] + "…"
    heads = {s[:3] for s in stems}
    long_stems = tuple(s for s in stems if len(s) >= 4)
    out: list[str] = []
    position = 0
    for found in _WORD.finditer(text):
        piece = found.group()
        out.append(html.escape(text[position : found.start()]))
        position = found.end()
        folded = fold(piece)
        # Most words cannot match (no searched stem shares their first letters): spare the
        # stemmer those.
        if folded[:3] in heads:
            forms = (folded, stem_word(piece, language or "en"))
            if (
                forms[0] in stems
                or forms[1] in stems
                or any(f.startswith(long_stems) for f in forms)
            ):
                out.append(f"<mark>{html.escape(piece)}</mark>")
                continue
        out.append(html.escape(piece))
    out.append(html.escape(text[position:]))
    return mark_safe("".join(out))  # noqa: S308 - every piece is escaped above


def _decode_cursor(cursor: str) -> int:
    if not cursor:
        return 0
    try:
        return max(0, int(signing.loads(cursor, salt=_CURSOR_SALT)["o"]))
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return 0


def search(
    *,
    query: str = "",
    filters: Filters | None = None,
    sort: str = "relevance",
    cursor: str = "",
    page_size: int = PAGE_SIZE,
    indexed_after: dt.datetime | None = None,
    with_facets: bool = True,
) -> SearchResult:
    filters = filters or Filters()
    sort = sort if sort in SORTS else "relevance"
    offset = _decode_cursor(cursor)
    terms = query_terms(query)
    engine = backend()
    corrected: list[str] = []
    concepts = query_concepts(query) if terms else []
    qs = SearchDocument.objects.all()
    scores: dict[int, float] = {}
    if terms:
        # Typo tolerance: a word the index does not know also matches its nearest known words.
        fixed = []
        for variants in terms:
            if not engine.known(variants):
                near = {n for v in variants for n in engine.vocabulary_near(v)}
                corrected.extend(sorted(near))
                variants = variants | near
            fixed.append(variants)
        where = _where(filters)
        # With filters, the matching runs among the admitted documents only: filtering capped
        # candidates afterwards would leave a country's or a division's matches crowded out
        # by others'. A smaller unfiltered matching of every word counts the chosen facets'
        # other values (an estimate: the values one could switch to, not their totals).
        matches = engine.match(fixed, concepts, indexed_after=indexed_after, where=where)
        scores = dict(matches)
        facet_ids = set(scores)
        if any(getattr(filters, name) for name in FACETS):
            facet_ids |= {
                doc_id
                for doc_id, _ in engine.match(
                    fixed, [], indexed_after=indexed_after, precise_only=FACET_CANDIDATES
                )
            }
        # Hundreds of ids: one parameter (Django's IN list costs more than the query).
        ids = list(facet_ids | set(scores))
        qs = qs.filter(id__in=RawSQL(*engine.id_list(ids)))  # noqa: S611 - ids bound
    if indexed_after is not None:
        qs = qs.filter(indexed_at__gt=indexed_after)
    if terms:
        docs, total, facets = _rank_matches(
            qs, scores, filters, sort, offset, page_size, facet_ids=facet_ids
        )
    else:
        docs, total, facets = _browse(qs, filters, sort, offset, page_size, with_facets)
    searched = {v for t in terms for v in t} | set(corrected)
    hits = [
        Hit(
            document=d,
            score=scores.get(d.id, 0.0),
            title_html=highlight(d.title, searched, language=d.language),
            snippet_html=highlight(d.body, searched, limit=300, language=d.language),
        )
        for d in docs
    ]
    next_offset = offset + page_size
    next_cursor = (
        signing.dumps({"o": next_offset}, salt=_CURSOR_SALT) if next_offset < total else ""
    )
    return SearchResult(
        hits=hits,
        total=total,
        facets=facets,
        next_cursor=next_cursor,
        corrected=corrected,
        concepts=concepts,
    )


_FACT_FIELDS = ("id", *FACETS, "published", "deadline", "value")


def _where(filters: Filters) -> Where | None:
    """The filters as SQL over the document table (for the text engine's candidate queries),
    built by the same ``_filtered`` as the rest of the page."""
    if not filters.as_dict():
        return None
    sql, params = (
        _filtered(SearchDocument.objects.all(), filters).values("id").query.sql_with_params()
    )
    _, found, condition = sql.partition(" WHERE ")
    return (condition, list(params)) if found else None


def _keep(row: dict[str, Any], filters: Filters, skip: str = "", now: Any = None) -> bool:
    for name in FACETS:
        wanted = getattr(filters, name)
        if name == skip or not wanted:
            continue
        value = row[name] or ""
        if name == "nuts":
            if not value.startswith(wanted.upper()):
                return False
        elif name == "country":
            if value != wanted.upper():
                return False
        elif value != wanted:
            return False
    if filters.deadline_within in DEADLINE_WINDOWS:
        days = DEADLINE_WINDOWS[filters.deadline_within]
        deadline = row["deadline"]
        if deadline is None or not (now <= deadline <= now + dt.timedelta(days=days)):
            return False
    if filters.value_band in VALUE_BANDS:
        low, high = VALUE_BANDS[filters.value_band]
        value = row["value"]
        if (
            value is None
            or (low is not None and value < low)
            or (high is not None and value >= high)
        ):
            return False
    return True


def _rank_matches(
    qs: QuerySet[SearchDocument],
    scores: dict[int, float],
    filters: Filters,
    sort: str,
    offset: int,
    page_size: int,
    *,
    facet_ids: set[int],
) -> tuple[list[SearchDocument], int, dict[str, list[tuple[str, int]]]]:
    """The text engine's matches (at most MAX_MATCHES): one query for their facts, facets and
    order computed here, one query for the page's rows. ``scores`` are the hits' matches
    (found among the admitted documents when there are filters); ``facet_ids`` add the
    documents with every word, whatever the filters, which count a chosen facet's other
    values."""
    now = timezone.now()
    facts = [dict(zip(_FACT_FIELDS, r, strict=True)) for r in qs.values_list(*_FACT_FIELDS)]
    rows = [r for r in facts if r["id"] in facet_ids]
    unfiltered = not filters.as_dict()
    kept = (
        [r for r in facts if r["id"] in scores]
        if unfiltered
        else [r for r in facts if r["id"] in scores and _keep(r, filters, now=now)]
    )
    facets: dict[str, list[tuple[str, int]]] = {}
    for name in FACETS:
        counts: dict[str, int] = {}
        chosen = bool(getattr(filters, name, ""))
        # Each facet counts over the other filters only (its own choice hides nothing).
        pool = kept if (unfiltered or not chosen) else rows
        for row in pool:
            if row[name] and (unfiltered or not chosen or _keep(row, filters, skip=name, now=now)):
                counts[row[name]] = counts.get(row[name], 0) + 1
        value = getattr(filters, name).upper() if name == "country" else getattr(filters, name)
        if chosen and name != "nuts" and (kept or value in counts):
            # The chosen value's count is the total, which the filtered matching found in full
            # (a NUTS choice is a prefix of the counted codes: nothing to set).
            counts[value] = len(kept)
        facets[name] = sorted(counts.items(), key=lambda item: (-item[1], item[0]))[:30]
    if sort == "newest":
        kept.sort(key=lambda r: (r["published"] or dt.date.min, r["id"]), reverse=True)
    elif sort == "deadline":
        kept = [r for r in kept if r["deadline"] is not None]
        kept.sort(key=lambda r: (r["deadline"], r["id"]))
    elif sort == "value":
        kept = [r for r in kept if r["value"] is not None]
        kept.sort(key=lambda r: (-r["value"], r["id"]))
    else:
        kept.sort(key=lambda r: (-scores.get(r["id"], 0.0), r["id"]))
    page_ids = [r["id"] for r in kept[offset : offset + page_size]]
    by_id = SearchDocument.objects.defer("stems", "concepts").in_bulk(page_ids)
    return [by_id[i] for i in page_ids if i in by_id], len(kept), facets


def _browse(
    qs: QuerySet[SearchDocument],
    filters: Filters,
    sort: str,
    offset: int,
    page_size: int,
    with_facets: bool,
) -> tuple[list[SearchDocument], int, dict[str, list[tuple[str, int]]]]:
    """No search words: everything, filtered and counted in SQL."""
    facets: dict[str, list[tuple[str, int]]] = {}
    if with_facets:
        for name in FACETS:
            others = Filters(**{**filters.__dict__, name: ""})
            counted = (
                _filtered(qs, others)
                .exclude(**{name: ""})
                .values_list(name)
                .annotate(n=Count("id"))
                .order_by("-n", name)[:30]
            )
            facets[name] = [(value, n) for value, n in counted]
    qs = _filtered(qs, filters)
    order = {
        "relevance": ["-published", "-id"],
        "newest": ["-published", "-id"],
        "deadline": ["deadline", "id"],
        "value": ["-value", "id"],
    }[sort]
    if sort == "deadline":
        qs = qs.filter(deadline__isnull=False)
    if sort == "value":
        qs = qs.filter(value__isnull=False)
    total = qs.count()
    return list(qs.order_by(*order)[offset : offset + page_size]), total, facets


def filters_from(data: Any) -> Filters:
    return Filters(
        **{name: str(data.get(name, "") or "")[:20] for name in Filters.__dataclass_fields__}
    )
