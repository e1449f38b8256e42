"""The skeleton every list and detail endpoint shares, so that they page, sort, filter and
answer 404 alike.

A list endpoint keeps its own signature (django-ninja documents the query parameters from
it) and reduces its body to its filters and one call::

    SOLUTIONS = Listing(serialize=solution_out, ordering={"name": "name", "trl": "trl"})

    @router.get("/solutions", response={200: SolutionPage, **LIST_ERRORS})
    def solution_list(request, q: str | None = None, limit: int = Limit,
                      offset: int = Offset, ordering: str | None = SOLUTIONS.ordering_query):
        qs = search_words(published_solutions(), q, "name", "summary")
        return SOLUTIONS.page(request, qs, limit=limit, offset=offset, ordering=ordering)
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Generic

from django.db.models import Q, QuerySet
from django.http import Http404, HttpRequest
from ninja import Query

from . import schemas
from .pagination import DEFAULT_LIMIT, MAX_LIMIT, MAX_OFFSET, M, order, ordering_query, paginate

LIST_ERRORS = {422: schemas.Problem, 429: schemas.Problem}
DETAIL_ERRORS = {404: schemas.Problem, 429: schemas.Problem}

Limit = Query(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT, description="Items per page (at most 100).")
Offset = Query(0, ge=0, le=MAX_OFFSET, description="How many matching items to skip.")


@dataclass(frozen=True)
class Listing(Generic[M]):
    """One list endpoint's page: how to show an item and which sort names it accepts.

    ``ordering`` maps public sort names to model fields; leave it empty for lists that keep
    their own order (they then take no ``ordering`` parameter)."""

    serialize: Callable[[M], Any]
    ordering: Mapping[str, str] = field(default_factory=dict)

    @property
    def ordering_query(self) -> Any:
        """The ``ordering`` query parameter's default, documenting the accepted names."""
        return ordering_query(self.ordering)

    def page(
        self,
        request: HttpRequest,
        qs: QuerySet[M],
        *,
        limit: int,
        offset: int,
        ordering: str | None = None,
        rows: Callable[[Sequence[M]], Sequence[M]] | None = None,
    ) -> dict[str, Any]:
        """``{"count", "next", "previous", "results"}`` of ``qs`` sorted as asked."""
        if self.ordering:
            qs = order(qs, ordering, self.ordering)
        return paginate(
            request, qs, limit=limit, offset=offset, serialize=self.serialize, rows=rows
        )


def where(qs: QuerySet[M], **lookups: Any) -> QuerySet[M]:
    """``qs`` filtered by the lookups that were given: ``None`` and ``""`` mean "any" (an
    optional query parameter left out), while ``False`` is a value to filter on."""
    given = {name: value for name, value in lookups.items() if value is not None and value != ""}
    return qs.filter(**given) if given else qs


def search_words(qs: QuerySet[M], text: str | None, *fields: str) -> QuerySet[M]:
    """Items containing every word of ``text`` in one of ``fields`` (case-insensitive)."""
    for word in (text or "").split():
        match = Q()
        for name in fields:
            match |= Q(**{f"{name}__icontains": word})
        qs = qs.filter(match)
    return qs


def upper(code: str | None) -> str | None:
    """A country or other code as stored (upper case), ``None`` when not given."""
    return code.upper() if code else None


def first_or_404(qs: QuerySet[M], **lookups: Any) -> M:
    """The one item of ``qs`` matching ``lookups``; 404 when there is none (or it is not
    public, which the caller's ``qs`` decides)."""
    found = qs.filter(**lookups).first()
    if found is None:
        raise Http404
    return found
