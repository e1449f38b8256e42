"""Who may do what to a challenge. Pure predicates: services and views both ask them.

The lead authority's buyers run the challenge. Co-buying authorities are bound by its
outcome, so their members see the draft and (later) the evaluation, and their buyers answer
clarifications, but only the lead edits, publishes, opens, closes and cancels.
"""

from __future__ import annotations

from typing import Any

from django.utils import timezone

from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    VerificationStatus,
)

from .models import Challenge, ChallengeStatus, Phase, PhaseStatus


def is_public(challenge: Challenge) -> bool:
    """Published once means public for good: completed and cancelled challenges stay visible."""
    return challenge.published_at is not None


def buyer_authority_ids(challenge: Challenge) -> set[int]:
    return set(challenge.buyers.values_list("authority_id", flat=True))


def _memberships(user: Any, challenge: Challenge) -> list[Membership]:
    if not org_permissions.is_signed_in(user):
        return []
    return list(
        Membership.objects.filter(
            user=user, organisation__challenge_buyers__challenge=challenge
        ).select_related("organisation")
    )


def is_lead_buyer(user: Any, challenge: Challenge) -> bool:
    return org_permissions.can_publish_for(user, challenge.lead_authority)


def is_buying_member(user: Any, challenge: Challenge) -> bool:
    """A member of the lead or of a co-buying authority (any role)."""
    return bool(_memberships(user, challenge))


def can_view(user: Any, challenge: Challenge) -> bool:
    return is_public(challenge) or is_buying_member(user, challenge)


def can_manage(user: Any, challenge: Challenge) -> bool:
    """Run the published challenge: phases, deadlines, cancellation."""
    return is_lead_buyer(user, challenge)


def can_edit(user: Any, challenge: Challenge) -> bool:
    return challenge.status == ChallengeStatus.DRAFT and is_lead_buyer(user, challenge)


def can_publish(user: Any, challenge: Challenge) -> bool:
    return can_edit(user, challenge)


def can_cancel(user: Any, challenge: Challenge) -> bool:
    return challenge.status in {ChallengeStatus.DRAFT, ChallengeStatus.PUBLISHED} and is_lead_buyer(
        user, challenge
    )


def can_answer_clarifications(user: Any, challenge: Challenge) -> bool:
    """A buyer of the lead or of a co-buying authority (verified: suspended ones cannot)."""
    return any(
        m.is_buyer and org_permissions.can_grant_authority_roles(m.organisation)
        for m in _memberships(user, challenge)
    )


def can_view_evaluation(user: Any, challenge: Challenge) -> bool:
    """Co-buyers are bound by the outcome, so their buyers and evaluators see the evaluation."""
    return any(
        (m.is_buyer or m.is_evaluator) and org_permissions.can_grant_authority_roles(m.organisation)
        for m in _memberships(user, challenge)
    )


def companies_of(user: Any) -> list[Organisation]:
    """The companies the user belongs to: those they may ask clarifications for."""
    if not org_permissions.is_signed_in(user):
        return []
    return list(
        Organisation.objects.filter(kind=OrganisationKind.COMPANY, memberships__user=user).order_by(
            "name"
        )
    )


def can_ask_for(user: Any, organisation: Organisation) -> bool:
    return organisation.kind == OrganisationKind.COMPANY and org_permissions.is_member(
        user, organisation
    )


def can_create_for(user: Any, authority: Organisation) -> bool:
    return org_permissions.can_publish_for(user, authority)


def authorities_for_buyer(user: Any) -> list[Organisation]:
    """The verified authorities where the user is a buyer: those they may create challenges for."""
    if not org_permissions.is_signed_in(user):
        return []
    return list(
        Organisation.objects.filter(
            kind=OrganisationKind.AUTHORITY,
            status=VerificationStatus.VERIFIED,
            memberships__user=user,
            memberships__is_buyer=True,
        ).order_by("name")
    )


def phase_is_askable(phase: Phase) -> bool:
    """Questions are taken while the phase is open and its deadline has not passed."""
    return (
        phase.status == PhaseStatus.OPEN
        and phase.challenge.status == ChallengeStatus.PUBLISHED
        and (phase.deadline is None or timezone.now() < phase.deadline)
    )
