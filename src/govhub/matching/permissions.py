"""Who may see recommendations. Pure predicates: the pages' tags, the views and the API ask them.

Recommendations are for the owning team only: what a need could reuse or pool with, who could
answer a challenge, and above all what a company could win say much about plans that are not
public. Through the API a request acts as its token's creator *within the token's
organisation*: ``acting_for`` names that organisation, and the rights must come from it (a
buyer of two authorities does not see one's recommendations with the other's token).
"""

from __future__ import annotations

from typing import Any

from govhub.challenges.models import Challenge, ChallengeStatus
from govhub.needs import permissions as need_permissions
from govhub.needs.models import InnovationNeed, NeedStatus
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    VerificationStatus,
)


def may_see_need_recommendations(
    user: Any, need: InnovationNeed, *, acting_for: Organisation | None = None
) -> bool:
    """The need's own buyers, as for the pooling suggestions: they decide what to reuse."""
    if acting_for is not None and acting_for.pk != need.authority_id:
        return False
    return need.status in (NeedStatus.DRAFT, NeedStatus.PUBLISHED) and bool(
        need_permissions.sees_similar_needs(user, need)
    )


def may_see_challenge_recommendations(
    user: Any, challenge: Challenge, *, acting_for: Organisation | None = None
) -> bool:
    """Buyers of the lead or of a co-buying authority, while the challenge is being run."""
    if challenge.status not in (ChallengeStatus.DRAFT, ChallengeStatus.PUBLISHED):
        return False
    if not org_permissions.is_signed_in(user):
        return False
    memberships = Membership.objects.filter(
        user=user,
        is_buyer=True,
        organisation__kind=OrganisationKind.AUTHORITY,
        organisation__status=VerificationStatus.VERIFIED,
        organisation__challenge_buyers__challenge=challenge,
    )
    if acting_for is not None:
        memberships = memberships.filter(organisation=acting_for)
    return memberships.exists()


def may_see_company_recommendations(
    user: Any, organisation: Organisation, *, acting_for: Organisation | None = None
) -> bool:
    """A company's members only: what it could win says much about its plans."""
    if acting_for is not None and acting_for.pk != organisation.pk:
        return False
    return organisation.kind == OrganisationKind.COMPANY and org_permissions.is_member(
        user, organisation
    )
