from __future__ import annotations

import pytest

from govhub.core.audit import audit_verify
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound
from govhub.organisations import permissions, services
from govhub.organisations.models import (
    JoinRequest,
    JoinRequestStatus,
    Membership,
)

from .fixtures import membership
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db


# --- join requests -------------------------------------------------------------------------


def test_join_request_then_approval_gives_the_member_role_only(
    authority, authority_admin, outsider
):
    request = services.join_request_create(
        actor=outsider, organisation=authority, message="I run the city's open-data portal."
    )
    assert request.status == JoinRequestStatus.PENDING
    assert last_event().action == "join_request.create"
    assert last_event().organisation_id == authority.public_id
    assert not permissions.is_member(outsider, authority)

    created = services.join_request_approve(actor=authority_admin, join_request=request)
    assert created.roles == ["member"]
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.APPROVED
    assert request.decided_by == authority_admin
    assert last_event().action == "join_request.approve"
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.join_request_approve(actor=authority_admin, join_request=request)


def test_reject(authority, authority_admin, outsider):
    request = services.join_request_create(actor=outsider, organisation=authority)
    services.join_request_reject(
        actor=authority_admin, join_request=request, reason="Not our staff"
    )
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.REJECTED
    assert request.reason == "Not our staff"
    assert not permissions.is_member(outsider, authority)
    assert last_event().action == "join_request.reject"
    # Once answered, the person may ask again.
    services.join_request_create(actor=outsider, organisation=authority)


def test_one_pending_request_at_a_time_and_not_for_members(authority, outsider, buyer):
    services.join_request_create(actor=outsider, organisation=authority)
    with assert_unchanged(), pytest.raises(Conflict):
        services.join_request_create(actor=outsider, organisation=authority)
    with assert_unchanged(), pytest.raises(Conflict):
        services.join_request_create(actor=buyer, organisation=authority)


@pytest.mark.parametrize("who", ["buyer", "moderator", "supplier"])
def test_only_admins_answer_requests(request, authority, outsider, who):
    join_request = services.join_request_create(actor=outsider, organisation=authority)
    actor = request.getfixturevalue(who)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.join_request_approve(actor=actor, join_request=join_request)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.join_request_reject(actor=actor, join_request=join_request)


def test_an_overlong_message_is_refused(authority, outsider):
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.join_request_create(actor=outsider, organisation=authority, message="x" * 2001)


# --- roles ---------------------------------------------------------------------------------


def _member(org, admin, make_user, email):
    person = make_user(email)
    request = services.join_request_create(actor=person, organisation=org)
    return services.join_request_approve(actor=admin, join_request=request)


def test_admin_gives_roles_in_a_verified_authority(authority, authority_admin, make_user):
    target = _member(authority, authority_admin, make_user, "colleague@example.eu")
    services.membership_set_roles(
        actor=authority_admin, membership=target, is_admin=False, is_buyer=True, is_evaluator=True
    )
    target.refresh_from_db()
    assert target.roles == ["member", "buyer", "evaluator"]
    event = last_event()
    assert event.action == "membership.set_roles"
    assert event.organisation_id == authority.public_id
    assert event.before["roles"] == ["member"]
    assert event.after["roles"] == ["member", "buyer", "evaluator"]
    assert "colleague" not in event.object_label


def test_a_member_cannot_promote_themself(authority, buyer):
    """The issue's test: a buyer asking for the admin role for themself changes nothing."""
    own = membership(buyer, authority)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.membership_set_roles(
            actor=buyer, membership=own, is_admin=True, is_buyer=True, is_evaluator=True
        )
    own.refresh_from_db()
    assert own.roles == ["member", "buyer"]


def test_an_admin_cannot_change_their_own_roles(authority, authority_admin):
    own = membership(authority_admin, authority)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.membership_set_roles(
            actor=authority_admin, membership=own, is_admin=True, is_buyer=True
        )


def test_an_unverified_authority_cannot_get_the_buyer_capabilities(unverified_authority, make_user):
    """The issue's test: neither a role change nor an invitation makes a buyer there."""
    admin = Membership.objects.get(organisation=unverified_authority).user
    target = _member(unverified_authority, admin, make_user, "hopeful@example.eu")
    for roles in ({"is_buyer": True}, {"is_evaluator": True}):
        with assert_unchanged(), pytest.raises(NotAllowed):
            services.membership_set_roles(actor=admin, membership=target, is_admin=False, **roles)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.invitation_create(
            actor=admin, organisation=unverified_authority, email="b@example.eu", is_buyer=True
        )
    target.refresh_from_db()
    assert target.roles == ["member"]
    assert not permissions.can_publish_for(target.user, unverified_authority)


