"""Reads for OCDS publication: public challenges with everything the builders touch."""

from __future__ import annotations

from uuid import UUID

from django.db.models import Prefetch, QuerySet

from govhub.challenges.models import (
    AwardCriterion,
    Challenge,
    ChallengeBuyer,
    Phase,
    PhaseDocument,
)
from govhub.challenges.selectors import PUBLIC_STATUSES
from govhub.proposals.models import Proposal


def publishable_challenges() -> QuerySet[Challenge]:
    """Published, completed and cancelled challenges (never drafts), newest first.

    Only awarded proposals' companies are loaded, and only through the published outcome.
    """
    return (
        Challenge.objects.filter(published_at__isnull=False, status__in=PUBLIC_STATUSES)
        .select_related(
            "lead_authority__country",
            "lead_authority__nuts_region",
            "nuts_region",
            "outcome",
        )
        .prefetch_related(
            "cpv_codes",
            Prefetch(
                "buyers",
                queryset=ChallengeBuyer.objects.select_related(
                    "authority__country", "authority__nuts_region"
                ),
            ),
            Prefetch(
                "phases",
                queryset=Phase.objects.order_by("order").prefetch_related(
                    Prefetch("criteria", queryset=AwardCriterion.objects.order_by("order")),
                    Prefetch("documents", queryset=PhaseDocument.objects.order_by("created_at")),
                ),
            ),
            Prefetch(
                "outcome__awarded_proposals",
                queryset=Proposal.objects.select_related(
                    "company__country", "company__nuts_region"
                ),
            ),
        )
        .order_by("-published_at", "-pk")
    )


def publishable_challenge(public_id: UUID) -> Challenge | None:
    return publishable_challenges().filter(public_id=public_id).first()
