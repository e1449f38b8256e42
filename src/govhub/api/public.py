"""Public, read-only endpoints, built on the apps' selectors (no business rule here)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import get_language
from ninja import Query, Router

from govhub.challenges import selectors as challenge_selectors
from govhub.challenges.models import Challenge, ChallengeStatus, Phase
from govhub.evaluation import selectors as evaluation_selectors
from govhub.needs import permissions as need_permissions
from govhub.needs import selectors as need_selectors
from govhub.needs.models import InnovationNeed
from govhub.organisations import selectors as org_selectors
from govhub.organisations.models import Organisation, OrganisationKind, VerificationStatus
from govhub.reference.models import CpvCode, NutsRegion, pick_label

from . import schemas
from . import selectors as api_selectors
from .listing import DETAIL_ERRORS, LIST_ERRORS, Limit, Listing, Offset, first_or_404, upper

router = Router(tags=["public"])  # actions.py adds the token actions to it

ChallengeStatusQuery = Query(
    None, description="published, completed or cancelled (drafts are never public)."
)


def org_ref(org: Organisation) -> dict[str, Any]:
    return {"id": org.public_id, "name": org.name, "country": org.country.code}


def organisation_out(org: Organisation) -> dict[str, Any]:
    return {
        "id": org.public_id,
        "name": org.name,
        "kind": org.kind,
        "description": org.description,
        "country": org.country.code,
        "nuts_region": org.nuts_region.code if org.nuts_region else None,
        "website": org.website,
        "status": org.status,
        "verified_at": org.verified_at,
        "national_id": org.national_id,
        "size": org.size.code if org.size else None,
        "intermediary_type": org.intermediary_type,
        "created_at": org.created_at,
    }


def need_out(need: InnovationNeed) -> dict[str, Any]:
    return {
        "id": need.public_id,
        "title": need.title,
        "problem": need.problem,
        "affected": need.affected,
        "expected_outcomes": need.expected_outcomes,
        "outcome_measures": need.outcome_measures,
        "authority": org_ref(need.authority),
        "cpv_codes": [c.code for c in need.cpv_codes.all()],
        "nuts_region": need.nuts_region.code if need.nuts_region else None,
        "currency": need.currency,
        "budget_min": need.budget_min,
        "budget_max": need.budget_max,
        "timeline": need.timeline,
        "expected_start": need.expected_start,
        "constraints_data": need.constraints_data,
        "constraints_interoperability": need.constraints_interoperability,
        "constraints_accessibility": need.constraints_accessibility,
        "constraints_security": need.constraints_security,
        "open_to_pooling": need.open_to_pooling,
        "status": need.status,
        "published_at": need.published_at,
    }


def challenge_out(challenge: Challenge) -> dict[str, Any]:
    buyers = list(challenge.buyers.all())
    return {
        "id": challenge.public_id,
        "title": challenge.title,
        "summary": challenge.summary,
        "status": challenge.status,
        "lead_authority": org_ref(challenge.lead_authority),
        "buyers": [{"authority": org_ref(b.authority), "is_lead": b.is_lead} for b in buyers],
        "cpv_codes": sorted(c.code for c in challenge.cpv_codes.all()),
        "nuts_region": challenge.nuts_region.code if challenge.nuts_region else None,
        "currency": challenge.currency,
        "total_budget": challenge.total_budget,
        "published_at": challenge.published_at,
        "completed_at": challenge.completed_at,
        "cancelled_at": challenge.cancelled_at,
        "open_now": bool(getattr(challenge, "is_open_now", False)),
        "next_deadline": getattr(challenge, "next_deadline", None),
    }


def phase_out(phase: Phase) -> dict[str, Any]:
    return {
        "id": phase.public_id,
        "order": phase.order,
        "kind": phase.kind,
        "title": phase.title,
        "description": phase.description,
        "status": phase.status,
        "opens_at": phase.opens_at,
        "deadline": phase.deadline,
        "ends_at": phase.ends_at,
        "sme_only": phase.sme_only,
        "eu_eea_only": phase.eu_eea_only,
        "eligibility_notes": phase.eligibility_notes,
        "budget": phase.budget,
        "max_selected": phase.max_selected,
        "asks_price": phase.asks_price,
        "criteria": [
            {
                "id": c.public_id,
                "order": c.order,
                "name": c.name,
                "description": c.description,
                "weight": c.weight,
                "criterion_type": c.criterion_type.code,
            }
            for c in phase.criteria.all()
        ],
        # Never the asker: answers are published to everyone, anonymously.
        "clarifications": [
            {
                "id": q.public_id,
                "question": q.question,
                "answer": q.answer,
                "answered_at": q.answered_at,
            }
            for q in getattr(phase, "published_clarifications", [])
        ],
    }


def _public_challenge(public_id: UUID) -> Challenge:
    return first_or_404(challenge_selectors.public_challenges(), public_id=public_id)


# --- Organisations -------------------------------------------------------------------------

ORGANISATIONS = Listing(
    serialize=organisation_out,
    ordering={"name": "name", "created_at": "created_at", "country": "country__code"},
)


@router.get(
    "/organisations",
    response={200: schemas.OrganisationPage, **LIST_ERRORS},
    summary="List organisations",
)
def organisation_list(
    request: HttpRequest,
    kind: OrganisationKind | None = None,
    country: str | None = Query(None, description="Alpha-3 country code, e.g. BEL."),
    status: VerificationStatus | None = None,
    q: str | None = Query(None, description="Words in the name or description."),
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = ORGANISATIONS.ordering_query,
) -> dict[str, Any]:
    qs = org_selectors.organisations_filtered(
        kind=kind, country=upper(country), status=status, query=q
    )
    return ORGANISATIONS.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/organisations/{uuid:organisation_id}",
    response={200: schemas.OrganisationOut, **DETAIL_ERRORS},
    summary="Read an organisation",
)
def organisation_detail(request: HttpRequest, organisation_id: UUID) -> dict[str, Any]:
    org = org_selectors.organisation_detail(public_id=organisation_id)
    if org is None:
        raise Http404
    return organisation_out(org)


# --- Needs ---------------------------------------------------------------------------------

NEEDS = Listing(serialize=need_out, ordering={"published_at": "published_at", "title": "title"})


@router.get(
    "/needs",
    response={200: schemas.NeedPage, **LIST_ERRORS},
    summary="List published innovation needs",
)
def need_list(
    request: HttpRequest,
    cpv: str | None = Query(None, description="CPV division: the code's first two digits."),
    country: str | None = Query(None, description="The authority's alpha-3 country code."),
    q: str | None = Query(None, description="Words in the title, problem or authority."),
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = NEEDS.ordering_query,
) -> dict[str, Any]:
    qs = need_selectors.needs_filtered(division=cpv, country=upper(country), query=q)
    return NEEDS.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/needs/{uuid:need_id}",
    response={200: schemas.NeedOut, **DETAIL_ERRORS},
    summary="Read a published need",
)
def need_detail(request: HttpRequest, need_id: UUID) -> dict[str, Any]:
    need = need_selectors.need_detail(public_id=need_id)
    if need is None or not need_permissions.is_public(need):
        raise Http404
    return need_out(need)


# --- Challenges ----------------------------------------------------------------------------

CHALLENGES = Listing(
    serialize=challenge_out, ordering={"published_at": "published_at", "title": "title"}
)


@router.get(
    "/challenges",
    response={200: schemas.ChallengePage, **LIST_ERRORS},
    summary="List public challenges",
)
def challenge_list(
    request: HttpRequest,
    status: ChallengeStatus | None = ChallengeStatusQuery,
    cpv: str | None = Query(None, description="CPV division: the code's first two digits."),
    country: str | None = Query(None, description="A buying authority's alpha-3 country."),
    open_now: bool = Query(False, description="Only those with a phase taking proposals now."),
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = CHALLENGES.ordering_query,
) -> dict[str, Any]:
    qs = challenge_selectors.public_challenges(
        status=status, cpv_division=cpv, country=upper(country), open_now=open_now
    )
    return CHALLENGES.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/challenges/{uuid:challenge_id}",
    response={200: schemas.ChallengeDetailOut, **DETAIL_ERRORS},
    summary="Read a challenge: phases, criteria, answered clarifications and outcome",
)
def challenge_detail(request: HttpRequest, challenge_id: UUID) -> dict[str, Any]:
    challenge = _public_challenge(challenge_id)
    outcome = evaluation_selectors.outcome_of(challenge)
    data = challenge_out(challenge)
    data.update(
        description=challenge.description,
        cancellation_reason=challenge.cancellation_reason,
        phases=[phase_out(p) for p in challenge_selectors.phases_for_page(challenge)],
        outcome=None
        if outcome is None
        else {
            "kind": outcome.kind,
            "awarded": [org_ref(p.company) for p in outcome.awarded_proposals.all()],
            "value": outcome.value,
            "currency": outcome.currency,
            "reasons": outcome.reasons,
            "published_at": outcome.published_at,
            "standstill_ends_at": outcome.standstill_ends_at,
            "becomes_final_at": outcome.becomes_final_at,
        },
    )
    return data


# --- Reference vocabularies ----------------------------------------------------------------


def _label(labels: dict[str, str], code: str) -> str:
    return pick_label(labels, get_language(), fallback=code)


def cpv_out(code: CpvCode) -> dict[str, Any]:
    return {
        "code": code.code,
        "label": _label(code.labels, code.code),
        "level": code.level,
        "parent": code.parent.code if code.parent else None,
    }


def nuts_out(region: NutsRegion) -> dict[str, Any]:
    return {
        "code": region.code,
        "label": _label(region.labels, region.code),
        "level": region.level,
        "country_code": region.country_code,
        "parent": region.parent.code if region.parent else None,
    }


# The vocabularies keep their own order (by code): no ``ordering`` parameter.
CPV_CODES = Listing(serialize=cpv_out)
NUTS_REGIONS = Listing(serialize=nuts_out)


@router.get(
    "/reference/cpv", response={200: schemas.CpvPage, **LIST_ERRORS}, summary="List CPV codes"
)
def cpv_list(
    request: HttpRequest,
    q: str | None = Query(None, description="Words in the label (any language)."),
    prefix: str | None = Query(None, description="Leading digits of the code, e.g. 7226."),
    limit: int = Limit,
    offset: int = Offset,
) -> dict[str, Any]:
    qs = api_selectors.cpv_codes(query=q, prefix=prefix).select_related("parent")
    return CPV_CODES.page(request, qs, limit=limit, offset=offset)


@router.get(
    "/reference/nuts", response={200: schemas.NutsPage, **LIST_ERRORS}, summary="List NUTS regions"
)
def nuts_list(
    request: HttpRequest,
    q: str | None = Query(None, description="Words in the region's name."),
    country: str | None = Query(None, description="Country: NUTS, alpha-2 or alpha-3 code."),
    limit: int = Limit,
    offset: int = Offset,
) -> dict[str, Any]:
    qs = api_selectors.nuts_regions(query=q, country=country).select_related("parent")
    return NUTS_REGIONS.page(request, qs, limit=limit, offset=offset)
