"""Reads about accounts: two-factor state."""

from __future__ import annotations

from typing import Any

from allauth.mfa.models import Authenticator
from django.conf import settings

from govhub.organisations.selectors import user_requires_two_factor


def user_has_totp(*, user: Any) -> bool:
    """Whether the user has an authenticator app (TOTP) set up."""
    if not getattr(user, "is_authenticated", False):
        return False
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def two_factor_waived(*, user: Any) -> bool:
    """Demo accounts skip two-factor set-up, only while the installation runs as a demo."""
    return bool(getattr(user, "is_demo_account", False) and settings.GOVHUB_DEMO_MODE)


def two_factor_missing(user: Any) -> bool:
    """True when the user's roles require two-factor authentication and they have none yet.

    At most two small indexed queries: the role check (none for moderators, whose flag is on
    the user) and, only for those who need it, the authenticator check.
    """
    if not getattr(user, "is_authenticated", False) or two_factor_waived(user=user):
        return False
    if not user_requires_two_factor(user=user):
        return False
    return not user_has_totp(user=user)
