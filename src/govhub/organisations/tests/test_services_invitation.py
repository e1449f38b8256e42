from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core import mail
from django.utils import timezone

from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound
from govhub.organisations import permissions, services
from govhub.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequestStatus,
    Membership,
)

from .fixtures import confirm_email, membership
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db


# --- invitations ---------------------------------------------------------------------------


def _invite(actor, org, email, django_capture_on_commit_callbacks, **roles):
    with django_capture_on_commit_callbacks(execute=True):
        return services.invitation_create(
            actor=actor, organisation=org, email=email, site_url="https://govhub.example", **roles
        )


def test_invitation_stores_only_the_token_hash_and_emails_the_link(
    authority, authority_admin, django_capture_on_commit_callbacks
):
    invitation, token = _invite(
        authority_admin,
        authority,
        "  New.Evaluator@Brussels.example.eu ",
        django_capture_on_commit_callbacks,
        is_evaluator=True,
    )
    assert invitation.email == "new.evaluator@brussels.example.eu"
    assert invitation.token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert not Invitation.objects.filter(token_hash=token).exists()
    assert len(token) >= 40
    expected_expiry = timezone.now() + dt.timedelta(days=14)
    assert abs((invitation.expires_at - expected_expiry).total_seconds()) < 60

    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert message.to == ["new.evaluator@brussels.example.eu"]
    assert "Brussels Digital Agency" in message.subject
    assert f"https://govhub.example/organisations/invitations/{token}/" in message.body
    assert "Evaluator" in message.body

    event = last_event()
    assert event.action == "invitation.create"
    assert event.organisation_id == authority.public_id
    assert "brussels.example.eu" not in str(event.after) + event.object_label
    assert event.after["roles"] == ["member", "evaluator"]


def test_no_email_leaves_when_the_transaction_rolls_back(
    authority, authority_admin, django_capture_on_commit_callbacks
):
    from django.db import transaction

    def invite_then_fail() -> None:
        with transaction.atomic():
            services.invitation_create(
                actor=authority_admin, organisation=authority, email="x@example.eu"
            )
            raise RuntimeError

    with (
        django_capture_on_commit_callbacks(execute=True) as callbacks,
        pytest.raises(RuntimeError),
    ):
        invite_then_fail()
    assert callbacks == []
    assert mail.outbox == []


def test_reinviting_a_pending_address_refreshes_it(
    authority, authority_admin, django_capture_on_commit_callbacks
):
    first, old_token = _invite(
        authority_admin, authority, "late@example.eu", django_capture_on_commit_callbacks
    )
    Invitation.objects.filter(pk=first.pk).update(expires_at=timezone.now() - dt.timedelta(days=1))
    second, new_token = _invite(
        authority_admin,
        authority,
        "LATE@example.eu",
        django_capture_on_commit_callbacks,
        is_buyer=True,
    )
    assert second.pk == first.pk
    assert Invitation.objects.filter(organisation=authority, email="late@example.eu").count() == 1
    second.refresh_from_db()
    assert second.is_buyer
    assert second.expires_at > timezone.now() + dt.timedelta(days=13)
    assert second.token_hash == services.hash_token(new_token) != services.hash_token(old_token)
    assert last_event().action == "invitation.refresh"
    assert len(mail.outbox) == 2


@pytest.mark.parametrize("who", ["buyer", "outsider", "moderator", "supplier"])
def test_only_admins_invite(request, authority, who):
    actor = request.getfixturevalue(who)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.invitation_create(actor=actor, organisation=authority, email="x@example.eu")
    assert mail.outbox == []


def test_buyer_and_evaluator_invitations_only_in_authorities(company, supplier):
    for is_buyer, is_evaluator in ((True, False), (False, True)):
        with assert_unchanged(), pytest.raises(InvalidInput) as caught:
            services.invitation_create(
                actor=supplier,
                organisation=company,
                email="x@example.eu",
                is_buyer=is_buyer,
                is_evaluator=is_evaluator,
            )
        assert "roles" in caught.value.field_errors


def test_an_unverified_authority_cannot_invite_buyers(unverified_authority):
    admin = Membership.objects.get(organisation=unverified_authority).user
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.invitation_create(
            actor=admin, organisation=unverified_authority, email="x@example.eu", is_buyer=True
        )
    # A plain member or another admin is fine before verification.
    services.invitation_create(
        actor=admin, organisation=unverified_authority, email="x@example.eu", is_admin=True
    )


def test_inviting_a_member_is_a_conflict(authority, authority_admin, buyer):
    with assert_unchanged(), pytest.raises(Conflict):
        services.invitation_create(
            actor=authority_admin, organisation=authority, email=buyer.email.upper()
        )


