from __future__ import annotations

from typing import Any

from django.db.models import Q, QuerySet

from .models import Membership


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
