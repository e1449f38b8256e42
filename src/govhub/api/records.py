"""Public records beside the challenges: answered clarifications, published outcomes, and the
opportunities and awards imported from TED. Registered on the public router (read-only)."""

from __future__ import annotations

import datetime as dt
from typing import Any
from uuid import UUID

from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet, TextField
from django.db.models.functions import Cast
from django.http import HttpRequest
from django.utils import timezone
from ninja import Query

from govhub.challenges.models import Challenge, Clarification
from govhub.challenges.selectors import PUBLIC_STATUSES
from govhub.evaluation.models import Outcome, OutcomeKind
from govhub.opportunities.models import (
    ExternalAward,
    ExternalAwardWinner,
    ExternalLot,
    ExternalNotice,
)
from govhub.proposals.models import Proposal
from govhub.reference.models import Country

from . import schemas
from .listing import (
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
from .public import org_ref
from .public import router as public_router

router = public_router
ChallengeId = Query(None, description="A challenge's id.")
PhaseId = Query(None, description="A phase's id.")


def _public_challenge_ids() -> QuerySet[Challenge]:
    return Challenge.objects.filter(published_at__isnull=False, status__in=PUBLIC_STATUSES)


def _digits(text: str | None, size: int = 8) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())[:size]


def alpha2(country: str | None) -> str | None:
    """An ISO alpha-2 code from an alpha-2 or alpha-3 one ("" if unknown, None if not given)."""
    if not country:
        return None
    code = country.strip().upper()
    if len(code) == 3:
        found = Country.objects.filter(code=code).values_list("alpha2", flat=True).first()
        return found or ""
    return code[:2]


# --- Clarifications ------------------------------------------------------------------------


def clarification_qs() -> QuerySet[Clarification]:
    """Answered questions of public challenges: the asker is never part of the record."""
    return (
        Clarification.objects.filter(
            answered_at__isnull=False, phase__challenge__in=_public_challenge_ids()
        )
        .select_related("phase__challenge")
        .order_by("-answered_at", "-pk")
    )


def clarification_out(item: Clarification) -> dict[str, Any]:
    return {
        "id": item.public_id,
        "challenge": item.phase.challenge.public_id,
        "phase": item.phase.public_id,
        "question": item.question,
        "answer": item.answer,
        "answered_at": item.answered_at,
    }


CLARIFICATIONS = Listing(
    serialize=clarification_out,
    ordering={"answered_at": "answered_at", "created_at": "created_at"},
)


@router.get(
    "/clarifications",
    response={200: schemas.ClarificationPage, **LIST_ERRORS},
    summary="List published clarifications (answered questions of public challenges)",
)
def clarification_list(
    request: HttpRequest,
    challenge: UUID | None = ChallengeId,
    phase: UUID | None = PhaseId,
    q: str | None = Query(None, description="Words in the question or answer."),
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = CLARIFICATIONS.ordering_query,
) -> dict[str, Any]:
    qs = where(clarification_qs(), phase__challenge__public_id=challenge, phase__public_id=phase)
    qs = search_words(qs, q, "question", "answer")
    return CLARIFICATIONS.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/clarifications/{uuid:clarification_id}",
    response={200: schemas.PublicClarificationOut, **DETAIL_ERRORS},
    summary="Read a published clarification",
)
def clarification_detail(request: HttpRequest, clarification_id: UUID) -> dict[str, Any]:
    return clarification_out(first_or_404(clarification_qs(), public_id=clarification_id))


# --- Outcomes ------------------------------------------------------------------------------


def outcome_qs() -> QuerySet[Outcome]:
    return (
        Outcome.objects.filter(challenge__in=_public_challenge_ids())
        .select_related("challenge__lead_authority__country")
        .prefetch_related(
            Prefetch(
                "awarded_proposals",
                queryset=Proposal.objects.select_related("company__country").order_by(
                    "company__name"
                ),
            )
        )
        .order_by("-published_at", "-pk")
    )


def outcome_out(outcome: Outcome) -> dict[str, Any]:
    challenge = outcome.challenge
    return {
        "id": outcome.public_id,
        "challenge": {
            "id": challenge.public_id,
            "title": challenge.title,
            "lead_authority": org_ref(challenge.lead_authority),
        },
        "kind": outcome.kind,
        "awarded": [org_ref(p.company) for p in outcome.awarded_proposals.all()],
        "value": outcome.value,
        "currency": outcome.currency,
        "reasons": outcome.reasons,
        "published_at": outcome.published_at,
        "standstill_ends_at": outcome.standstill_ends_at,
        "becomes_final_at": outcome.becomes_final_at,
    }


OUTCOMES = Listing(
    serialize=outcome_out, ordering={"published_at": "published_at", "value": "value"}
)


