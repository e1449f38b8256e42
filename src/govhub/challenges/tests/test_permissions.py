from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from govhub.challenges import permissions, services
from govhub.challenges.models import Challenge, ChallengeStatus
from govhub.organisations import services as org_services
from govhub.organisations.models import Membership

pytestmark = pytest.mark.django_db


@pytest.fixture
def joint_draft(buyer, challenge_draft, second_authority, cobuyer):
    services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=second_authority)
    return challenge_draft


@pytest.fixture
def cobuying_evaluator(second_authority, make_user):
    user = make_user("evaluator@lisboa.example.eu")
    Membership.objects.create(organisation=second_authority, user=user, is_evaluator=True)
    return user


@pytest.mark.parametrize(
    ("persona", "expected"),
    [
        ("buyer", True),
        ("authority_admin", True),
        ("cobuyer", True),
        ("supplier", False),
        ("outsider", False),
        ("moderator", False),
    ],
)
def test_who_sees_a_draft(request, persona, expected, joint_draft):
    assert permissions.can_view(request.getfixturevalue(persona), joint_draft) is expected


def test_everyone_sees_a_published_challenge(published_challenge, outsider):
    assert permissions.can_view(AnonymousUser(), published_challenge)
    assert permissions.can_view(outsider, published_challenge)


def test_only_lead_buyers_edit_publish_and_cancel(joint_draft, buyer, cobuyer, authority_admin):
    for check in (permissions.can_edit, permissions.can_publish, permissions.can_cancel):
        assert check(buyer, joint_draft)
        assert not check(cobuyer, joint_draft)
        assert not check(authority_admin, joint_draft)
        assert not check(AnonymousUser(), joint_draft)


def test_editing_stops_at_publication_cancelling_at_the_end(buyer, published_challenge):
    assert not permissions.can_edit(buyer, published_challenge)
    assert permissions.can_cancel(buyer, published_challenge)
    Challenge.objects.filter(pk=published_challenge.pk).update(status=ChallengeStatus.CANCELLED)
    published_challenge.refresh_from_db()
    assert not permissions.can_cancel(buyer, published_challenge)


def test_cobuyers_see_the_evaluation(
    joint_draft, buyer, cobuyer, cobuying_evaluator, authority_admin, supplier
):
    assert permissions.can_view_evaluation(buyer, joint_draft)
    assert permissions.can_view_evaluation(cobuyer, joint_draft)
    assert permissions.can_view_evaluation(cobuying_evaluator, joint_draft)
    assert not permissions.can_view_evaluation(authority_admin, joint_draft)
    assert not permissions.can_view_evaluation(supplier, joint_draft)


def test_a_suspended_cobuyer_loses_its_rights(joint_draft, cobuyer, second_authority, moderator):
    org_services.organisation_suspend(
        actor=moderator, organisation=second_authority, reason="Checks"
    )
    assert not permissions.can_view_evaluation(cobuyer, joint_draft)
    assert not permissions.can_answer_clarifications(cobuyer, joint_draft)


def test_answering_is_for_buyers_of_buying_authorities(
    joint_draft, buyer, cobuyer, cobuying_evaluator, authority_admin
):
    assert permissions.can_answer_clarifications(buyer, joint_draft)
    assert permissions.can_answer_clarifications(cobuyer, joint_draft)
    assert not permissions.can_answer_clarifications(cobuying_evaluator, joint_draft)
    assert not permissions.can_answer_clarifications(authority_admin, joint_draft)


def test_companies_ask_for_themselves(supplier, company, authority, buyer, second_supplier):
    assert permissions.companies_of(supplier) == [company]
    assert permissions.can_ask_for(supplier, company)
    assert not permissions.can_ask_for(second_supplier, company)
    assert not permissions.can_ask_for(buyer, authority)
    assert permissions.companies_of(AnonymousUser()) == []


def test_buyers_create_for_their_verified_authorities(buyer, authority, cobuyer, outsider):
    assert permissions.authorities_for_buyer(buyer) == [authority]
    assert permissions.authorities_for_buyer(outsider) == []
    assert not permissions.can_create_for(cobuyer, authority)
