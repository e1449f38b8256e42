"""Fixtures for accounts tests (shared with other apps via the root conftest).

Buyers, evaluators and moderators must have two-factor authentication, or every page sends
them to set it up. Persona fixtures for those roles call :func:`give_totp` so that tests of
other apps see them as they really are: signed in with an authenticator app.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import (
    TOTP,
    format_hotp_value,
    generate_totp_secret,
    hotp_value,
)
from django.conf import settings

TOTP_PERIOD = 30


def give_totp(user: Any) -> str:
    """Give the user an authenticator app (as allauth stores it); returns the secret."""
    secret = generate_totp_secret()
    TOTP.activate(user, secret)
    return secret


def totp_code(secret: str, *, steps: int = 0) -> str:
    """The code an authenticator app shows now (RFC 6238), or ``steps`` periods later."""
    period = getattr(settings, "MFA_TOTP_PERIOD", TOTP_PERIOD)
    counter = int(time.time()) // period + steps
    return format_hotp_value(hotp_value(secret, counter))


def has_totp(user: Any) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


@pytest.fixture
def with_totp(db: Any) -> Callable[[Any], str]:
    """``secret = with_totp(user)``: the user now has an authenticator app."""
    return give_totp


PASSWORD = "correct horse battery"  # the core `make_user` fixture's password


def confirm_address(user: Any) -> None:
    """Mark the user's address confirmed, as following the emailed link does."""
    EmailAddress.objects.update_or_create(
        user=user, email=user.email, defaults={"verified": True, "primary": True}
    )


@pytest.fixture
def verified_user(make_user: Callable[..., Any]) -> Any:
    """A signed-up person whose email address is confirmed, so they can sign in."""
    user = make_user("vera@example.eu", display_name="Vera Verified")
    confirm_address(user)
    return user


@pytest.fixture
def add_role(db: Any) -> Callable[..., Any]:
    """``add_role(user, is_buyer=True)``: a membership in a public authority, made directly.

    Two-factor tests need only the role flags, not the organisation workflow.
    """
    from govhub.organisations.models import Membership, Organisation, OrganisationKind
    from govhub.reference.models import Country

    def add(user: Any, **roles: bool) -> Any:
        country, _ = Country.objects.get_or_create(
            code="BEL", defaults={"alpha2": "BE", "is_eu": True, "labels": {"en": "Belgium"}}
        )
        organisation = Organisation.objects.create(
            kind=OrganisationKind.AUTHORITY, name="Two-factor Test Authority", country=country
        )
        return Membership.objects.create(organisation=organisation, user=user, **roles)

    return add
