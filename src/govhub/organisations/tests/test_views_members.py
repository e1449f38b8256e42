from __future__ import annotations

import uuid

import pytest
from django.core import mail
from django.urls import reverse

from govhub.organisations import permissions, services
from govhub.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    Membership,
)

from .fixtures import confirm_email, membership
from .helpers import assert_unchanged, url, with_two_factor

pytestmark = pytest.mark.django_db


# --- members -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("supplier", 403),
        ("buyer", 403),
        ("moderator", 403),
        ("authority_admin", 200),
    ],
)
def test_members_page_access(as_persona, authority, buyer, persona, status):
    response = as_persona(persona).get(url("members", authority.public_id))
    assert response.status_code == status
    if status == 200:
        content = response.content.decode()
        assert "buyer@brussels.example.eu" in content
        assert 'value="buyer"' in content  # the authority's invite form offers the buyer role


def test_members_page_of_a_company_offers_no_buyer_role(as_persona, company):
    content = as_persona("supplier").get(url("members", company.public_id)).content.decode()
    assert 'value="admin"' in content
    assert 'value="buyer"' not in content


def test_members_page_query_count_is_bounded(
    as_persona, authority, buyer, authority_admin, make_user, django_assert_max_num_queries
):
    client = as_persona("authority_admin")
    for n in range(5):
        person = make_user(f"m{n}@example.eu")
        request = services.join_request_create(actor=person, organisation=authority)
        services.join_request_approve(actor=authority_admin, join_request=request)
        services.invitation_create(
            actor=authority_admin, organisation=authority, email=f"i{n}@example.eu"
        )
        services.join_request_create(actor=make_user(), organisation=authority)
    with django_assert_max_num_queries(16):
        assert client.get(url("members", authority.public_id)).status_code == 200


def test_invite_from_the_members_page(as_persona, authority, django_capture_on_commit_callbacks):
    client = as_persona("authority_admin")
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            url("members", authority.public_id),
            {"email": "new.buyer@example.eu", "roles": ["buyer"]},
        )
    assert response.status_code == 302
    invitation = Invitation.objects.get(email="new.buyer@example.eu")
    assert invitation.is_buyer
    assert len(mail.outbox) == 1
    assert "http://testserver/organisations/invitations/" in mail.outbox[0].body


def test_a_refused_invitation_keeps_the_form(as_persona, unverified_authority):
    admin = Membership.objects.get(organisation=unverified_authority).user
    client = as_persona("outsider")
    client.force_login(admin)
    with assert_unchanged():
        response = client.post(
            url("members", unverified_authority.public_id),
            {"email": "early.buyer@example.eu", "roles": ["buyer"]},
        )
    assert response.status_code == 200
    content = response.content.decode()
    assert "verified the authority" in content
    assert 'value="early.buyer@example.eu"' in content
    assert 'value="buyer" checked' in content


def test_invite_by_a_member_is_forbidden(as_persona, authority):
    client = as_persona("buyer")
    with assert_unchanged():
        response = client.post(url("members", authority.public_id), {"email": "friend@example.eu"})
    assert response.status_code == 403


def test_admin_changes_roles(as_persona, authority, buyer):
    client = as_persona("authority_admin")
    target = membership(buyer, authority)
    page = client.get(url("member", authority.public_id, target.public_id))
    assert page.status_code == 200
    assert 'value="buyer" checked' in page.content.decode()
    response = client.post(
        url("member", authority.public_id, target.public_id), {"roles": ["buyer", "evaluator"]}
    )
    assert response.status_code == 302
    target.refresh_from_db()
    assert target.roles == ["member", "buyer", "evaluator"]


def test_admin_cannot_change_own_roles_in_the_page(as_persona, authority, authority_admin):
    client = as_persona("authority_admin")
    own = membership(authority_admin, authority)
    with assert_unchanged():
        response = client.post(
            url("member", authority.public_id, own.public_id), {"roles": ["admin", "buyer"]}
        )
    assert response.status_code == 200
    assert "You cannot change your own roles" in response.content.decode()


def test_a_member_cannot_reach_the_roles_page(as_persona, authority, buyer):
    own = membership(buyer, authority)
    client = as_persona("buyer")
    with assert_unchanged():
        response = client.post(
            url("member", authority.public_id, own.public_id), {"roles": ["admin"]}
        )
    assert response.status_code == 403


def test_membership_of_another_organisation_is_404(as_persona, authority, company, supplier):
    other = membership(supplier, company)
    client = as_persona("authority_admin")
    assert client.get(url("member", authority.public_id, other.public_id)).status_code == 404
    assert client.get(url("member", authority.public_id, uuid.uuid4())).status_code == 404


def test_admin_removes_a_member(as_persona, authority, buyer):
    client = as_persona("authority_admin")
    target = membership(buyer, authority)
    assert (
        client.get(url("member_remove", authority.public_id, target.public_id)).status_code == 200
    )
    response = client.post(url("member_remove", authority.public_id, target.public_id))
    assert response.status_code == 302
    assert not permissions.is_member(buyer, authority)


def test_admin_revokes_an_invitation(as_persona, authority, authority_admin):
    invitation, _ = services.invitation_create(
        actor=authority_admin, organisation=authority, email="x@example.eu"
    )
    client = as_persona("authority_admin")
    response = client.post(url("invitation_revoke", authority.public_id, invitation.public_id))
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert (
        client.get(url("invitation_revoke", authority.public_id, invitation.public_id)).status_code
        == 405
    )


