"""Reads of the matching app as plain data: CPV suggestions for a text, and the recommendation
panels of a need, a challenge and a company, each item with why it is recommended.

The pages' template tags, the HTML views and the REST API all call these. None of them
checks who asks: ask :mod:`govhub.matching.permissions` first. Every recommended need,
challenge or solution is checked against its own table again (the index admits only
published items, but a stale row must never show one that is no longer public).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.conf import settings
from django.urls import translate_url
from django.utils.functional import Promise
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _

from govhub.catalogue.models import Solution, SolutionStatus
from govhub.challenges.models import Challenge, ChallengeStatus
from govhub.needs.models import InnovationNeed, NeedStatus
from govhub.organisations.models import Organisation
from govhub.reference.models import CpvCode, pick_label

from . import recommend
from .store import current_suggester

MAX_TEXT = 5000  # characters of a draft the suggester reads; the rest adds little
SUGGESTIONS = 5
PANEL_LIMIT = recommend.LIMIT

# What each panel is called on the pages, before it has loaded and once it has.
HEADINGS: dict[str, Promise] = {
    "need": gettext_lazy("Recommended for this need"),
    "challenge": gettext_lazy("Who could answer this challenge"),
    "company": gettext_lazy("Opportunities you could win"),
}


# -- CPV suggestions -----------------------------------------------------------------------------


@dataclass(frozen=True)
class CpvSuggestion:
    code: str  # with its check digit: 45210000-2
    digits: str
    label: str
    confidence: float  # 0..1

    @property
    def percent(self) -> int:
        return round(self.confidence * 100)


@dataclass(frozen=True)
class CpvSuggestions:
    available: bool  # False until a model has been trained
    suggestions: list[CpvSuggestion]


def cpv_suggestions(
    text: str, *, limit: int = SUGGESTIONS, language: str | None = None
) -> CpvSuggestions:
    """The likeliest CPV codes for a draft's text, labelled in ``language`` (else English)."""
    text = text[:MAX_TEXT]
    suggester = current_suggester()
    if suggester is None or not text.strip():
        return CpvSuggestions(available=suggester is not None, suggestions=[])
    found = suggester.suggest(text, limit=limit)
    codes = {c.digits: c for c in CpvCode.objects.filter(digits__in=[s.code for s in found])}
    language = language or get_language() or settings.LANGUAGE_CODE
    return CpvSuggestions(
        available=True,
        suggestions=[
            CpvSuggestion(
                code=codes[s.code].code,
                digits=s.code,
                label=pick_label(codes[s.code].labels, language, fallback=codes[s.code].code),
                confidence=float(s.confidence),
            )
            for s in found
            if s.code in codes  # a code the reference data does not know is no help
        ],
    )


# -- recommendation panels -----------------------------------------------------------------------


@dataclass(frozen=True)
class RecommendedItem:
    kind: str  # need, challenge, solution, organisation, opportunity
    public_id: str
    title: str
    url: str  # path in the current language
    score: float
    reasons: list[str]  # why, in the current language


@dataclass(frozen=True)
class RecommendationGroup:
    key: str  # needs, solutions, companies, challenges, opportunities
    title: str
    items: list[RecommendedItem]


@dataclass(frozen=True)
class RecommendationPanel:
    key: str  # need, challenge, company
    heading: str
    audience: str
    groups: list[RecommendationGroup] = field(default_factory=list)
    model_ready: bool = False
    # Every similar need found is already in the need page's pooling list.
    listed_above: bool = False


def _codes(obj: Any, field_name: str = "cpv_codes") -> list[str]:
    return [c.digits for c in getattr(obj, field_name).all()]


def _nuts(obj: Any) -> str:
    region = getattr(obj, "nuts_region", None)
    return region.code if region is not None else ""


def _items(recs: Iterable[recommend.Recommendation]) -> list[RecommendedItem]:
    # The index stores the address in the language it was built in: give the reader's.
    language = get_language() or settings.LANGUAGE_CODE
    return [
        RecommendedItem(
            kind=r.kind,
            public_id=r.public_id,
            title=r.title,
            url=translate_url(r.url, language),
            score=r.score,
            reasons=list(r.reasons),
        )
        for r in recs
    ]


def _still_public(
    recs: list[recommend.Recommendation], allowed: Iterable[Any]
) -> list[recommend.Recommendation]:
    keep = {str(public_id) for public_id in allowed}
    return [r for r in recs if r.public_id in keep]


