"""Fixtures for needs tests (shared with other apps via the root conftest).

Personas and needs, made through the services as real users would:

- ``second_authority``: a verified public authority in Portugal (Lisbon, NUTS PT1A0),
  created by ``second_authority_admin``.
- ``cobuyer``: a buyer of ``second_authority`` with an authenticator app.
- ``published_need``: a need of ``authority`` published by ``buyer``, open to pooling
  (CPV 72212000-4 and 34970000-7, Brussels, 100 000–250 000 EUR).
- ``draft_need``: a draft of ``authority`` by ``buyer``.
- ``make_need(actor, authority, publish=False, **fields)``: any other need.
- ``unverified_buyer``: a buyer of ``unverified_authority`` (membership written directly).
- ``colleague_buyer``: a second buyer of ``authority``.
"""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest

from govhub.accounts.models import User
from govhub.needs import services
from govhub.needs.models import InnovationNeed
from govhub.organisations import services as org_services
from govhub.organisations.models import Membership, Organisation, OrganisationKind
from govhub.organisations.tests.fixtures import OrgReference, confirm_email
from govhub.reference.models import Country, CpvCode, NutsRegion

PARKING_TITLE = "Real-time occupancy of public car parks"
PARKING_PROBLEM = (
    "Drivers circle the city centre looking for a free parking space, adding traffic and "
    "pollution. We do not know in real time how full our public car parks are."
)


def cpv(code: str) -> CpvCode:
    """A CPV code by its digits, with or without the check digit: ``cpv("72212000")``."""
    return CpvCode.objects.get(digits=code.split("-")[0])


@pytest.fixture
def make_need(buyer: User, authority: Organisation) -> Callable[..., InnovationNeed]:
    """``make_need(title=..., cpv_codes=["72212000"], publish=True)``: a need made through
    the services, by ``buyer`` for ``authority`` unless told otherwise."""
    default_authority = authority

    def make(
        *,
        actor: User | None = None,
        authority: Organisation | None = None,
        title: str = "An innovation need",
        problem: str = "Something the authority cannot solve with what the market sells.",
        cpv_codes: list[str] | tuple[str, ...] = ("72212000",),
        publish: bool = False,
        **fields: Any,
    ) -> InnovationNeed:
        actor = actor or buyer
        need = services.need_create(
            actor=actor,
            authority=authority or default_authority,
            title=title,
            problem=problem,
            cpv_codes=[cpv(code) for code in cpv_codes],
            **fields,
        )
        if publish:
            services.need_publish(actor=actor, need=need)
        return need

    return make


@pytest.fixture
def second_authority_admin(make_user: Callable[..., User]) -> User:
    user = make_user("admin@lisboa.example.eu", display_name="Inês Admin")
    confirm_email(user)
    return user


@pytest.fixture
def second_authority(
    org_reference: OrgReference, second_authority_admin: User, moderator: User
) -> Organisation:
    org = org_services.organisation_create(
        actor=second_authority_admin,
        kind=OrganisationKind.AUTHORITY,
        name="Lisbon City Council",
        description="The municipality of Lisbon.",
        country=Country.objects.get(code="PRT"),
        nuts_region=NutsRegion.objects.get(code="PT1A0"),
        buyer_legal_type=org_reference.local_authority,
        main_activity=org_reference.general_public_services,
    )
    return org_services.organisation_verify(actor=moderator, organisation=org)


@pytest.fixture
def cobuyer(
    second_authority: Organisation,
    second_authority_admin: User,
    make_user: Callable[..., User],
    with_totp: Callable[[User], str],
) -> User:
    user = make_user("buyer@lisboa.example.eu", display_name="Carla Cobuyer")
    confirm_email(user)
    with_totp(user)  # buyers must use two-factor authentication
    _, token = org_services.invitation_create(
        actor=second_authority_admin,
        organisation=second_authority,
        email=user.email,
        is_buyer=True,
    )
    org_services.invitation_accept(actor=user, token=token)
    return user


@pytest.fixture
def draft_need(make_need: Callable[..., InnovationNeed]) -> InnovationNeed:
    return make_need(
        title="Fewer missed waste collections",
        problem="Residents report bins that were not emptied; we find out days later.",
        cpv_codes=["90511000"],
    )


@pytest.fixture
def published_need(
    make_need: Callable[..., InnovationNeed], org_reference: OrgReference
) -> InnovationNeed:
    return make_need(
        title=PARKING_TITLE,
        problem=PARKING_PROBLEM,
        affected="Residents, visitors and delivery drivers in the city centre.",
        expected_outcomes="Drivers find a free space straight away.",
        outcome_measures="Time spent searching for parking, measured before and after.",
        cpv_codes=["72212000", "34970000"],
        nuts_region=org_reference.brussels,
        currency="EUR",
        budget_min=Decimal("100000"),
        budget_max=Decimal("250000"),
        timeline="Pilot in 2026, city-wide in 2027.",
        constraints_accessibility="EN 301 549 for every public screen and app.",
        open_to_pooling=True,
        publish=True,
    )


@pytest.fixture
def unverified_buyer(
    unverified_authority: Organisation,
    make_user: Callable[..., User],
    with_totp: Callable[[User], str],
) -> User:
    """A buyer of an authority no moderator has verified. The services never grant the role
    there, so the membership is written directly: the state a later suspension also gives."""
    user = make_user("buyer@liege.example.eu", display_name="Ursula Unverified")
    confirm_email(user)
    with_totp(user)
    Membership.objects.create(organisation=unverified_authority, user=user, is_buyer=True)
    return user


@pytest.fixture
def colleague_buyer(
    authority: Organisation,
    authority_admin: User,
    make_user: Callable[..., User],
    with_totp: Callable[[User], str],
) -> User:
    """A second buyer of ``authority``: needs belong to the authority, not to one buyer."""
    user = make_user("colleague@brussels.example.eu", display_name="Claude Colleague")
    confirm_email(user)
    with_totp(user)
    _, token = org_services.invitation_create(
        actor=authority_admin, organisation=authority, email=user.email, is_buyer=True
    )
    org_services.invitation_accept(actor=user, token=token)
    return user