@router.get(
    "/outcomes",
    response={200: schemas.PublishedOutcomePage, **LIST_ERRORS},
    summary="List the published outcomes of challenges",
)
def outcome_list(
    request: HttpRequest,
    kind: OutcomeKind | None = None,
    challenge: UUID | None = ChallengeId,
    country: str | None = Query(None, description="The lead authority's alpha-3 country."),
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = OUTCOMES.ordering_query,
) -> dict[str, Any]:
    qs = where(
        outcome_qs(),
        kind=kind,
        challenge__public_id=challenge,
        challenge__lead_authority__country__code=upper(country),
    )
    return OUTCOMES.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/outcomes/{uuid:outcome_id}",
    response={200: schemas.PublishedOutcomeOut, **DETAIL_ERRORS},
    summary="Read a published outcome",
)
def outcome_detail(request: HttpRequest, outcome_id: UUID) -> dict[str, Any]:
    return outcome_out(first_or_404(outcome_qs(), public_id=outcome_id))


# --- External opportunities (TED) ----------------------------------------------------------


def opportunity_qs(
    *,
    cpv: str | None = None,
    country: str | None = None,
    nuts: str | None = None,
    form: str | None = None,
    open_now: bool = False,
    q: str | None = None,
    now: dt.datetime | None = None,
) -> QuerySet[ExternalNotice]:
    """Imported notices except corrigenda (shown on the notice they correct), newest first.

    ``cpv`` is a prefix of the main or an additional code's digits; ``nuts`` a prefix of a
    place-of-performance code; ``country`` an alpha-2 or alpha-3 code."""
    qs = ExternalNotice.objects.exclude(form="F14").select_related("cpv_main", "buyer__country")
    digits = _digits(cpv)
    if digits:
        qs = qs.filter(
            Q(cpv_main__digits__startswith=digits)
            | Exists(
                ExternalNotice.cpv_additional.through.objects.filter(
                    externalnotice=OuterRef("pk"), cpvcode__digits__startswith=digits
                )
            )
        )
    code = alpha2(country)
    if code is not None:
        qs = qs.filter(country_code=code)
    if nuts:
        prefix = "".join(ch for ch in nuts.upper() if ch.isalnum())[:5]
        # The codes are a JSON list: match '"<prefix>' in its text on every database.
        qs = qs.annotate(nuts_text=Cast("nuts_codes", TextField())).filter(
            nuts_text__contains=f'"{prefix}'
        )
    qs = where(qs, form=upper(form))
    if open_now:
        qs = qs.filter(tender_deadline__gt=now or timezone.now())
    qs = search_words(qs, q, "title", "short_description")
    return qs.prefetch_related("cpv_additional").order_by("-publication_date", "-pk")


def _title(notice: ExternalNotice) -> str:
    return notice.title or next(iter((notice.titles or {}).values()), "")


def opportunity_out(notice: ExternalNotice) -> dict[str, Any]:
    return {
        "id": notice.public_id,
        "source": notice.source,
        "oj_number": notice.oj_number,
        "form": notice.form,
        "notice_type": notice.notice_type,
        "publication_date": notice.publication_date,
        "original_language": notice.original_language,
        "title": _title(notice),
        "titles": notice.titles,
        "short_description": notice.short_description,
        "cpv_main": notice.cpv_main.code if notice.cpv_main else None,
        "cpv_additional": sorted(c.code for c in notice.cpv_additional.all()),
        "nuts_codes": list(notice.nuts_codes),
        "country": notice.country_code,
        "estimated_value": notice.estimated_value,
        "total_value": notice.total_value,
        "currency": notice.currency,
        "tender_deadline": notice.tender_deadline,
        "buyer": org_ref(notice.buyer) if notice.buyer else None,
        "procedure_type": notice.procedure_type,
        "contract_nature": notice.contract_nature,
        "url": notice.url,
    }


def _winners_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "winners_rel",
        queryset=ExternalAwardWinner.objects.select_related("organisation").order_by("id"),
    )


def _winner_out(winner: ExternalAwardWinner) -> dict[str, Any]:
    # Contractors as the notice publishes them; addresses are the company's, not a person's.
    return {
        "name": winner.name,
        "national_id": winner.national_id,
        "town": winner.town,
        "country": winner.country_code,
        "nuts_code": winner.nuts_code,
        "is_sme": winner.is_sme,
        "organisation": winner.organisation.public_id if winner.organisation else None,
    }


