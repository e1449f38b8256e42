"""The public tables of GovHub, as flat rows for the bulk files.

Each table is read in chunks (``iterator``) so that memory stays flat however large it is.
Only public records and public facts: published needs, public challenges and their phases,
answered clarifications (never the asker), published outcomes, imported TED notices and
awards, published catalogue entries and their adoptions, and organisations without their
contact e-mail. Participation tables come from ``participation.selectors.open_data_rows``.
"""

from __future__ import annotations

import importlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from typing import Any

from django.db.models import Prefetch
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

from govhub.catalogue.models import Adoption, Solution, SolutionStatus
from govhub.challenges.models import Challenge, Clarification, Phase
from govhub.challenges.selectors import PUBLIC_STATUSES
from govhub.evaluation.models import Outcome
from govhub.needs.models import InnovationNeed, NeedStatus
from govhub.opportunities.models import ExternalAward, ExternalAwardWinner, ExternalNotice
from govhub.organisations.models import Organisation
from govhub.proposals.models import Proposal

CHUNK = 500

# EU data themes (http://publications.europa.eu/resource/authority/data-theme).
ECONOMY = "ECON"
GOVERNMENT = "GOVE"


@dataclass(frozen=True)
class Table:
    name: str
    title: Promise | str
    description: Promise | str
    rows: Callable[[], Iterable[dict[str, Any]]]
    themes: tuple[str, ...] = (GOVERNMENT,)
    keywords: tuple[str, ...] = field(default_factory=tuple)


def _iso(value: Any) -> str | None:
    return value.isoformat() if value is not None else None


def _str(value: Any) -> str | None:
    return str(value) if value is not None else None


def _public_challenges() -> Any:
    return Challenge.objects.filter(published_at__isnull=False, status__in=PUBLIC_STATUSES)


def organisation_rows() -> Iterator[dict[str, Any]]:
    qs = Organisation.objects.select_related("country", "nuts_region", "size").order_by("pk")
    for org in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": str(org.public_id),
            "name": org.name,
            "kind": org.kind,
            "country": org.country.code,
            "nuts_region": org.nuts_region.code if org.nuts_region else None,
            "website": org.website,
            "status": org.status,
            "verified_at": _iso(org.verified_at),
            "national_id": org.national_id,
            "size": org.size.code if org.size else None,
            "created_at": _iso(org.created_at),
        }


def need_rows() -> Iterator[dict[str, Any]]:
    qs = (
        InnovationNeed.objects.filter(status=NeedStatus.PUBLISHED)
        .select_related("authority", "nuts_region")
        .prefetch_related("cpv_codes")
        .order_by("pk")
    )
    for need in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": str(need.public_id),
            "title": need.title,
            "problem": need.problem,
            "expected_outcomes": need.expected_outcomes,
            "authority_id": str(need.authority.public_id),
            "authority": need.authority.name,
            "cpv_codes": ";".join(sorted(c.code for c in need.cpv_codes.all())),
            "nuts_region": need.nuts_region.code if need.nuts_region else None,
            "currency": need.currency,
            "budget_min": _str(need.budget_min),
            "budget_max": _str(need.budget_max),
            "open_to_pooling": need.open_to_pooling,
            "published_at": _iso(need.published_at),
        }


def challenge_rows() -> Iterator[dict[str, Any]]:
    qs = (
        _public_challenges()
        .select_related("lead_authority", "nuts_region")
        .prefetch_related("cpv_codes")
        .order_by("pk")
    )
    for challenge in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": str(challenge.public_id),
            "title": challenge.title,
            "summary": challenge.summary,
            "status": challenge.status,
            "lead_authority_id": str(challenge.lead_authority.public_id),
            "lead_authority": challenge.lead_authority.name,
            "cpv_codes": ";".join(sorted(c.code for c in challenge.cpv_codes.all())),
            "nuts_region": challenge.nuts_region.code if challenge.nuts_region else None,
            "currency": challenge.currency,
            "total_budget": _str(challenge.total_budget),
            "published_at": _iso(challenge.published_at),
            "completed_at": _iso(challenge.completed_at),
            "cancelled_at": _iso(challenge.cancelled_at),
        }


