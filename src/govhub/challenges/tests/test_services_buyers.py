from __future__ import annotations

from decimal import Decimal

import pytest

from govhub.challenges import services
from govhub.challenges.models import ChallengeBuyer
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.organisations import services as org_services
from govhub.organisations.models import OrganisationKind

from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db


def test_add_a_verified_authority_as_cobuyer(buyer, challenge_draft, second_authority):
    row = services.cobuyer_add(
        actor=buyer,
        challenge=challenge_draft,
        authority=second_authority,
        quantity=" 4 car parks ",
        budget_share=Decimal("80000"),
    )
    assert (row.is_lead, row.quantity, row.budget_share) == (False, "4 car parks", Decimal("80000"))
    event = last_event()
    assert event.action == "challenge.cobuyer_add"
    assert event.object_id == str(challenge_draft.public_id)
    assert event.after["authority"] == str(second_authority.public_id)


def test_cobuyer_must_be_a_verified_authority(
    buyer, challenge_draft, unverified_authority, company, make_organisation, moderator
):
    for org in (unverified_authority, company):
        with assert_unchanged(), pytest.raises(InvalidInput) as caught:
            services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=org)
        assert "authority" in caught.value.field_errors
    verified_company = make_organisation(OrganisationKind.COMPANY, verified_by=moderator)
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=verified_company)


def test_suspended_authority_cannot_join(buyer, challenge_draft, second_authority, moderator):
    org_services.organisation_suspend(
        actor=moderator, organisation=second_authority, reason="Checks"
    )
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=second_authority)


def test_no_authority_buys_twice(buyer, authority, challenge_draft, second_authority):
    services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=second_authority)
    for org in (second_authority, authority):
        with assert_unchanged(), pytest.raises(InvalidInput):
            services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=org)


def test_negative_share_refused(buyer, challenge_draft, second_authority):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.cobuyer_add(
            actor=buyer,
            challenge=challenge_draft,
            authority=second_authority,
            budget_share=Decimal("-5"),
        )
    assert "budget_share" in caught.value.field_errors


def test_cobuyers_change_only_while_drafting(buyer, published_challenge, second_authority):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.cobuyer_add(actor=buyer, challenge=published_challenge, authority=second_authority)
    lead = published_challenge.buyers.get(is_lead=True)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.cobuyer_update(actor=buyer, buyer=lead, quantity="2")


@pytest.mark.parametrize("persona", ["cobuyer", "authority_admin", "supplier", "outsider"])
def test_only_lead_buyers_manage_cobuyers(request, persona, challenge_draft, second_authority):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.cobuyer_add(actor=actor, challenge=challenge_draft, authority=second_authority)


def test_update_and_remove_a_cobuyer(buyer, challenge_draft, second_authority, cobuyer):
    row = services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=second_authority)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.cobuyer_remove(actor=cobuyer, buyer=row)
    row = services.cobuyer_update(actor=buyer, buyer=row, quantity="2", budget_share=Decimal(5))
    assert (row.quantity, row.budget_share) == ("2", Decimal("5.00"))
    assert last_event().before["quantity"] == ""
    services.cobuyer_remove(actor=buyer, buyer=row)
    assert not ChallengeBuyer.objects.filter(pk=row.pk).exists()
    assert last_event().action == "challenge.cobuyer_remove"


def test_lead_cannot_be_removed(buyer, challenge_draft):
    lead = challenge_draft.buyers.get(is_lead=True)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.cobuyer_remove(actor=buyer, buyer=lead)