def test_a_suspended_authority_keeps_roles_but_grants_no_new_ones(
    authority, authority_admin, buyer, moderator, make_user
):
    services.organisation_suspend(actor=moderator, organisation=authority, reason="Audit")
    other = _member(authority, authority_admin, make_user, "other@example.eu")
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.membership_set_roles(
            actor=authority_admin, membership=other, is_admin=False, is_buyer=True
        )
    # Keeping the buyer role while adding another is fine; so is taking it away.
    buyer_membership = membership(buyer, authority)
    services.membership_set_roles(
        actor=authority_admin, membership=buyer_membership, is_admin=True, is_buyer=True
    )
    services.membership_set_roles(
        actor=authority_admin, membership=buyer_membership, is_admin=True, is_buyer=False
    )
    buyer_membership.refresh_from_db()
    assert buyer_membership.roles == ["member", "admin"]


def test_buyer_and_evaluator_roles_exist_only_in_authorities(company, supplier, make_user):
    target = _member(company, supplier, make_user, "dev@example.eu")
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.membership_set_roles(
            actor=supplier, membership=target, is_admin=False, is_buyer=True
        )
    services.membership_set_roles(actor=supplier, membership=target, is_admin=True)
    target.refresh_from_db()
    assert target.roles == ["member", "admin"]


@pytest.mark.parametrize("who", ["outsider", "moderator", "supplier"])
def test_only_admins_set_roles(request, authority, buyer, who):
    actor = request.getfixturevalue(who)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.membership_set_roles(
            actor=actor, membership=membership(buyer, authority), is_admin=True
        )


def test_setting_the_same_roles_writes_nothing(authority, authority_admin, buyer):
    with assert_unchanged():
        services.membership_set_roles(
            actor=authority_admin,
            membership=membership(buyer, authority),
            is_admin=False,
            is_buyer=True,
        )


def test_an_admin_demotes_another_admin(authority, authority_admin, buyer):
    target = membership(buyer, authority)
    services.membership_set_roles(
        actor=authority_admin, membership=target, is_admin=True, is_buyer=True
    )
    services.membership_set_roles(
        actor=authority_admin, membership=target, is_admin=False, is_buyer=True
    )
    assert Membership.objects.filter(organisation=authority, is_admin=True).count() == 1


def test_roles_of_a_membership_in_another_organisation_are_not_reachable(
    authority, company, supplier, buyer
):
    # The company's admin gets nowhere with the authority's membership.
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.membership_set_roles(
            actor=supplier, membership=membership(buyer, authority), is_admin=True
        )


# --- remove and leave ----------------------------------------------------------------------


def test_admin_removes_a_member(authority, authority_admin, buyer):
    target = membership(buyer, authority)
    services.membership_remove(actor=authority_admin, membership=target)
    assert not permissions.is_member(buyer, authority)
    event = last_event()
    assert event.action == "membership.remove"
    assert event.object_id == str(target.public_id)
    assert event.organisation_id == authority.public_id
    assert event.before == {"user": str(buyer.public_id), "roles": ["member", "buyer"]}


def test_remove_refusals(authority, authority_admin, buyer, outsider):
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.membership_remove(actor=buyer, membership=membership(authority_admin, authority))
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.membership_remove(actor=outsider, membership=membership(buyer, authority))
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.membership_remove(
            actor=authority_admin, membership=membership(authority_admin, authority)
        )


def test_member_leaves(authority, buyer):
    services.membership_leave(actor=buyer, organisation=authority)
    assert not permissions.is_member(buyer, authority)
    assert last_event().action == "membership.leave"
    assert last_event().organisation_id == authority.public_id


def test_the_last_admin_cannot_leave(authority, authority_admin, buyer):
    with assert_unchanged(), pytest.raises(Conflict):
        services.membership_leave(actor=authority_admin, organisation=authority)
    services.membership_set_roles(
        actor=authority_admin, membership=membership(buyer, authority), is_admin=True, is_buyer=True
    )
    services.membership_leave(actor=authority_admin, organisation=authority)
    assert list(Membership.objects.filter(organisation=authority, is_admin=True)) == [
        membership(buyer, authority)
    ]


def test_a_non_member_cannot_leave(authority, outsider):
    with assert_unchanged(), pytest.raises(NotFound):
        services.membership_leave(actor=outsider, organisation=authority)


def test_the_audit_chain_holds_after_a_whole_story(
    authority, buyer, company, unverified_authority, moderator
):
    services.organisation_suspend(actor=moderator, organisation=company, reason="Spam")
    assert audit_verify().ok
    assert JoinRequest.objects.count() == 0
