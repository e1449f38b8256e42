"""Fixtures for API tests (shared via the root conftest).

- ``make_token(org, actor=admin, scopes=[...])``: a token made through the service; returns
  ``(token, plaintext)``.
- ``company_token``: ``company``'s token (made by ``supplier``, its admin) with every scope.
- ``buyer_token``: ``authority``'s token acting as ``buyer`` (made by ``buyer`` once the
  authority admin has made them an admin too).
- ``bearer(plaintext)``: the headers for Django's test client (``headers=``).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govhub.accounts.models import User
from govhub.api import services
from govhub.api.models import ApiToken, Scope
from govhub.organisations import services as org_services
from govhub.organisations.models import Membership, Organisation

ALL_SCOPES = [Scope.READ, Scope.PROPOSALS_WRITE, Scope.NEEDS_WRITE]


def bearer(plaintext: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {plaintext}"}


@pytest.fixture
def make_token() -> Callable[..., tuple[ApiToken, str]]:
    def make(
        organisation: Organisation,
        *,
        actor: User,
        scopes: list[str] | None = None,
        name: str = "Integration",
        **extra: Any,
    ) -> tuple[ApiToken, str]:
        created = services.api_token_create(
            actor=actor,
            organisation=organisation,
            name=name,
            scopes=scopes if scopes is not None else list(ALL_SCOPES),
            **extra,
        )
        return created.token, created.plaintext

    return make


@pytest.fixture
def company_token(
    make_token: Callable[..., tuple[ApiToken, str]], company: Organisation, supplier: User
) -> tuple[ApiToken, str]:
    return make_token(company, actor=supplier)


@pytest.fixture
def buyer_token(
    make_token: Callable[..., tuple[ApiToken, str]],
    authority: Organisation,
    authority_admin: User,
    buyer: User,
) -> tuple[ApiToken, str]:
    # Tokens are made by admins: the authority's admin makes the buyer an admin too.
    org_services.membership_set_roles(
        actor=authority_admin,
        membership=Membership.objects.get(organisation=authority, user=buyer),
        is_admin=True,
        is_buyer=True,
    )
    return make_token(authority, actor=buyer)
