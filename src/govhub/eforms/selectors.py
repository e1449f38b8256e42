"""Reads for eForms export: public phases and published outcomes, with what notices touch."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch, QuerySet

from govhub.challenges.models import AwardCriterion, Challenge, ChallengeBuyer, Phase
from govhub.challenges.selectors import PUBLIC_STATUSES
from govhub.evaluation.models import Outcome
from govhub.proposals.models import Proposal

ORG_RELATED = ("country", "nuts_region", "buyer_legal_type", "main_activity")


def _challenges() -> QuerySet[Challenge]:
    return (
        Challenge.objects.filter(published_at__isnull=False, status__in=PUBLIC_STATUSES)
        .select_related(*(f"lead_authority__{r}" for r in ORG_RELATED), "nuts_region")
        .prefetch_related(
            "cpv_codes",
            Prefetch(
                "buyers",
                queryset=ChallengeBuyer.objects.select_related(
                    *(f"authority__{r}" for r in ORG_RELATED)
                ),
            ),
            Prefetch(
                "phases",
                queryset=Phase.objects.order_by("order").prefetch_related(
                    Prefetch(
                        "criteria",
                        queryset=AwardCriterion.objects.select_related("criterion_type").order_by(
                            "order"
                        ),
                    )
                ),
            ),
        )
    )


def public_phase(public_id: UUID) -> Phase | None:
    """A phase of a published (or completed, or cancelled) challenge."""
    phase = Phase.objects.filter(public_id=public_id).only("challenge_id").first()
    if phase is None:
        return None
    challenge = _challenges().filter(pk=phase.challenge_id).first()
    if challenge is None:
        return None
    return next(p for p in challenge.phases.all() if p.public_id == public_id)


def published_outcome(challenge_id: UUID) -> tuple[Challenge, Outcome] | None:
    challenge = _challenges().filter(public_id=challenge_id).first()
    if challenge is None:
        return None
    outcome = (
        Outcome.objects.filter(challenge=challenge)
        .prefetch_related(
            Prefetch(
                "awarded_proposals",
                queryset=Proposal.objects.select_related(*(f"company__{r}" for r in ORG_RELATED)),
            )
        )
        .first()
    )
    if outcome is None:
        return None
    return challenge, outcome
