"""Who may do what in an evaluation. Pure predicates: services and views both ask them.

The lead authority's buyers run the evaluation. Co-buying authorities' buyers see it
read-only, because the outcome binds them too. Evaluators see only their own assignment:
the proposals (once they have declared no conflict of interest) and their own scores, never
their colleagues' scores, so that nobody anchors on someone else's judgement. Companies see
their own results only. Moderators have no special access: evaluation is the buyers' job.
"""

from __future__ import annotations

from typing import Any

from govhub.challenges.models import Challenge, PhaseKind
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Membership, Organisation, OrganisationKind

from .models import AssignmentStatus, EvaluatorAssignment

# Companies send proposals to calls and shortlists; pilots and awards build on those.
SCORED_PHASE_KINDS = frozenset({PhaseKind.OPEN_CALL, PhaseKind.SHORTLIST})


def buyer_authority_ids(challenge: Challenge) -> set[int]:
    """The lead authority and every co-buying authority."""
    ids = set(challenge.buyers.values_list("authority_id", flat=True))
    ids.add(challenge.lead_authority_id)
    return ids


def is_lead_buyer(user: Any, challenge: Challenge) -> bool:
    return org_permissions.can_publish_for(user, challenge.lead_authority)


def is_co_buyer(user: Any, challenge: Challenge) -> bool:
    """A buyer of a co-buying authority (verified), not of the lead."""
    if not org_permissions.is_signed_in(user):
        return False
    memberships = Membership.objects.filter(
        user=user,
        is_buyer=True,
        organisation__challenge_buyers__challenge=challenge,
        organisation__challenge_buyers__is_lead=False,
    ).select_related("organisation")
    return any(
        m.organisation_id != challenge.lead_authority_id
        and org_permissions.can_grant_authority_roles(m.organisation)
        for m in memberships
    )


def can_manage_evaluation(user: Any, challenge: Challenge) -> bool:
    return is_lead_buyer(user, challenge)


def can_view_evaluation(user: Any, challenge: Challenge) -> bool:
    """Weighted totals, divergence and every evaluator's scores: the buyers bound by it."""
    return is_lead_buyer(user, challenge) or is_co_buyer(user, challenge)


def is_company_member(user: Any, company: Organisation) -> bool:
    return company.kind == OrganisationKind.COMPANY and org_permissions.is_member(user, company)


def is_active_evaluator(user: Any, assignment: EvaluatorAssignment) -> bool:
    """The assigned person, still an evaluator of their (still verified) authority."""
    return (
        org_permissions.is_signed_in(user)
        and assignment.user_id == user.pk
        and org_permissions.can_evaluate_for(user, assignment.authority)
    )


def can_declare(user: Any, assignment: EvaluatorAssignment) -> bool:
    return is_active_evaluator(user, assignment) and assignment.status == AssignmentStatus.ASSIGNED


def can_read_proposals(user: Any, assignment: EvaluatorAssignment) -> bool:
    """Signed the declaration with no conflict, and not excluded."""
    return is_active_evaluator(user, assignment) and assignment.status == AssignmentStatus.DECLARED
