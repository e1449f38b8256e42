"""Who may do what with innovation needs. Pure predicates: services and views both ask them.

Needs belong to their authority, not to the buyer who typed them: any buyer of a verified
authority may draft, edit, publish and withdraw its needs. A need that was never published
is the authority's private working copy; once published it stays public (withdrawn and
converted needs too: transparency before procurement).
"""

from __future__ import annotations

from typing import Any

from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation

from .models import InnovationNeed, NeedInterest, NeedStatus


def can_manage_needs_for(user: Any, authority: Organisation) -> bool:
    """Create, edit, publish and withdraw the authority's needs."""
    return org_permissions.can_publish_for(user, authority)


def can_manage(user: Any, need: InnovationNeed) -> bool:
    return can_manage_needs_for(user, need.authority)


def is_public(need: InnovationNeed) -> bool:
    return need.published_at is not None


def can_view(user: Any, need: InnovationNeed) -> bool:
    return is_public(need) or org_permissions.is_member(user, need.authority)


def can_edit(user: Any, need: InnovationNeed) -> bool:
    return need.status in (NeedStatus.DRAFT, NeedStatus.PUBLISHED) and can_manage(user, need)


def can_publish(user: Any, need: InnovationNeed) -> bool:
    return need.status == NeedStatus.DRAFT and can_manage(user, need)


def can_withdraw(user: Any, need: InnovationNeed) -> bool:
    return need.status in (NeedStatus.DRAFT, NeedStatus.PUBLISHED) and can_manage(user, need)


def accepts_interest(need: InnovationNeed) -> bool:
    return need.status == NeedStatus.PUBLISHED and need.open_to_pooling


def can_express_interest_for(user: Any, need: InnovationNeed, authority: Organisation) -> bool:
    """A buyer of another verified authority may join a published need open to pooling."""
    return (
        accepts_interest(need)
        and authority.pk != need.authority_id
        and org_permissions.can_publish_for(user, authority)
    )


def can_withdraw_interest(user: Any, interest: NeedInterest) -> bool:
    return org_permissions.can_publish_for(user, interest.authority)


def sees_similar_needs(user: Any, need: InnovationNeed) -> bool:
    """Pooling suggestions are for the need's own buyers (they decide whether to join up)."""
    return can_manage(user, need)
