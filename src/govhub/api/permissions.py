"""Who may manage an organisation's API tokens."""

from __future__ import annotations

from typing import Any

from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation


def can_manage_tokens(user: Any, org: Organisation) -> bool:
    return org_permissions.is_admin(user, org)
