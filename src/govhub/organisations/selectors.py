"""Reads for organisations. Each list selects its related rows up front (no N+1 in templates)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Q, QuerySet
from django.utils import timezone

from .models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organisation,
    VerificationStatus,
)
from .services.invitation import hash_token

PAGE_SIZE = 20

_LIST_RELATED = ("country", "nuts_region", "buyer_legal_type", "main_activity", "size")


def organisations_filtered(
    *,
    kind: str | None = None,
    country: Any = None,
    status: str | None = None,
    query: str | None = None,
) -> QuerySet[Organisation]:
    """Organisations matching the filters; ``country`` is a Country or its alpha-3 code."""
    qs = Organisation.objects.select_related(*_LIST_RELATED).order_by("name", "id")
    if kind:
        qs = qs.filter(kind=kind)
    if country:
        qs = (
            qs.filter(country__code=country)
            if isinstance(country, str)
            else qs.filter(country=country)
        )
    if status:
        qs = qs.filter(status=status)
    text = (query or "").strip()
    if text:
        qs = qs.filter(
            Q(name__icontains=text) | Q(description__icontains=text) | Q(national_id__iexact=text)
        )
    return qs


def paginate(qs: QuerySet[Any], page: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    """One page; a missing, malformed or out-of-range page number gives the nearest page."""
    return Paginator(qs, per_page).get_page(page)


def organisation_list(
    *,
    kind: str | None = None,
    country: Any = None,
    status: str | None = None,
    query: str | None = None,
    page: Any = 1,
    per_page: int = PAGE_SIZE,
) -> Page[Organisation]:
    """One page of the filtered organisations; an out-of-range page gives the last one."""
    qs = organisations_filtered(kind=kind, country=country, status=status, query=query)
    return paginate(qs, page, per_page)


def organisation_detail(*, public_id: UUID | str) -> Organisation | None:
    return (
        Organisation.objects.select_related(*_LIST_RELATED)
        .prefetch_related("cpv_capabilities")
        .filter(public_id=public_id)
        .first()
    )


def members_of(*, organisation: Organisation) -> QuerySet[Membership]:
    return (
        Membership.objects.filter(organisation=organisation)
        .select_related("user")
        .order_by("-is_admin", "user__display_name", "user__email")
    )


def membership_detail(*, organisation: Organisation, public_id: UUID | str) -> Membership | None:
    return (
        Membership.objects.filter(organisation=organisation, public_id=public_id)
        .select_related("user", "organisation")
        .first()
    )


def pending_invitations(*, organisation: Organisation) -> QuerySet[Invitation]:
    """Pending invitations, expired ones included (inviting the address again renews them)."""
    return (
        Invitation.objects.filter(organisation=organisation, status=InvitationStatus.PENDING)
        .select_related("invited_by")
        .order_by("email")
    )


def invitation_detail(*, organisation: Organisation, public_id: UUID | str) -> Invitation | None:
    return (
        Invitation.objects.filter(organisation=organisation, public_id=public_id)
        .select_related("organisation")
        .first()
    )


def invitation_for_token(*, token: str) -> Invitation | None:
    return (
        Invitation.objects.filter(token_hash=hash_token(token or ""))
        .select_related("organisation", "organisation__country", "invited_by")
        .first()
    )


def invitation_is_expired(invitation: Invitation) -> bool:
    return invitation.expires_at <= timezone.now()


def pending_join_requests(*, organisation: Organisation) -> QuerySet[JoinRequest]:
    return (
        JoinRequest.objects.filter(organisation=organisation, status=JoinRequestStatus.PENDING)
        .select_related("user")
        .order_by("created_at")
    )


def join_request_detail(*, organisation: Organisation, public_id: UUID | str) -> JoinRequest | None:
    return (
        JoinRequest.objects.filter(organisation=organisation, public_id=public_id)
        .select_related("user", "organisation")
        .first()
    )


def pending_join_request_for(*, user: Any, organisation: Organisation) -> JoinRequest | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return JoinRequest.objects.filter(
        organisation=organisation, user=user, status=JoinRequestStatus.PENDING
    ).first()


def moderation_queue(*, status: str = VerificationStatus.UNVERIFIED) -> QuerySet[Organisation]:
    """Organisations waiting for a moderator, oldest first (or those in another status).

    Unclaimed records imported from public notices wait for nobody: only an organisation
    someone runs on GovHub asks to be verified.
    """
    return (
        Organisation.objects.filter(status=status, is_claimed=True)
        .select_related(*_LIST_RELATED)
        .order_by("created_at", "id")
    )


def memberships_for_user(*, user: Any) -> QuerySet[Membership]:
    if not getattr(user, "is_authenticated", False):
        return Membership.objects.none()
    return (
        Membership.objects.filter(user=user)
        .select_related("organisation")
        .order_by("organisation__name")
    )


def user_requires_two_factor(*, user: Any) -> bool:
    """Buyers, evaluators and platform moderators must use two-factor authentication."""
    if not getattr(user, "is_authenticated", False):
        return False
    if getattr(user, "is_moderator", False):
        return True
    return (
        Membership.objects.filter(user=user)
        .filter(Q(is_buyer=True) | Q(is_evaluator=True))
        .exists()
    )