def phase_rows() -> Iterator[dict[str, Any]]:
    qs = (
        Phase.objects.filter(challenge__in=_public_challenges())
        .select_related("challenge")
        .order_by("challenge_id", "order")
    )
    for phase in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": str(phase.public_id),
            "challenge_id": str(phase.challenge.public_id),
            "order": phase.order,
            "kind": phase.kind,
            "title": phase.title,
            "status": phase.status,
            "opens_at": _iso(phase.opens_at),
            "deadline": _iso(phase.deadline),
            "ends_at": _iso(phase.ends_at),
            "sme_only": phase.sme_only,
            "eu_eea_only": phase.eu_eea_only,
            "budget": _str(phase.budget),
            "max_selected": phase.max_selected,
        }


def clarification_rows() -> Iterator[dict[str, Any]]:
    qs = (
        Clarification.objects.filter(
            answered_at__isnull=False, phase__challenge__in=_public_challenges()
        )
        .select_related("phase__challenge")
        .order_by("pk")
    )
    for item in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": str(item.public_id),
            "challenge_id": str(item.phase.challenge.public_id),
            "phase_id": str(item.phase.public_id),
            "question": item.question,
            "answer": item.answer,
            "answered_at": _iso(item.answered_at),
        }


def outcome_rows() -> Iterator[dict[str, Any]]:
    qs = (
        Outcome.objects.filter(challenge__in=_public_challenges())
        .select_related("challenge")
        .prefetch_related(
            Prefetch("awarded_proposals", queryset=Proposal.objects.select_related("company"))
        )
        .order_by("pk")
    )
    for outcome in qs.iterator(chunk_size=CHUNK):
        awarded = sorted(p.company.name for p in outcome.awarded_proposals.all())
        yield {
            "id": str(outcome.public_id),
            "challenge_id": str(outcome.challenge.public_id),
            "challenge": outcome.challenge.title,
            "kind": outcome.kind,
            "awarded": ";".join(awarded),
            "value": _str(outcome.value),
            "currency": outcome.currency,
            "reasons": outcome.reasons,
            "published_at": _iso(outcome.published_at),
            "standstill_ends_at": _iso(outcome.standstill_ends_at),
            "becomes_final_at": _iso(outcome.becomes_final_at),
        }


def opportunity_rows() -> Iterator[dict[str, Any]]:
    qs = (
        ExternalNotice.objects.exclude(form="F14")
        .select_related("cpv_main", "buyer")
        .prefetch_related("cpv_additional")
        .order_by("pk")
    )
    for notice in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": str(notice.public_id),
            "source": notice.source,
            "oj_number": notice.oj_number,
            "form": notice.form,
            "publication_date": _iso(notice.publication_date),
            "title": notice.title,
            "cpv_main": notice.cpv_main.code if notice.cpv_main else None,
            "cpv_additional": ";".join(sorted(c.code for c in notice.cpv_additional.all())),
            "nuts_codes": ";".join(notice.nuts_codes or []),
            "country": notice.country_code,
            "buyer": notice.buyer.name if notice.buyer else None,
            "estimated_value": _str(notice.estimated_value),
            "total_value": _str(notice.total_value),
            "currency": notice.currency,
            "tender_deadline": _iso(notice.tender_deadline),
            "url": notice.url,
        }


def award_rows() -> Iterator[dict[str, Any]]:
    qs = (
        ExternalAward.objects.select_related("notice")
        .prefetch_related(
            Prefetch("winners_rel", queryset=ExternalAwardWinner.objects.order_by("id"))
        )
        .order_by("pk")
    )
    for award in qs.iterator(chunk_size=CHUNK):
        winners = list(award.winners_rel.all())
        yield {
            "id": str(award.public_id),
            "notice_id": str(award.notice.public_id),
            "oj_number": award.notice.oj_number,
            "lot_number": award.lot_number,
            "title": award.title,
            "is_awarded": award.is_awarded,
            "award_date": _iso(award.award_date),
            "value": _str(award.value),
            "currency": award.currency,
            "tenders_received": award.tenders_received,
            "winners": ";".join(w.name for w in winners),
            "winner_countries": ";".join(w.country_code for w in winners),
        }


def solution_rows() -> Iterator[dict[str, Any]]:
    qs = (
        Solution.objects.filter(status=SolutionStatus.PUBLISHED)
        .select_related("provider")
        .prefetch_related("categories", "supported_countries")
        .order_by("pk")
    )
    for solution in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": str(solution.public_id),
            "name": solution.name,
            "summary": solution.summary,
            "provider_id": str(solution.provider.public_id),
            "provider": solution.provider.name,
            "categories": ";".join(sorted(c.category for c in solution.categories.all())),
            "licence": solution.licence,
            "is_open_source": solution.is_open_source,
            "delivery_model": solution.delivery_model,
            "trl": solution.trl,
            "supported_countries": ";".join(
                sorted(c.code for c in solution.supported_countries.all())
            ),
            "ai_risk_category": solution.ai_risk_category,
            "interoperability_level": solution.interoperability_level,
            "website": solution.website,
            "repository_url": solution.repository_url,
            "published_at": _iso(solution.published_at),
        }


