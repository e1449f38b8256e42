"""Fixtures for challenges tests (shared with other apps via the root conftest).

Challenges made through the services, as the ``buyer`` of ``authority`` would:

- ``challenge_draft``: a draft ready to publish: phase 1 "open_call" with three criteria
  totalling 100 (quality 50, impact and sustainability 30 with EU GPP criteria, cost 20),
  deadline 7 days ahead; phase 2 "pilot", planned, without a deadline.
- ``published_challenge``: the same, published, with phase 1 open (a separate challenge
  from ``challenge_draft``).
- ``open_phase``: phase 1 of ``published_challenge``.
- ``second_company``: a small company in France; ``second_supplier`` created it (its admin).
- ``make_challenge(publish=False, open_first=False, deadline=..., ...)``: any other one.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from govhub.accounts.models import User
from govhub.challenges import services
from govhub.challenges.models import Challenge, Phase, PhaseKind
from govhub.organisations import services as org_services
from govhub.organisations.models import Organisation, OrganisationKind
from govhub.organisations.tests.fixtures import OrgReference, confirm_email

DEFAULT_CRITERIA: list[dict[str, Any]] = [
    {
        "name": "Quality of the solution",
        "weight": 50,
        "criterion_type": "quality",
        "description": "How well the solution solves the problem for residents.",
    },
    {
        "name": "Impact and sustainability",
        "weight": 30,
        "criterion_type": "quality",
        "description": "Expected impact, energy use and end-of-life of the equipment.",
        "gpp_criteria": ["eu"],
    },
    {
        "name": "Cost",
        "weight": 20,
        "criterion_type": "cost",
        "description": "Total cost of ownership over four years.",
    },
]


def _whole_seconds(value: dt.datetime) -> dt.datetime:
    return value.replace(microsecond=0)


@pytest.fixture
def make_challenge(
    buyer: User, authority: Organisation, org_reference: OrgReference
) -> Callable[..., Challenge]:
    """A challenge led by ``authority``, made by ``buyer`` through the services."""

    def make(
        *,
        actor: User | None = None,
        lead_authority: Organisation | None = None,
        title: str = "Smart parking sensors for the city centre",
        deadline: dt.datetime | None = None,
        criteria: list[dict[str, Any]] | None = None,
        with_pilot: bool = True,
        publish: bool = False,
        open_first: bool = False,
        **fields: Any,
    ) -> Challenge:
        actor = actor or buyer
        now = _whole_seconds(timezone.now())
        deadline = deadline or now + dt.timedelta(days=7)
        values: dict[str, Any] = {
            "summary": "Sensors and open data showing free parking spaces in real time.",
            "description": (
                "Drivers circle the centre looking for a space. We want to know, and to "
                "publish as open data, how full each public car park is."
            ),
            "cpv_codes": [org_reference.it_services],
            "nuts_region": org_reference.brussels,
            "currency": "EUR",
            "total_budget": Decimal("250000.00"),
            **fields,
        }
        challenge = services.challenge_create(
            actor=actor, lead_authority=lead_authority or authority, title=title, **values
        )
        first = services.phase_add(
            actor=actor,
            challenge=challenge,
            kind=PhaseKind.OPEN_CALL,
            title="Open call for solutions",
            description="Tell us how you would solve the problem.",
            opens_at=min(now, deadline - dt.timedelta(hours=1)),
            deadline=deadline,
            ends_at=deadline + dt.timedelta(days=21),
            sme_only=True,
            eu_eea_only=True,
            budget=Decimal("10000.00"),
            max_selected=3,
        )
        services.criteria_set(
            actor=actor,
            phase=first,
            criteria=criteria if criteria is not None else DEFAULT_CRITERIA,
        )
        if with_pilot:
            services.phase_add(
                actor=actor,
                challenge=challenge,
                kind=PhaseKind.PILOT,
                title="Pilot in three car parks",
                description="Selected companies run a three-month pilot.",
                opens_at=deadline + dt.timedelta(days=30),
                ends_at=deadline + dt.timedelta(days=120),
                budget=Decimal("60000.00"),
            )
        if publish or open_first:
            challenge = services.challenge_publish(actor=actor, challenge=challenge)
        if open_first:
            services.phase_open(actor=actor, phase=first_phase(challenge))
        challenge.refresh_from_db()
        return challenge

    return make


def first_phase(challenge: Challenge) -> Phase:
    return challenge.phases.order_by("order").first()  # type: ignore[return-value]


def deadline_of(phase: Phase) -> dt.datetime:
    assert phase.deadline is not None
    return phase.deadline


@pytest.fixture
def challenge_draft(make_challenge: Callable[..., Challenge]) -> Challenge:
    return make_challenge()


@pytest.fixture
def published_challenge(make_challenge: Callable[..., Challenge]) -> Challenge:
    return make_challenge(open_first=True)


@pytest.fixture
def open_phase(published_challenge: Challenge) -> Phase:
    return first_phase(published_challenge)


@pytest.fixture
def second_supplier(make_user: Callable[..., User]) -> User:
    user = make_user("founder@parkwise.example.eu", display_name="Paul Second")
    confirm_email(user)
    return user


@pytest.fixture
def second_company(org_reference: OrgReference, second_supplier: User) -> Organisation:
    return org_services.organisation_create(
        actor=second_supplier,
        kind=OrganisationKind.COMPANY,
        name="ParkWise SAS",
        description="Sensors and software for parking operators.",
        country=org_reference.france,
        nuts_region=org_reference.paris,
        national_id="FR12345678901",
        size=org_reference.small,
        cpv_capabilities=[org_reference.it_services],
        website="https://parkwise.example.eu",
    )
