"""REST API endpoints of the search app (mounted by govhub.api.api under /api/v1/)."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest
from ninja import Query, Router, Schema

from .selectors import Filters, search

router = Router(tags=["search"])


class SearchParams(Schema):
    q: str = ""
    kind: str = ""
    cpv_division: str = ""
    country: str = ""
    nuts: str = ""
    status: str = ""
    deadline_within: str = ""
    value_band: str = ""
    sort: str = "relevance"
    cursor: str = ""


class SearchHitOut(Schema):
    kind: str
    id: str
    title: str
    url: str
    language: str
    cpv_codes: list[str]
    country: str
    nuts: str
    status: str
    published: str | None
    deadline: str | None
    score: float


class SearchOut(Schema):
    total: int
    results: list[SearchHitOut]
    facets: dict[str, list[tuple[str, int]]]
    next_cursor: str


@router.get("/search", response=SearchOut, summary="Search needs, challenges, notices, solutions")
def search_endpoint(request: HttpRequest, params: Query[SearchParams]) -> dict[str, Any]:
    """Public items only (published needs, challenges and solutions; imported notices;
    organisations' public facts). Page on with ``cursor`` = the previous ``next_cursor``."""
    filters = Filters(**{k: getattr(params, k)[:20] for k in Filters.__dataclass_fields__})
    result = search(query=params.q[:300], filters=filters, sort=params.sort, cursor=params.cursor)
    return {
        "total": result.total,
        "results": [
            {
                "kind": h.document.kind,
                "id": h.document.public_id,
                "title": h.document.title,
                "url": request.build_absolute_uri(h.document.url),
                "language": h.document.language,
                "cpv_codes": h.document.cpv_codes,
                "country": h.document.country,
                "nuts": h.document.nuts,
                "status": h.document.status,
                "published": h.document.published.isoformat() if h.document.published else None,
                "deadline": h.document.deadline.isoformat() if h.document.deadline else None,
                "score": round(h.score, 4),
            }
            for h in result.hits
        ],
        "facets": result.facets,
        "next_cursor": result.next_cursor,
    }