def adoption_rows() -> Iterator[dict[str, Any]]:
    qs = (
        Adoption.objects.filter(solution__status=SolutionStatus.PUBLISHED)
        .select_related("solution", "authority", "nuts_region")
        .order_by("pk")
    )
    for adoption in qs.iterator(chunk_size=CHUNK):
        yield {
            "id": str(adoption.public_id),
            "solution_id": str(adoption.solution.public_id),
            "solution": adoption.solution.name,
            "authority_id": str(adoption.authority.public_id),
            "authority": adoption.authority.name,
            "nuts_region": adoption.nuts_region.code if adoption.nuts_region else None,
            "since": _iso(adoption.since),
            "scale": adoption.scale,
            "users_count": adoption.users_count,
            "cost_band": adoption.cost_band,
            "outcome": adoption.outcome,
            "status": adoption.status,
        }


def _participation() -> dict[str, list[dict[str, Any]]]:
    try:
        selectors = importlib.import_module("govhub.participation.selectors")
    except ImportError:  # pragma: no cover  (the app is part of GovHub)
        return {}
    rows = getattr(selectors, "open_data_rows", None)
    return rows() if rows is not None else {}


PARTICIPATION_TITLES: dict[str, tuple[Promise, Promise]] = {
    "processes": (
        _("Participatory processes"),
        _("Public consultations of authorities on their needs."),
    ),
    "ideas": (_("Ideas"), _("Ideas proposed in participatory processes, without their authors.")),
    "answers": (_("Answers to ideas"), _("Authorities' answers to the ideas they received.")),
    "results": (_("Results of ideas"), _("What came of the ideas: needs, challenges and steps.")),
}


def tables() -> list[Table]:
    """Every public table, in the order the open-data page lists them."""
    found = [
        Table(
            "organisations",
            _("Organisations"),
            _("Public authorities, companies and intermediaries: public facts only."),
            organisation_rows,
        ),
        Table(
            "needs",
            _("Innovation needs"),
            _("Published needs of public authorities."),
            need_rows,
        ),
        Table(
            "challenges",
            _("Challenges"),
            _("Innovation challenges and procurements run on GovHub."),
            challenge_rows,
            themes=(GOVERNMENT, ECONOMY),
        ),
        Table(
            "phases",
            _("Challenge phases"),
            _("The phases of public challenges with their deadlines."),
            phase_rows,
            themes=(GOVERNMENT, ECONOMY),
        ),
        Table(
            "clarifications",
            _("Clarifications"),
            _("Answered questions about challenges (never who asked)."),
            clarification_rows,
        ),
        Table(
            "outcomes",
            _("Outcomes"),
            _("Published decisions of challenges: awards and their reasons."),
            outcome_rows,
            themes=(GOVERNMENT, ECONOMY),
        ),
        Table(
            "opportunities",
            _("TED opportunities"),
            _("Notices published on TED (Tenders Electronic Daily) and imported into GovHub."),
            opportunity_rows,
            themes=(ECONOMY, GOVERNMENT),
        ),
        Table(
            "awards",
            _("TED contract awards"),
            _("Contract awards published on TED, with the winning contractors."),
            award_rows,
            themes=(ECONOMY, GOVERNMENT),
        ),
        Table(
            "solutions",
            _("Catalogue of solutions"),
            _("Published entries of the catalogue of reusable solutions."),
            solution_rows,
        ),
        Table(
            "adoptions",
            _("Adoptions"),
            _("Which authority uses which catalogue entry, since when and how widely."),
            adoption_rows,
        ),
    ]
    for name, (title, description) in PARTICIPATION_TITLES.items():
        found.append(
            Table(
                f"participation-{name}",
                title,
                description,
                _participation_rows(name),
            )
        )
    return found


def _participation_rows(name: str) -> Callable[[], Iterable[dict[str, Any]]]:
    def rows() -> Iterable[dict[str, Any]]:
        return _participation().get(name, [])

    return rows


def table_named(name: str) -> Table | None:
    return next((t for t in tables() if t.name == name), None)
