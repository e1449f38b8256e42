"""The challenge page leads each persona to what it may do next in an open phase."""

from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _page(client, challenge) -> str:
    return client.get(reverse("challenges:detail", args=[challenge.public_id])).content.decode()


def _href(name: str, phase) -> str:
    return f'href="{reverse(name, args=[phase.public_id])}"'


def test_a_company_member_is_offered_to_write_a_proposal(client, supplier, company, open_phase):
    client.force_login(supplier)
    body = _page(client, open_phase.challenge)
    assert _href("proposals:edit", open_phase) in body
    assert _href("proposals:phase", open_phase) not in body


def test_the_lead_buyer_is_offered_the_proposals_received(client, buyer, open_phase):
    client.force_login(buyer)
    body = _page(client, open_phase.challenge)
    assert _href("proposals:phase", open_phase) in body
    assert _href("proposals:edit", open_phase) not in body


@pytest.mark.parametrize("persona", ["outsider", None])
def test_others_are_offered_neither(client, request, open_phase, persona):
    if persona:
        client.force_login(request.getfixturevalue(persona))
    body = _page(client, open_phase.challenge)
    assert _href("proposals:edit", open_phase) not in body
    assert _href("proposals:phase", open_phase) not in body


def test_the_lead_buyer_is_led_to_the_evaluation(client, buyer, open_phase):
    client.force_login(buyer)
    body = _page(client, open_phase.challenge)
    assert (
        f'href="{reverse("evaluation:challenge", args=[open_phase.challenge.public_id])}"' in body
    )


def test_a_company_that_submitted_is_led_to_its_results(client, supplier, company, open_phase):
    from govhub.proposals.models import Proposal

    results = reverse("evaluation:company_results", args=[open_phase.challenge.public_id])
    client.force_login(supplier)
    assert results not in _page(client, open_phase.challenge)
    Proposal.objects.create(
        phase=open_phase, company=company, created_by=supplier, submitted_at=open_phase.opens_at
    )
    assert f'href="{results}"' in _page(client, open_phase.challenge)
    client.logout()
    assert results not in _page(client, open_phase.challenge)
