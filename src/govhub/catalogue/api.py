"""REST API endpoints of the catalogue app (mounted by govhub.api.api under /api/v1/).

Published entries and the adoptions of published entries are public; recording an adoption
is an action of an authority's token (scope ``adoptions:write``) through the same service as
the pages (``catalogue.services.adoption_record``).
"""

from __future__ import annotations

import datetime as dt
import importlib
from decimal import Decimal
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, QuerySet
from django.http import Http404, HttpRequest
from ninja import Field, Query, Router, Schema, Status

from govhub.api.actions import nuts_or_invalid
from govhub.api.auth import TokenAuth, require_scope
from govhub.api.listing import (
    DETAIL_ERRORS,
    LIST_ERRORS,
    Limit,
    Listing,
    Offset,
    first_or_404,
    search_words,
    upper,
    where,
)
from govhub.api.models import Scope
from govhub.api.pagination import Page
from govhub.api.schemas import OrganisationRef, Problem

from .models import (
    Adoption,
    AdoptionScale,
    AdoptionStatus,
    AiRiskCategory,
    CostBand,
    DeliveryModel,
    InteroperabilityLevel,
    Solution,
    SolutionCategory,
    SolutionCategoryLink,
    SolutionStatus,
)

router = Router(tags=["catalogue"])
TOKEN = TokenAuth()

ProviderId = Query(None, description="The provider organisation's id.")
SolutionId = Query(None, description="A catalogue entry's id.")
AuthorityId = Query(None, description="The adopting authority's id.")


# --- Shapes --------------------------------------------------------------------------------


class SolutionOut(Schema):
    id: UUID
    name: str
    summary: str
    description: str
    language: str
    provider: OrganisationRef
    categories: list[str]
    cpv_codes: list[str]
    licence: str
    is_open_source: bool
    delivery_model: str
    trl: int | None
    supported_languages: list[str]
    supported_countries: list[str]
    standards: list[Any]
    website: str
    repository_url: str
    is_software: bool
    software_version: str
    data_location: str
    accessibility_conformance: str
    pricing_model: str
    uses_ai: bool
    ai_risk_category: str
    interoperability_level: str
    interoperability_score: int | None
    energy_efficiency_label: str
    hosting_renewable_share: int | None
    hosting_pue: Decimal | None
    source: str
    source_url: str
    published_at: dt.datetime | None
    adoption_count: int


class SolutionPage(Page):
    results: list[SolutionOut]


class SolutionRef(Schema):
    id: UUID
    name: str


class AdoptionOut(Schema):
    id: UUID
    solution: SolutionRef
    authority: OrganisationRef
    nuts_region: str | None
    since: dt.date | None
    scale: str
    users_count: int | None
    outcome: str
    cost_band: str
    lessons_learnt: str
    status: str
    ended_at: dt.datetime | None
    challenge: UUID | None
    created_at: dt.datetime


class AdoptionPage(Page):
    results: list[AdoptionOut]


class AdoptionIn(Schema):
    solution: UUID
    nuts_region: str | None = None
    since: dt.date | None = None
    scale: AdoptionScale | None = None
    users_count: int | None = Field(default=None, ge=0)
    outcome: str = ""
    cost_band: CostBand | None = None
    lessons_learnt: str = ""


# --- Reads ---------------------------------------------------------------------------------


def _org_ref(org: Any) -> dict[str, Any]:
    return {"id": org.public_id, "name": org.name, "country": org.country.code}


def published_solutions() -> QuerySet[Solution]:
    return (
        Solution.objects.filter(status=SolutionStatus.PUBLISHED)
        .select_related("provider__country")
        .prefetch_related(
            "categories",
            "cpv_codes",
            "supported_countries",
            Prefetch(
                "adoptions",
                queryset=Adoption.objects.filter(status=AdoptionStatus.ACTIVE).only(
                    "id", "solution_id"
                ),
                to_attr="active_adoptions",
            ),
        )
        .order_by("name", "pk")
    )


def solution_out(solution: Solution) -> dict[str, Any]:
    return {
        "id": solution.public_id,
        "name": solution.name,
        "summary": solution.summary,
        "description": solution.description,
        "language": solution.language,
        "provider": _org_ref(solution.provider),
        "categories": sorted(link.category for link in solution.categories.all()),
        "cpv_codes": sorted(c.code for c in solution.cpv_codes.all()),
        "licence": solution.licence,
        "is_open_source": solution.is_open_source,
        "delivery_model": solution.delivery_model,
        "trl": solution.trl,
        "supported_languages": list(solution.supported_languages or []),
        "supported_countries": sorted(c.code for c in solution.supported_countries.all()),
        "standards": list(solution.standards or []),
        "website": solution.website,
        "repository_url": solution.repository_url,
        "is_software": solution.is_software,
        "software_version": solution.software_version,
        "data_location": solution.data_location,
        "accessibility_conformance": solution.accessibility_conformance,
        "pricing_model": solution.pricing_model,
        "uses_ai": solution.uses_ai,
        "ai_risk_category": solution.ai_risk_category,
        "interoperability_level": solution.interoperability_level,
        "interoperability_score": solution.interoperability_score,
        "energy_efficiency_label": solution.energy_efficiency_label,
        "hosting_renewable_share": solution.hosting_renewable_share,
        "hosting_pue": solution.hosting_pue,
        "source": solution.source,
        "source_url": solution.source_url,
        "published_at": solution.published_at,
        "adoption_count": len(getattr(solution, "active_adoptions", [])),
    }


SOLUTIONS = Listing(
    serialize=solution_out,
    ordering={"name": "name", "published_at": "published_at", "trl": "trl"},
)


