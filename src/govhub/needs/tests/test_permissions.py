from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from govhub.needs import permissions, services
from govhub.organisations import services as org_services

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "outsider",
    "supplier",
    "buyer",
    "colleague_buyer",
    "authority_admin",
    "cobuyer",
    "moderator",
    "unverified_buyer",
]
NEED_BUYERS = {"buyer", "colleague_buyer"}
MEMBERS = {"buyer", "colleague_buyer", "authority_admin"}


@pytest.fixture
def persona(request):
    def get(name: str):
        return AnonymousUser() if name == "anonymous" else request.getfixturevalue(name)

    return get


@pytest.mark.parametrize("name", PERSONAS)
def test_draft_rights(persona, name, draft_need):
    user = persona(name)
    assert permissions.can_view(user, draft_need) is (name in MEMBERS)
    assert permissions.can_edit(user, draft_need) is (name in NEED_BUYERS)
    assert permissions.can_publish(user, draft_need) is (name in NEED_BUYERS)
    assert permissions.can_withdraw(user, draft_need) is (name in NEED_BUYERS)
    assert permissions.sees_similar_needs(user, draft_need) is (name in NEED_BUYERS)


@pytest.mark.parametrize("name", PERSONAS)
def test_published_need_rights(persona, name, published_need, second_authority):
    user = persona(name)
    assert permissions.can_view(user, published_need) is True
    assert permissions.can_edit(user, published_need) is (name in NEED_BUYERS)
    assert permissions.can_publish(user, published_need) is False
    assert permissions.can_withdraw(user, published_need) is (name in NEED_BUYERS)
    assert permissions.can_express_interest_for(user, published_need, second_authority) is (
        name == "cobuyer"
    )
    assert (
        permissions.can_express_interest_for(user, published_need, published_need.authority)
        is False
    )


@pytest.mark.parametrize("name", PERSONAS)
def test_withdrawn_and_converted_needs_are_read_only(persona, name, make_need, buyer):
    withdrawn = make_need(title="Withdrawn", publish=True)
    services.need_withdraw(actor=buyer, need=withdrawn, reason="Cut")
    converted = make_need(title="Converted", publish=True)
    with transaction.atomic():
        services.mark_converted(converted)
    user = persona(name)
    for need in (withdrawn, converted):
        assert permissions.can_view(user, need) is True  # it was published: it stays public
        assert permissions.can_edit(user, need) is False
        assert permissions.can_publish(user, need) is False
        assert permissions.can_withdraw(user, need) is False
        assert permissions.accepts_interest(need) is False


def test_a_withdrawn_draft_stays_private(buyer, outsider, draft_need):
    services.need_withdraw(actor=buyer, need=draft_need)
    assert permissions.can_view(outsider, draft_need) is False
    assert permissions.can_view(buyer, draft_need) is True


def test_unverified_authority_cannot_join(unverified_buyer, unverified_authority, published_need):
    assert not permissions.can_express_interest_for(
        unverified_buyer, published_need, unverified_authority
    )


def test_no_interest_in_a_need_closed_to_pooling(cobuyer, second_authority, make_need):
    need = make_need(title="Alone", open_to_pooling=False, publish=True)
    assert not permissions.accepts_interest(need)
    assert not permissions.can_express_interest_for(cobuyer, need, second_authority)


def test_suspension_takes_the_buyers_rights(buyer, moderator, authority, draft_need):
    org_services.organisation_suspend(actor=moderator, organisation=authority, reason="Audit")
    draft_need.authority.refresh_from_db()
    assert permissions.can_view(buyer, draft_need)  # still a member
    assert not permissions.can_edit(buyer, draft_need)
    assert not permissions.can_publish(buyer, draft_need)


@pytest.mark.parametrize("name", PERSONAS)
def test_only_the_interested_authoritys_buyers_withdraw_its_interest(
    persona, name, cobuyer, second_authority, published_need
):
    interest = services.need_express_interest(
        actor=cobuyer, need=published_need, authority=second_authority, quantity="10"
    )
    assert permissions.can_withdraw_interest(persona(name), interest) is (name == "cobuyer")
