"""List responses: ``{"count", "next", "previous", "results"}`` with limit, offset, ordering."""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from django.db.models import Model, QuerySet
from django.http import HttpRequest
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from ninja import Query, Schema

from govhub.core.errors import InvalidInput

MAX_LIMIT = 100
DEFAULT_LIMIT = 20
# Databases take 64-bit offsets; nobody pages this far.
MAX_OFFSET = 1_000_000_000

M = TypeVar("M", bound=Model)


class Page(Schema):
    count: int
    next: str | None
    previous: str | None


def _url(request: HttpRequest, offset: int, limit: int) -> str:
    params = request.GET.copy()
    params["offset"] = str(offset)
    params["limit"] = str(limit)
    query = urlencode(sorted(params.lists()), doseq=True)
    return request.build_absolute_uri(request.path + "?" + query)


def ordering_query(allowed: Mapping[str, str]) -> Any:
    """The ``ordering`` query parameter, documented with the names it accepts."""
    names = sorted(allowed)
    return Query(
        None,
        pattern="^-?(" + "|".join(names) + ")$",
        description="Sort by " + ", ".join(names) + "; prefix with '-' for descending order.",
    )


def order(qs: QuerySet[M], ordering: str | None, allowed: Mapping[str, str]) -> QuerySet[M]:
    """``allowed`` maps public names to model fields; ``-name`` sorts descending."""
    if not ordering:
        return qs
    name = ordering.lstrip("-")
    if name not in allowed:
        raise InvalidInput(
            _("Sort by one of: %(names)s.") % {"names": ", ".join(sorted(allowed))},
            code="invalid_ordering",
            field_errors={"ordering": [_("Unknown sort field “%(name)s”.") % {"name": name}]},
        )
    field = allowed[name]
    descending = ordering.startswith("-")
    return qs.order_by(f"-{field}" if descending else field, "-pk" if descending else "pk")


def paginate(
    request: HttpRequest,
    qs: QuerySet[M],
    *,
    limit: int,
    offset: int,
    serialize: Callable[[M], Any],
    rows: Callable[[Sequence[M]], Sequence[M]] | None = None,
) -> dict[str, Any]:
    count = qs.count()
    # Past the end there is nothing to read (and a database refuses offsets beyond 2**63).
    page = list(qs[offset : offset + limit]) if offset < count else []
    if rows is not None:
        page = list(rows(page))
    return {
        "count": count,
        "next": _url(request, offset + limit, limit) if offset + limit < count else None,
        "previous": _url(request, max(0, offset - limit), limit) if offset > 0 else None,
        "results": [serialize(item) for item in page],
    }
