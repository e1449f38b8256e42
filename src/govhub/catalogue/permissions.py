"""Who may do what in the catalogue. Pure predicates: services and views both ask them.

An entry belongs to its provider organisation (a public authority publishing its in-house or
open-source software, a company, or an intermediary): any member may draft, edit, propose and
archive it while the organisation is not suspended. Moderators publish, send back and archive
with a reason. Only members with the buyer or admin role of a verified authority record
adoptions; only the adopting authority's members review.
"""

from __future__ import annotations

from typing import Any

from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation, OrganisationKind, VerificationStatus

from .models import Adoption, Review, Solution, SolutionStatus

PROVIDER_KINDS = (
    OrganisationKind.AUTHORITY,
    OrganisationKind.COMPANY,
    OrganisationKind.INTERMEDIARY,
)
EDITABLE = (SolutionStatus.DRAFT, SolutionStatus.NEEDS_UPDATE, SolutionStatus.PUBLISHED)


def can_provide(org: Organisation) -> bool:
    return org.kind in PROVIDER_KINDS and org.status != VerificationStatus.SUSPENDED


def can_manage_for(user: Any, org: Organisation) -> bool:
    return can_provide(org) and org_permissions.is_member(user, org)


def can_manage(user: Any, solution: Solution) -> bool:
    return can_manage_for(user, solution.provider)


def can_moderate(user: Any) -> bool:
    return org_permissions.can_moderate(user)


def is_public(solution: Solution) -> bool:
    return solution.status == SolutionStatus.PUBLISHED


def can_view(user: Any, solution: Solution) -> bool:
    return (
        is_public(solution)
        or can_moderate(user)
        or org_permissions.is_member(user, solution.provider)
    )


def can_edit(user: Any, solution: Solution) -> bool:
    return solution.status in EDITABLE and can_manage(user, solution)


def can_propose(user: Any, solution: Solution) -> bool:
    return solution.status in (
        SolutionStatus.DRAFT,
        SolutionStatus.NEEDS_UPDATE,
    ) and can_manage(user, solution)


def can_withdraw_proposal(user: Any, solution: Solution) -> bool:
    return solution.status == SolutionStatus.PROPOSED and can_manage(user, solution)


def can_archive(user: Any, solution: Solution) -> bool:
    return solution.status in (
        SolutionStatus.DRAFT,
        SolutionStatus.PUBLISHED,
        SolutionStatus.NEEDS_UPDATE,
    ) and (can_manage(user, solution) or can_moderate(user))


def can_reopen(user: Any, solution: Solution) -> bool:
    """An archived entry goes back to draft (its provider or a moderator)."""
    return solution.status == SolutionStatus.ARCHIVED and (
        can_manage(user, solution) or can_moderate(user)
    )


def can_publish(user: Any, solution: Solution) -> bool:
    return solution.status == SolutionStatus.PROPOSED and can_moderate(user)


def can_request_update(user: Any, solution: Solution) -> bool:
    return solution.status in (
        SolutionStatus.PROPOSED,
        SolutionStatus.PUBLISHED,
    ) and can_moderate(user)


def can_adopt_for(user: Any, authority: Organisation) -> bool:
    """Buyers and administrators of a verified public authority record its adoptions."""
    if not (authority.is_authority and authority.status == VerificationStatus.VERIFIED):
        return False
    membership = org_permissions.membership_of(user, authority)
    return membership is not None and (membership.is_buyer or membership.is_admin)


def can_manage_adoption(user: Any, adoption: Adoption) -> bool:
    return can_adopt_for(user, adoption.authority)


def can_review(user: Any, adoption: Adoption) -> bool:
    """Members of the adopting authority (not suspended) review what they run."""
    authority = adoption.authority
    return authority.status != VerificationStatus.SUSPENDED and org_permissions.is_member(
        user, authority
    )


def can_edit_review(user: Any, review: Review) -> bool:
    return can_review(user, review.adoption)