def test_accept_creates_the_membership_with_the_invited_roles(
    authority, authority_admin, make_user
):
    invitee = make_user("eva@brussels.example.eu")
    confirm_email(invitee)
    invitation, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=invitee.email, is_evaluator=True
    )
    created = services.invitation_accept(actor=invitee, token=token)
    assert created.roles == ["member", "evaluator"]
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.ACCEPTED
    assert invitation.accepted_at is not None
    event = last_event()
    assert event.action == "invitation.accept"
    assert event.organisation_id == authority.public_id
    assert event.after["user"] == str(invitee.public_id)
    assert permissions.can_evaluate_for(invitee, authority)


def test_accept_needs_the_invited_address_confirmed(authority, authority_admin, make_user):
    invitee = make_user("unconfirmed@example.eu")  # no confirmed address
    _, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=invitee.email
    )
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.invitation_accept(actor=invitee, token=token)


def test_an_outsider_cannot_join_uninvited(authority, authority_admin, outsider, make_user):
    """The issue's test: holding someone else's link, or no link, gets an outsider nowhere."""
    confirm_email(outsider)
    invitee = make_user("invited@example.eu")
    confirm_email(invitee)
    _, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=invitee.email, is_buyer=True
    )
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.invitation_accept(actor=outsider, token=token)
    with assert_unchanged(), pytest.raises(NotFound):
        services.invitation_accept(actor=outsider, token="guessed-token")
    request = services.join_request_create(actor=outsider, organisation=authority)
    assert not Membership.objects.filter(user=outsider).exists()
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.join_request_approve(actor=outsider, join_request=request)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.membership_set_roles(
            actor=outsider, membership=membership(authority_admin, authority), is_admin=False
        )
    assert not Membership.objects.filter(user=outsider).exists()
    assert not permissions.is_member(outsider, authority)


def test_expired_invitation_is_refused(authority, authority_admin, make_user):
    invitee = make_user("slow@example.eu")
    confirm_email(invitee)
    invitation, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=invitee.email
    )
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - dt.timedelta(seconds=1)
    )
    with assert_unchanged(), pytest.raises(Conflict):
        services.invitation_accept(actor=invitee, token=token)


def test_an_invitation_works_once(authority, authority_admin, make_user):
    invitee = make_user("once@example.eu")
    confirm_email(invitee)
    _, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=invitee.email
    )
    services.invitation_accept(actor=invitee, token=token)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.invitation_accept(actor=invitee, token=token)


def test_accept_with_a_secondary_confirmed_address(authority, authority_admin, make_user):
    invitee = make_user("main@example.eu")
    confirm_email(invitee, "work@brussels.example.eu")
    _, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email="work@brussels.example.eu"
    )
    assert services.invitation_accept(actor=invitee, token=token).user == invitee


def test_decline(authority, authority_admin, make_user):
    invitee = make_user("no@example.eu")
    confirm_email(invitee)
    invitation, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=invitee.email
    )
    services.invitation_decline(actor=invitee, token=token)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.DECLINED
    assert last_event().action == "invitation.decline"
    assert last_event().organisation_id == authority.public_id
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.invitation_accept(actor=invitee, token=token)


def test_decline_needs_the_invitee(authority, authority_admin, outsider):
    confirm_email(outsider)
    _, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email="someone@example.eu"
    )
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.invitation_decline(actor=outsider, token=token)


def test_revoke(authority, authority_admin, make_user, buyer):
    invitee = make_user("revoked@example.eu")
    confirm_email(invitee)
    invitation, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=invitee.email
    )
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.invitation_revoke(actor=buyer, invitation=invitation)
    services.invitation_revoke(actor=authority_admin, invitation=invitation)
    invitation.refresh_from_db()
    assert invitation.status == InvitationStatus.REVOKED
    assert last_event().action == "invitation.revoke"
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.invitation_accept(actor=invitee, token=token)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.invitation_revoke(actor=authority_admin, invitation=invitation)


def test_accepting_an_invitation_answers_a_pending_join_request(
    authority, authority_admin, outsider
):
    confirm_email(outsider)
    request = services.join_request_create(actor=outsider, organisation=authority)
    _, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=outsider.email
    )
    services.invitation_accept(actor=outsider, token=token)
    request.refresh_from_db()
    assert request.status == JoinRequestStatus.APPROVED


def test_the_link_in_the_email_is_the_token(
    authority, authority_admin, make_user, django_capture_on_commit_callbacks
):
    invitee = make_user("link@example.eu")
    confirm_email(invitee)
    _invite(authority_admin, authority, invitee.email, django_capture_on_commit_callbacks)
    found = re.search(r"/invitations/([^/\s]+)/", str(mail.outbox[0].body))
    assert found is not None
    token = found.group(1)
    assert services.invitation_accept(actor=invitee, token=token).organisation == authority
