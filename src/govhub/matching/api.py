"""REST API endpoints of the matching app (mounted by govhub.api.api under /api/v1/matching).

CPV suggestions for a draft's text are public (subject to the API's rate limits, like every
public read); the text comes in a POST body, never in a URL. Recommendations are what the
pages' panels show, to the same people: a token acts as its creator within its organisation
(``matching.permissions`` with ``acting_for``), and anyone else is told the object is not
found, as on the pages, so that no one can probe for drafts or for a company's prospects.
Labels, titles and messages are in the client's language: ``govhub.api.middleware`` activates
it from Accept-Language before the request is validated.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Field, Router, Schema
from pydantic import field_validator
from pydantic_core import PydanticCustomError

from govhub.api.auth import TokenAuth, require_scope
from govhub.api.models import Scope
from govhub.api.schemas import Problem
from govhub.challenges import selectors as challenge_selectors
from govhub.needs import selectors as need_selectors
from govhub.organisations import selectors as org_selectors

from . import permissions, selectors

router = Router(tags=["matching"])
TOKEN = TokenAuth()

RECOMMENDATION_ERRORS = {401: Problem, 403: Problem, 404: Problem, 429: Problem}


# --- Shapes --------------------------------------------------------------------------------


class CpvSuggestIn(Schema):
    text: str = Field(
        ...,
        min_length=1,
        max_length=selectors.MAX_TEXT,
        description="The draft's words (title, problem, description…), in any language.",
    )
    limit: int = Field(selectors.SUGGESTIONS, ge=1, le=10, description="How many codes (1–10).")

    @field_validator("text")
    @classmethod
    def _not_blank(cls, value: str) -> str:
        if not value.strip():
            # Not a ValueError: pydantic would prefix its message with "Value error, ".
            raise PydanticCustomError("blank", _("Write some text to get suggestions."))
        return value


class CpvSuggestionOut(Schema):
    code: str = Field(description="The CPV code with its check digit, e.g. 45210000-2.")
    digits: str = Field(description="The code's eight digits, e.g. 45210000.")
    label: str = Field(description="In the request's language when known, else in English.")
    confidence: float = Field(description="From 0 to 1.")


class CpvSuggestionsOut(Schema):
    suggestions: list[CpvSuggestionOut]
    available: bool = Field(description="False until a matching model has been trained.")


class RecommendedItemOut(Schema):
    kind: str = Field(description="need, challenge, solution, organisation or opportunity.")
    id: str = Field(description="The recommended item's public id.")
    title: str
    url: str = Field(description="Its page on GovHub.")
    score: float
    reasons: list[str] = Field(description="Why it is recommended.")


class RecommendationGroupOut(Schema):
    key: str = Field(
        description="needs, solutions, companies, challenges or opportunities (stable names)."
    )
    title: str
    items: list[RecommendedItemOut]


class RecommendationsOut(Schema):
    kind: str = Field(description="need, challenge or company: what the recommendations are for.")
    id: UUID = Field(description="Its public id.")
    model_ready: bool = Field(
        description="False until a matching model has been trained: CPV codes and regions only."
    )
    groups: list[RecommendationGroupOut]


def recommendations_out(
    request: HttpRequest, panel: selectors.RecommendationPanel, public_id: UUID
) -> dict[str, Any]:
    return {
        "kind": panel.key,
        "id": public_id,
        "model_ready": panel.model_ready,
        "groups": [
            {
                "key": group.key,
                "title": group.title,
                "items": [
                    {
                        "kind": item.kind,
                        "id": item.public_id,
                        "title": item.title,
                        "url": request.build_absolute_uri(item.url),
                        "score": item.score,
                        "reasons": item.reasons,
                    }
                    for item in group.items
                ],
            }
            for group in panel.groups
        ],
    }


# --- CPV suggestions -----------------------------------------------------------------------


@router.post(
    "/cpv-suggestions",
    response={200: CpvSuggestionsOut, 422: Problem, 429: Problem},
    summary="Suggest CPV codes for a draft's text",
    description=(
        "The likeliest CPV codes for the text, from the model GovHub trains on published "
        "notices. No token needed. Labels follow the Accept-Language header (English when "
        "the vocabulary has no label in that language)."
    ),
)
def cpv_suggestions(request: HttpRequest, payload: CpvSuggestIn) -> dict[str, Any]:
    found = selectors.cpv_suggestions(payload.text, limit=payload.limit)
    return {
        "suggestions": [
            {
                "code": s.code,
                "digits": s.digits,
                "label": s.label,
                "confidence": round(s.confidence, 3),
            }
            for s in found.suggestions
        ],
        "available": found.available,
    }


# --- Recommendations -----------------------------------------------------------------------


def _recommendations(
    request: HttpRequest,
    lookup: Callable[[], Any],
    may_see: Callable[..., bool],
    panel: Callable[[Any], selectors.RecommendationPanel],
) -> dict[str, Any]:
    """The scope first, then the object: without the scope every id answers alike (403), and
    with it a missing object and a refused one both answer 404."""
    token = require_scope(request, Scope.READ)
    obj = lookup()
    if obj is None or not may_see(token.created_by, obj, acting_for=token.organisation):
        raise Http404
    return recommendations_out(request, panel(obj), obj.public_id)


@router.get(
    "/needs/{uuid:need_id}/recommendations",
    auth=TOKEN,
    response={200: RecommendationsOut, **RECOMMENDATION_ERRORS},
    summary="Recommendations for a need: similar needs elsewhere, reusable solutions",
    description=(
        "Scope read. For the need's own authority, through a token of one of its buyers; "
        "anyone else gets 404, as on the need's page. Titles of groups, reasons and links "
        "follow the Accept-Language header."
    ),
)
def need_recommendations(request: HttpRequest, need_id: UUID) -> dict[str, Any]:
    return _recommendations(
        request,
        lambda: need_selectors.need_detail(public_id=need_id),
        permissions.may_see_need_recommendations,
        selectors.need_panel,
    )


@router.get(
    "/challenges/{uuid:challenge_id}/recommendations",
    auth=TOKEN,
    response={200: RecommendationsOut, **RECOMMENDATION_ERRORS},
    summary="Recommendations for a challenge: companies and solutions likely to answer",
    description=(
        "Scope read. For the authorities buying through the challenge (the lead and the "
        "co-buyers), through a token of one of their buyers, while the challenge is a draft "
        "or published; anyone else gets 404, as on the challenge's page. Titles of groups, "
        "reasons and links follow the Accept-Language header."
    ),
)
def challenge_recommendations(request: HttpRequest, challenge_id: UUID) -> dict[str, Any]:
    return _recommendations(
        request,
        lambda: challenge_selectors.challenge_detail(public_id=challenge_id),
        permissions.may_see_challenge_recommendations,
        selectors.challenge_panel,
    )


@router.get(
    "/companies/{uuid:company_id}/recommendations",
    auth=TOKEN,
    response={200: RecommendationsOut, **RECOMMENDATION_ERRORS},
    summary="Recommendations for a company: challenges and open TED calls it could win",
    description=(
        "Scope read. For the company itself, through a token of one of its members; anyone "
        "else gets 404, as on the company's page. Titles of groups, reasons and links follow "
        "the Accept-Language header."
    ),
)
def company_recommendations(request: HttpRequest, company_id: UUID) -> dict[str, Any]:
    return _recommendations(
        request,
        lambda: org_selectors.organisation_detail(public_id=company_id),
        permissions.may_see_company_recommendations,
        selectors.company_panel,
    )