def _published_needs(
    recs: list[recommend.Recommendation], *, authority_id: int, hidden: set[str]
) -> list[recommend.Recommendation]:
    """Needs still published, of other authorities, not already listed on the page (one
    query)."""
    allowed = (
        InnovationNeed.objects.filter(
            public_id__in=[r.public_id for r in recs], status=NeedStatus.PUBLISHED
        )
        .exclude(authority_id=authority_id)
        .values_list("public_id", flat=True)
    )
    return [r for r in _still_public(recs, allowed) if r.public_id not in hidden]


def _published_solutions(recs: list[recommend.Recommendation]) -> list[recommend.Recommendation]:
    allowed = Solution.objects.filter(
        public_id__in=[r.public_id for r in recs], status=SolutionStatus.PUBLISHED
    ).values_list("public_id", flat=True)
    return _still_public(recs, allowed)


def _published_challenges(
    recs: list[recommend.Recommendation],
) -> list[recommend.Recommendation]:
    allowed = Challenge.objects.filter(
        public_id__in=[r.public_id for r in recs], status=ChallengeStatus.PUBLISHED
    ).values_list("public_id", flat=True)
    return _still_public(recs, allowed)


def _shown_ids(shown: Any) -> set[str]:
    """Public ids of needs the page lists already (the needs app's pooling suggestions)."""
    ids = set()
    for item in shown or []:
        need = getattr(item, "need", item)
        public_id = getattr(need, "public_id", None)
        if public_id is not None:
            ids.add(str(public_id))
    return ids


def _panel(
    *,
    key: str,
    audience: str,
    groups: list[tuple[str, str, list[recommend.Recommendation]]],
    listed_above: bool = False,
) -> RecommendationPanel:
    return RecommendationPanel(
        key=key,
        heading=str(HEADINGS[key]),
        audience=audience,
        groups=[
            RecommendationGroup(key=group_key, title=title, items=_items(recs))
            for group_key, title, recs in groups
        ],
        model_ready=current_suggester() is not None,
        listed_above=listed_above,
    )


def need_panel(need: InnovationNeed, *, shown: Any = None) -> RecommendationPanel:
    """Similar published needs at other authorities (to pool demand) and reusable catalogue
    solutions. ``shown``: what the page lists already (its pooling suggestions), left out."""
    body = f"{need.problem}\n{need.expected_outcomes}"
    codes = _codes(need)
    hidden = _shown_ids(shown)
    similar = recommend.similar_documents(
        kind="need",
        title=need.title,
        body=body,
        cpv_codes=codes,
        nuts=_nuts(need),
        exclude_public_id=str(need.public_id),
        limit=PANEL_LIMIT * 3,
    )
    needs = _published_needs(similar, authority_id=need.authority_id, hidden=hidden)
    solutions = recommend.similar_documents(
        kind="solution", title=need.title, body=body, cpv_codes=codes
    )
    return _panel(
        key="need",
        audience=_("Only the buyers of your authority see these recommendations."),
        groups=[
            ("needs", _("Similar needs at other authorities"), needs[:PANEL_LIMIT]),
            (
                "solutions",
                _("Catalogue solutions you could reuse"),
                _published_solutions(solutions),
            ),
        ],
        listed_above=bool(hidden),
    )


def challenge_panel(challenge: Challenge) -> RecommendationPanel:
    """Companies and catalogue solutions likely to answer the challenge."""
    body = f"{challenge.summary}\n{challenge.description}"
    codes = _codes(challenge)
    companies = recommend.companies_for(
        title=challenge.title, body=body, cpv_codes=codes, nuts=_nuts(challenge)
    )
    solutions = recommend.similar_documents(
        kind="solution", title=challenge.title, body=body, cpv_codes=codes
    )
    return _panel(
        key="challenge",
        audience=_("Only the buyers of this challenge see these recommendations."),
        groups=[
            ("companies", _("Companies"), companies),
            ("solutions", _("Catalogue solutions"), _published_solutions(solutions)),
        ],
    )


def company_panel(organisation: Organisation) -> RecommendationPanel:
    """Published challenges and open TED calls the company is likely to win."""
    codes = _codes(organisation, "cpv_capabilities")
    challenges: list[recommend.Recommendation] = []
    if codes or organisation.description:
        challenges = recommend.similar_documents(
            kind="challenge",
            title=organisation.name,
            body=organisation.description,
            cpv_codes=codes,
            nuts=_nuts(organisation),
            status="published",
        )
    return _panel(
        key="company",
        audience=_("Only the members of your company see these recommendations."),
        groups=[
            ("challenges", _("Challenges on GovHub"), _published_challenges(challenges)),
            (
                "opportunities",
                _("Open calls for tenders published on TED"),
                recommend.opportunities_for_company(organisation),
            ),
        ],
    )
