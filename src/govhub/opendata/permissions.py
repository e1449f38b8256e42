"""Who may do what with the open data (pure predicates)."""

from __future__ import annotations

from typing import Any

from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation


def can_regenerate(user: Any) -> bool:
    return org_permissions.can_moderate(user)


def can_follow_for(user: Any, organisation: Organisation) -> bool:
    return org_permissions.is_member(user, organisation)


def can_have_calendar(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)
