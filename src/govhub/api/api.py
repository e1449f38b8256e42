"""The REST API, version 1 (mounted at /api/v1/, outside the language prefixes)."""

from __future__ import annotations

from django.http import Http404, HttpRequest
from ninja import NinjaAPI, Router

from govhub.catalogue.api import router as catalogue_router
from govhub.matching.api import router as matching_router
from govhub.ocds.api import router as ocds_router
from govhub.participation.api import router as participation_router
from govhub.search.api import router as search_router

from . import (
    actions,  # noqa: F401  (registers the token actions on the router)
    problems,
)
from .auth import RateLimit
from .docs import GovukDocs
from .public import router as public_router

api = NinjaAPI(
    title="GovHub API",
    version="1",
    description=(
        "Public data of GovHub: organisations, innovation needs, challenges and their "
        "phases, clarifications, published outcomes, TED opportunities and awards, the "
        "solutions catalogue and its adoptions, participatory processes, ideas and results, "
        "OCDS releases and records, search, and the reference vocabularies (CPV, NUTS). "
        "Organisations act through API tokens with scopes (proposals, needs, adoptions)."
    ),
    urls_namespace="api-v1",
    docs=GovukDocs(),
    docs_url="/docs",
    openapi_url="/openapi.json",
    throttle=[RateLimit()],
)
problems.install(api)
api.add_router("/", public_router)
api.add_router("/", catalogue_router)
api.add_router("/", participation_router)
api.add_router("/ocds", ocds_router)
api.add_router("/", search_router)
api.add_router("/matching", matching_router)


# Last, so that any other path under /api/v1/ answers 404 as a problem, not an HTML page.
fallback = Router()


@fallback.api_operation(
    ["GET", "POST", "PUT", "PATCH", "DELETE"], "/{path:rest}", include_in_schema=False
)
def unknown(request: HttpRequest, rest: str) -> None:
    raise Http404


api.add_router("/", fallback)
