"""Writing index rows from the providers (called by the background tasks and the command)."""

from __future__ import annotations

from collections.abc import Callable

from django.db import transaction

from govhub.matching.store import current_suggester
from govhub.matching.suggester import DOCUMENT_CONCEPT_POWER
from govhub.matching.training import notice_text

from .engine import backend, concept_tokens, document_stems, remember_words
from .models import SearchDocument
from .providers import REGISTRY, IndexFacts, Provider

PREDICTED_MIN_CONFIDENCE = 0.25


def predicted_codes(facts: IndexFacts) -> list[str]:
    """CPV classes the suggester sees in an item that declares no code (for concept search)."""
    suggester = current_suggester()
    if suggester is None:
        return []
    suggestions = suggester.suggest(
        notice_text(facts.title, facts.body), level=4, limit=2, power=DOCUMENT_CONCEPT_POWER
    )
    return [s.code for s in suggestions if s.confidence >= PREDICTED_MIN_CONFIDENCE]


def write_document(kind: str, object_id: str, facts: IndexFacts | None) -> SearchDocument | None:
    engine = backend()
    with transaction.atomic():
        if facts is None:
            ids = list(
                SearchDocument.objects.filter(kind=kind, object_id=object_id).values_list(
                    "id", flat=True
                )
            )
            engine.remove(ids)
            SearchDocument.objects.filter(id__in=ids).delete()
            return None
        codes = facts.cpv_codes or predicted_codes(facts)
        doc, _ = SearchDocument.objects.update_or_create(
            kind=kind,
            object_id=object_id,
            defaults={
                "public_id": facts.public_id,
                "url": facts.url,
                "title": facts.title[:2000],
                "body": facts.body[:20000],
                "language": facts.language,
                "stems": document_stems(facts.title, facts.body, facts.language),
                "concepts": concept_tokens(codes),
                "cpv_codes": facts.cpv_codes,
                "cpv_division": (facts.cpv_codes or [""])[0][:2],
                "country": facts.country,
                "nuts": facts.nuts,
                "status": facts.status,
                "published": facts.published,
                "deadline": facts.deadline,
                "value": facts.value,
                "currency": facts.currency,
            },
        )
        engine.write(doc.id, doc.stems, doc.concepts)
        remember_words([doc.stems])
        return doc


def index_object(kind: str, object_id: str) -> bool:
    """(Re)index one item; True when it is now in the index, False when removed or absent."""
    provider = REGISTRY[kind]
    obj = provider.queryset().filter(pk=object_id).first()
    facts = provider.facts(obj) if obj is not None else None
    return write_document(kind, str(object_id), facts) is not None


def reindex(
    kinds: list[str] | None = None, progress: Callable[[str, int], None] | None = None
) -> dict[str, int]:
    """Every item of the given kinds (all by default); rows of vanished items are dropped."""
    counts: dict[str, int] = {}
    for kind in kinds or list(REGISTRY):
        provider: Provider = REGISTRY[kind]
        seen: set[str] = set()
        indexed = 0
        for obj in provider.queryset().iterator(chunk_size=500):
            seen.add(str(obj.pk))
            if write_document(kind, str(obj.pk), provider.facts(obj)) is not None:
                indexed += 1
        stale = SearchDocument.objects.filter(kind=kind).exclude(object_id__in=seen)
        stale_ids = list(stale.values_list("id", flat=True))
        backend().remove(stale_ids)
        SearchDocument.objects.filter(id__in=stale_ids).delete()
        counts[kind] = indexed
        if progress:
            progress(kind, indexed)
    return counts