def test_revoke_by_a_member_is_forbidden(as_persona, authority, authority_admin):
    invitation, _ = services.invitation_create(
        actor=authority_admin, organisation=authority, email="x@example.eu"
    )
    client = as_persona("buyer")
    with assert_unchanged():
        response = client.post(url("invitation_revoke", authority.public_id, invitation.public_id))
    assert response.status_code == 403


# --- invitations ---------------------------------------------------------------------------


@pytest.fixture
def invited(authority, authority_admin, make_user):
    person = make_user("invitee@example.eu", display_name="Ivy Invitee")
    confirm_email(person)
    _, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=person.email, is_evaluator=True
    )
    return person, token


def test_invitation_link_sends_anonymous_visitors_to_sign_in_and_back(client, invited):
    _, token = invited
    target = url("invitation_accept", token)
    response = client.get(target)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))
    assert "next=" + target in response["Location"]


def test_invitee_accepts(client, invited, authority):
    person, token = invited
    client.force_login(with_two_factor(person))
    page = client.get(url("invitation_accept", token))
    assert page.status_code == 200
    content = page.content.decode()
    assert "Brussels Digital Agency" in content
    assert "Evaluator" in content
    response = client.post(url("invitation_accept", token), {"decision": "accept"})
    assert response.status_code == 302
    assert membership(person, authority).is_evaluator


def test_invitee_declines(client, invited, authority):
    person, token = invited
    client.force_login(person)
    response = client.post(url("invitation_accept", token), {"decision": "decline"})
    assert response.status_code == 302
    assert not permissions.is_member(person, authority)
    assert Invitation.objects.get().status == InvitationStatus.DECLINED


def test_someone_else_cannot_use_the_link(as_persona, invited, outsider):
    _, token = invited
    confirm_email(outsider)
    client = as_persona("outsider")
    with assert_unchanged():
        response = client.post(url("invitation_accept", token), {"decision": "accept"})
    assert response.status_code == 403
    assert "another email address" in response.content.decode()
    assert not Membership.objects.filter(user=outsider).exists()


def test_unknown_token_is_404(as_persona):
    assert as_persona("outsider").get(url("invitation_accept", "nope")).status_code == 404


def test_used_invitation_page_says_so(client, invited):
    person, token = invited
    client.force_login(with_two_factor(person))
    client.post(url("invitation_accept", token), {"decision": "accept"})
    content = client.get(url("invitation_accept", token)).content.decode()
    assert "already been accepted" in content
    assert 'value="accept"' not in content


# --- join requests -------------------------------------------------------------------------


def test_outsider_asks_to_join_and_the_admin_approves(as_persona, client, authority, outsider):
    asker = as_persona("outsider")
    assert asker.get(url("join", authority.public_id)).status_code == 200
    response = asker.post(url("join", authority.public_id), {"message": "Data officer here"})
    assert response.status_code == 302
    request = JoinRequest.objects.get(user=outsider)
    assert not permissions.is_member(outsider, authority)
    detail = asker.get(url("detail", authority.public_id)).content.decode()
    assert "You asked to join" in detail

    admin = Membership.objects.get(organisation=authority, is_admin=True).user
    client.force_login(admin)
    members = client.get(url("members", authority.public_id)).content.decode()
    assert "outsider@example.eu" in members
    review = client.get(url("join_request", authority.public_id, request.public_id))
    assert "Data officer here" in review.content.decode()
    response = client.post(
        url("join_request", authority.public_id, request.public_id), {"decision": "approve"}
    )
    assert response.status_code == 302
    assert membership(outsider, authority).roles == ["member"]


def test_admin_rejects_with_a_reason(as_persona, authority, outsider):
    request = services.join_request_create(actor=outsider, organisation=authority)
    client = as_persona("authority_admin")
    response = client.post(
        url("join_request", authority.public_id, request.public_id),
        {"decision": "reject", "reason": "Unknown to us"},
    )
    assert response.status_code == 302
    request.refresh_from_db()
    assert request.reason == "Unknown to us"


def test_the_asker_cannot_approve_their_own_request(as_persona, authority, outsider):
    request = services.join_request_create(actor=outsider, organisation=authority)
    client = as_persona("outsider")
    with assert_unchanged():
        response = client.post(
            url("join_request", authority.public_id, request.public_id), {"decision": "approve"}
        )
    assert response.status_code == 403
    assert not permissions.is_member(outsider, authority)


def test_a_second_request_shows_the_error(as_persona, authority, outsider):
    services.join_request_create(actor=outsider, organisation=authority)
    client = as_persona("outsider")
    with assert_unchanged():
        response = client.post(url("join", authority.public_id), {"message": "Again"})
    assert response.status_code == 200
    assert "already asked to join" in response.content.decode()


def test_join_needs_sign_in(client, authority):
    response = client.post(url("join", authority.public_id))
    assert response.status_code == 302
    assert JoinRequest.objects.count() == 0


# --- leave ---------------------------------------------------------------------------------


def test_the_last_admin_is_told_they_cannot_leave(as_persona, authority):
    client = as_persona("authority_admin")
    with assert_unchanged():
        response = client.post(url("leave", authority.public_id))
    assert response.status_code == 200
    assert "only administrator" in response.content.decode()


def test_a_member_leaves(as_persona, authority, buyer):
    response = as_persona("buyer").post(url("leave", authority.public_id))
    assert response.status_code == 302
    assert not permissions.is_member(buyer, authority)


def test_leave_is_404_for_non_members(as_persona, authority):
    assert as_persona("outsider").get(url("leave", authority.public_id)).status_code == 404
