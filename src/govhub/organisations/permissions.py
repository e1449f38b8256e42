"""Who may do what to an organisation. Pure predicates: services and views both ask them.

A suspended organisation keeps its members' roles (so reinstating restores them) but has no
capabilities while suspended: its buyers cannot publish and its evaluators cannot evaluate.
"""

from __future__ import annotations

from typing import Any

from .models import Membership, Organisation, VerificationStatus


def is_signed_in(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False)) and bool(
        getattr(user, "is_active", False)
    )


def membership_of(user: Any, org: Organisation) -> Membership | None:
    if not is_signed_in(user) or org.pk is None:
        return None
    return Membership.objects.filter(organisation=org, user=user).first()


def is_member(user: Any, org: Organisation) -> bool:
    return membership_of(user, org) is not None


def is_admin(user: Any, org: Organisation) -> bool:
    membership = membership_of(user, org)
    return membership is not None and membership.is_admin


def can_moderate(user: Any) -> bool:
    return is_signed_in(user) and bool(getattr(user, "is_moderator", False))


def can_create_organisation(user: Any) -> bool:
    return is_signed_in(user)


def can_edit(user: Any, org: Organisation) -> bool:
    return is_admin(user, org)


def can_manage_members(user: Any, org: Organisation) -> bool:
    return is_admin(user, org)


def can_view_audit_for(user: Any, org: Organisation) -> bool:
    """Admins read their organisation's events; moderators read everyone's."""
    return can_moderate(user) or is_admin(user, org)


def can_request_to_join(user: Any, org: Organisation) -> bool:
    return is_signed_in(user) and not is_member(user, org)


def can_grant_authority_roles(org: Organisation) -> bool:
    """Buyer and evaluator roles exist only in authorities, and are granted only once verified."""
    return org.is_authority and org.status == VerificationStatus.VERIFIED


def can_publish_for(user: Any, org: Organisation) -> bool:
    """A buyer of a verified authority may publish its needs and challenges."""
    if not can_grant_authority_roles(org):
        return False
    membership = membership_of(user, org)
    return membership is not None and membership.is_buyer


def can_evaluate_for(user: Any, org: Organisation) -> bool:
    if not can_grant_authority_roles(org):
        return False
    membership = membership_of(user, org)
    return membership is not None and membership.is_evaluator