def award_out(award: ExternalAward, *, with_notice: bool = True) -> dict[str, Any]:
    data = {
        "id": award.public_id,
        "lot_number": award.lot_number,
        "contract_number": award.contract_number,
        "title": award.title,
        "is_awarded": award.is_awarded,
        "award_date": award.award_date,
        "value": award.value,
        "currency": award.currency,
        "tenders_received": award.tenders_received,
        "winners": [_winner_out(w) for w in award.winners_rel.all()],
    }
    if with_notice:
        notice = award.notice
        data["notice"] = {
            "id": notice.public_id,
            "oj_number": notice.oj_number,
            "title": _title(notice),
            "country": notice.country_code,
            "cpv_main": notice.cpv_main.code if notice.cpv_main else None,
        }
    return data


OPPORTUNITIES = Listing(
    serialize=opportunity_out,
    ordering={
        "publication_date": "publication_date",
        "tender_deadline": "tender_deadline",
        "estimated_value": "estimated_value",
    },
)


@router.get(
    "/opportunities",
    response={200: schemas.OpportunityPage, **LIST_ERRORS},
    summary="List opportunities published on TED and imported into GovHub",
)
def opportunity_list(
    request: HttpRequest,
    cpv: str | None = Query(None, description="Leading digits of a CPV code, e.g. 72."),
    country: str | None = Query(None, description="Country: alpha-2 or alpha-3 code."),
    nuts: str | None = Query(None, description="Leading characters of a NUTS code, e.g. BE1."),
    form: str | None = Query(None, description="TED form, e.g. F02 (contract notice)."),
    open_now: bool = Query(False, description="Only those whose tender deadline is ahead."),
    q: str | None = Query(None, description="Words in the title or description."),
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = OPPORTUNITIES.ordering_query,
) -> dict[str, Any]:
    qs = opportunity_qs(cpv=cpv, country=country, nuts=nuts, form=form, open_now=open_now, q=q)
    return OPPORTUNITIES.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/opportunities/{uuid:opportunity_id}",
    response={200: schemas.OpportunityDetailOut, **DETAIL_ERRORS},
    summary="Read an imported opportunity with its lots and awards",
)
def opportunity_detail(request: HttpRequest, opportunity_id: UUID) -> dict[str, Any]:
    notice = first_or_404(
        opportunity_qs().prefetch_related(
            Prefetch(
                "lots", queryset=ExternalLot.objects.prefetch_related("cpv_codes").order_by("id")
            ),
            Prefetch(
                "awards",
                queryset=ExternalAward.objects.prefetch_related(_winners_prefetch()).order_by("id"),
            ),
        ),
        public_id=opportunity_id,
    )
    data = opportunity_out(notice)
    data["lots"] = [
        {
            "id": lot.public_id,
            "number": lot.number,
            "title": lot.title,
            "cpv_codes": sorted(c.code for c in lot.cpv_codes.all()),
            "nuts_codes": list(lot.nuts_codes),
            "estimated_value": lot.estimated_value,
            "currency": lot.currency,
        }
        for lot in notice.lots.all()
    ]
    data["awards"] = [award_out(a, with_notice=False) for a in notice.awards.all()]
    return data


# --- External awards (TED) -----------------------------------------------------------------


def award_qs() -> QuerySet[ExternalAward]:
    return (
        ExternalAward.objects.select_related("notice__cpv_main")
        .prefetch_related(_winners_prefetch())
        .order_by("-notice__publication_date", "-pk")
    )


AWARDS = Listing(serialize=award_out, ordering={"award_date": "award_date", "value": "value"})


@router.get(
    "/awards",
    response={200: schemas.AwardPage, **LIST_ERRORS},
    summary="List contract awards published on TED and imported into GovHub",
)
def award_list(
    request: HttpRequest,
    cpv: str | None = Query(None, description="Leading digits of the notice's main CPV code."),
    country: str | None = Query(None, description="The buyer's country: alpha-2 or alpha-3."),
    winner_country: str | None = Query(None, description="A winner's country (alpha-2/3)."),
    awarded: bool | None = Query(None, description="false: lots that were not awarded."),
    limit: int = Limit,
    offset: int = Offset,
    ordering: str | None = AWARDS.ordering_query,
) -> dict[str, Any]:
    qs = where(award_qs(), notice__cpv_main__digits__startswith=_digits(cpv), is_awarded=awarded)
    code = alpha2(country)
    if code is not None:
        qs = qs.filter(notice__country_code=code)
    winner = alpha2(winner_country)
    if winner is not None:
        qs = qs.filter(
            Exists(ExternalAwardWinner.objects.filter(award=OuterRef("pk"), country_code=winner))
        )
    return AWARDS.page(request, qs, limit=limit, offset=offset, ordering=ordering)


@router.get(
    "/awards/{uuid:award_id}",
    response={200: schemas.AwardOut, **DETAIL_ERRORS},
    summary="Read an imported contract award",
)
def award_detail(request: HttpRequest, award_id: UUID) -> dict[str, Any]:
    return award_out(first_or_404(award_qs(), public_id=award_id))