@router.get(
    "/solutions",
    response={200: SolutionPage, **LIST_ERRORS},
    summary="List published catalogue entries",
)
def solution_list(
    request: HttpRequest,
    category: SolutionCategory | None = None,
    country: str | None = Query(None, description="A supported country's alpha-3 code."),
    licence: str | None = Query(None, description="SPDX licence identifier, e.g. EUPL-1.2."),
    delivery_model: DeliveryModel | None = None,
    ai_risk_category: AiRiskCategory | None = None,
    interoperability_level: InteroperabilityLevel | None = None,
    open_source: bool | None = Query(None, description="true: open-source entries only."),
    provider: UUID | None = ProviderId,
    q: str | None = Query(None, description="Words in the name or descriptions."),
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = SOLUTIONS.ordering_query,
) -> dict[str, Any]:
    qs = where(
        published_solutions(),
        delivery_model=delivery_model,
        ai_risk_category=ai_risk_category,
        interoperability_level=interoperability_level,
        is_open_source=open_source,
        provider__public_id=provider,
    )
    if category:
        qs = qs.filter(
            Exists(SolutionCategoryLink.objects.filter(solution=OuterRef("pk"), category=category))
        )
    if country:
        qs = qs.filter(
            Exists(
                Solution.supported_countries.through.objects.filter(
                    solution=OuterRef("pk"), country__code=country.upper()
                )
            )
        )
    # Not through where(): a blank licence has always filtered (on entries without one).
    if licence:
        qs = qs.filter(licence__iexact=licence.strip())
    qs = search_words(qs, q, "name", "summary", "description")
    return SOLUTIONS.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/solutions/{uuid:solution_id}",
    response={200: SolutionOut, **DETAIL_ERRORS},
    summary="Read a published catalogue entry",
)
def solution_detail(request: HttpRequest, solution_id: UUID) -> dict[str, Any]:
    return solution_out(first_or_404(published_solutions(), public_id=solution_id))


def public_adoptions() -> QuerySet[Adoption]:
    """Adoptions of published entries: which authority uses what, where and since when."""
    return (
        Adoption.objects.filter(solution__status=SolutionStatus.PUBLISHED)
        .select_related("solution", "authority__country", "nuts_region", "challenge")
        .order_by("-created_at", "-pk")
    )


def adoption_out(adoption: Adoption) -> dict[str, Any]:
    return {
        "id": adoption.public_id,
        "solution": {"id": adoption.solution.public_id, "name": adoption.solution.name},
        "authority": _org_ref(adoption.authority),
        "nuts_region": adoption.nuts_region.code if adoption.nuts_region else None,
        "since": adoption.since,
        "scale": adoption.scale,
        "users_count": adoption.users_count,
        "outcome": adoption.outcome,
        "cost_band": adoption.cost_band,
        "lessons_learnt": adoption.lessons_learnt,
        "status": adoption.status,
        "ended_at": adoption.ended_at,
        "challenge": adoption.challenge.public_id if adoption.challenge else None,
        "created_at": adoption.created_at,
    }


ADOPTIONS = Listing(serialize=adoption_out, ordering={"since": "since", "created_at": "created_at"})


@router.get(
    "/adoptions",
    response={200: AdoptionPage, **LIST_ERRORS},
    summary="List adoptions of published catalogue entries",
)
def adoption_list(
    request: HttpRequest,
    solution: UUID | None = SolutionId,
    authority: UUID | None = AuthorityId,
    country: str | None = Query(None, description="The authority's alpha-3 country."),
    status: AdoptionStatus | None = None,
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = ADOPTIONS.ordering_query,
) -> dict[str, Any]:
    qs = where(
        public_adoptions(),
        solution__public_id=solution,
        authority__public_id=authority,
        authority__country__code=upper(country),
        status=status,
    )
    return ADOPTIONS.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/adoptions/{uuid:adoption_id}",
    response={200: AdoptionOut, **DETAIL_ERRORS},
    summary="Read an adoption of a published catalogue entry",
)
def adoption_detail(request: HttpRequest, adoption_id: UUID) -> dict[str, Any]:
    return adoption_out(first_or_404(public_adoptions(), public_id=adoption_id))


# --- Action --------------------------------------------------------------------------------


def _adoption_record() -> Any:
    """The catalogue's service, looked up when called (so that the API never holds a copy)."""
    services = importlib.import_module("govhub.catalogue.services")
    return services.adoption_record


@router.post(
    "/adoptions",
    auth=TOKEN,
    tags=["actions"],
    response={
        201: AdoptionOut,
        401: Problem,
        403: Problem,
        404: Problem,
        409: Problem,
        422: Problem,
        429: Problem,
    },
    summary="Record that the token's authority uses a published catalogue entry",
    description="Scope adoptions:write. The same service as the catalogue pages.",
)
def adoption_create(request: HttpRequest, payload: AdoptionIn) -> Status[dict[str, Any]]:
    token = require_scope(request, Scope.ADOPTIONS_WRITE)
    solution = Solution.objects.filter(
        public_id=payload.solution, status=SolutionStatus.PUBLISHED
    ).first()
    if solution is None:
        raise Http404
    nuts = nuts_or_invalid(payload.nuts_region)
    adoption = _adoption_record()(
        actor=token.created_by,
        solution=solution,
        authority=token.organisation,
        nuts_region=nuts,
        since=payload.since,
        scale=payload.scale or "",
        users_count=payload.users_count,
        outcome=payload.outcome,
        cost_band=payload.cost_band or "",
        lessons_learnt=payload.lessons_learnt,
    )
    return Status(201, adoption_out(public_adoptions().get(pk=adoption.pk)))
