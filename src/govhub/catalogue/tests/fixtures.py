"""Fixtures for catalogue tests (shared with other apps via the root conftest).

- ``solution_facts``: every mandatory fact of an entry (a complete draft), as the services
  take them; tests override what they need.
- ``make_solution(actor=, provider=, publish_by=None, **facts)``: a draft made through the
  services; with ``publish_by`` (a moderator) it is proposed and published.
- ``draft_solution``: a complete draft of ``company`` (by ``supplier``).
- ``published_solution``: a published entry of ``company``, published by ``moderator``.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govhub.accounts.models import User
from govhub.catalogue import services
from govhub.catalogue.models import Solution
from govhub.organisations.models import Organisation
from govhub.organisations.tests.fixtures import OrgReference


def complete_facts(org_reference: OrgReference) -> dict[str, Any]:
    return {
        "name": "Queue Buster",
        "summary": "Appointment booking and queue management for town halls.",
        "description": "Citizens book a slot online and are called by SMS when it is their turn.",
        "categories": ["citizen_services"],
        "cpv_codes": [org_reference.software],
        "licence": "EUPL-1.2",
        "delivery_model": "saas",
        "trl": 8,
        "supported_languages": ["en", "fr", "nl"],
        "supported_countries": [org_reference.belgium, org_reference.france],
        "data_location": "eu",
        "dpa_available": True,
        "accessibility_conformance": "partial",
        "pricing_model": "subscription",
        "contact_email": "sales@civictech.example.eu",
    }


@pytest.fixture
def solution_facts(org_reference: OrgReference) -> dict[str, Any]:
    return complete_facts(org_reference)


@pytest.fixture
def make_solution(org_reference: OrgReference) -> Callable[..., Solution]:
    def make(
        *,
        actor: User,
        provider: Organisation,
        publish_by: User | None = None,
        **facts: Any,
    ) -> Solution:
        values = {**complete_facts(org_reference), **facts}
        solution = services.solution_create(actor=actor, provider=provider, **values)
        if publish_by is not None:
            services.solution_propose(actor=actor, solution=solution)
            services.solution_publish(
                actor=publish_by, solution=solution, reason="All facts checked."
            )
        return solution

    return make


@pytest.fixture
def draft_solution(
    make_solution: Callable[..., Solution], supplier: User, company: Organisation
) -> Solution:
    return make_solution(actor=supplier, provider=company)


@pytest.fixture
def published_solution(
    make_solution: Callable[..., Solution],
    supplier: User,
    company: Organisation,
    moderator: User,
) -> Solution:
    return make_solution(actor=supplier, provider=company, publish_by=moderator)
