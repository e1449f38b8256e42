from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
from django.core import mail
from django.utils import timezone

from govhub.core.audit import audit_verify
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed, NotFound
from govhub.organisations import permissions, services
from govhub.organisations.models import (
    Invitation,
    InvitationStatus,
    JoinRequest,
    JoinRequestStatus,
    Membership,
    Organisation,
    OrganisationKind,
    VerificationStatus,
)

from .fixtures import confirm_email, membership
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db


# --- organisation_create -------------------------------------------------------------------


def test_create_authority_makes_the_creator_its_admin_and_audits(
    authority_admin, org_reference, moderator
):
    org = services.organisation_create(
        actor=authority_admin,
        kind=OrganisationKind.AUTHORITY,
        name="  Ghent City  ",
        country=org_reference.belgium,
        nuts_region=org_reference.brussels,
        buyer_legal_type=org_reference.local_authority,
        main_activity=org_reference.general_public_services,
    )
    assert org.name == "Ghent City"
    assert org.status == VerificationStatus.UNVERIFIED
    admin = membership(authority_admin, org)
    assert admin.roles == ["member", "admin"]
    event = last_event()
    assert event.action == "organisation.create"
    assert event.organisation_id == org.public_id
    assert event.object_id == str(org.public_id)
    assert event.after["buyer_legal_type"] == "la"
    assert event.after["nuts_region"] == "BE100"
    assert event.after["first_admin"] == str(authority_admin.public_id)
    assert audit_verify().ok


def test_create_company_with_size_and_cpv_capabilities(supplier, org_reference):
    org = services.organisation_create(
        actor=supplier,
        kind=OrganisationKind.COMPANY,
        name="Open Data Works",
        country=org_reference.belgium,
        size=org_reference.small,
        national_id="BE0999999999",
        cpv_capabilities=[org_reference.it_services],
        website="https://odw.example.eu",
    )
    assert org.size == org_reference.small
    assert list(org.cpv_capabilities.all()) == [org_reference.it_services]
    assert last_event().after["cpv_capabilities"] == ["72000000-5"]


@pytest.mark.parametrize("kind", [OrganisationKind.RESEARCH, OrganisationKind.CIVIL_SOCIETY])
def test_research_and_civil_society_need_only_name_and_country(make_user, org_reference, kind):
    org = services.organisation_create(
        actor=make_user(), kind=kind, name="Some body", country=org_reference.belgium
    )
    assert org.kind == kind


def test_create_intermediary_with_its_type(make_user, org_reference):
    org = services.organisation_create(
        actor=make_user(),
        kind=OrganisationKind.INTERMEDIARY,
        name="EDIH Wallonia",
        country=org_reference.belgium,
        intermediary_type="edih",
    )
    assert org.get_intermediary_type_display() == "European Digital Innovation Hub"


def test_fields_of_other_kinds_are_not_kept(make_user, org_reference):
    org = services.organisation_create(
        actor=make_user(),
        kind=OrganisationKind.COMPANY,
        name="Mixed Up Ltd",
        country=org_reference.belgium,
        size=org_reference.small,
        buyer_legal_type=org_reference.local_authority,
        intermediary_type="edih",
    )
    assert org.buyer_legal_type is None
    assert org.intermediary_type == ""


@pytest.mark.parametrize(
    ("kind", "missing", "extra"),
    [
        (OrganisationKind.AUTHORITY, "buyer_legal_type", {}),
        (OrganisationKind.COMPANY, "size", {}),
        (OrganisationKind.INTERMEDIARY, "intermediary_type", {}),
        (OrganisationKind.INTERMEDIARY, "intermediary_type", {"intermediary_type": "bank"}),
        (OrganisationKind.CIVIL_SOCIETY, "name", {"name": "   "}),
    ],
)
def test_create_refuses_missing_kind_facts(make_user, org_reference, kind, missing, extra):
    actor = make_user()
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.organisation_create(
            actor=actor,
            kind=kind,
            name=extra.pop("name", "Name"),
            country=org_reference.belgium,
            **extra,
        )
    assert missing in caught.value.field_errors


def test_create_refuses_a_country_less_organisation(make_user):
    actor = make_user()
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.organisation_create(
            actor=actor, kind=OrganisationKind.RESEARCH, name="Lab", country=None
        )
    assert "country" in caught.value.field_errors


def test_nuts_region_must_belong_to_the_country(make_user, org_reference):
    actor = make_user()
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.organisation_create(
            actor=actor,
            kind=OrganisationKind.AUTHORITY,
            name="Confused Authority",
            country=org_reference.belgium,
            nuts_region=org_reference.paris,
            buyer_legal_type=org_reference.local_authority,
        )
    assert "nuts_region" in caught.value.field_errors


def test_company_size_must_be_one_of_the_four_sizes(make_user, org_reference):
    actor = make_user()
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.organisation_create(
            actor=actor,
            kind=OrganisationKind.COMPANY,
            name="Vague Co",
            country=org_reference.belgium,
            size=org_reference.sme,
        )
    assert "size" in caught.value.field_errors


def test_codelist_values_must_come_from_the_right_codelist(make_user, org_reference):
    actor = make_user()
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.organisation_create(
            actor=actor,
            kind=OrganisationKind.AUTHORITY,
            name="Odd Authority",
            country=org_reference.belgium,
            buyer_legal_type=org_reference.small,
        )
    assert "buyer_legal_type" in caught.value.field_errors


def test_anonymous_cannot_create(org_reference):
    from django.contrib.auth.models import AnonymousUser

    with assert_unchanged(), pytest.raises(NotAllowed):
        services.organisation_create(
            actor=AnonymousUser(),
            kind=OrganisationKind.RESEARCH,
            name="Ghost Lab",
            country=org_reference.belgium,
        )


# --- organisation_update -------------------------------------------------------------------


def test_admin_updates_and_only_changes_are_audited(company, supplier, org_reference):
    services.organisation_update(
        actor=supplier,
        organisation=company,
        description="Now also doing accessibility audits.",
        cpv_capabilities=[org_reference.software],
    )
    company.refresh_from_db()
    assert company.description == "Now also doing accessibility audits."
    assert list(company.cpv_capabilities.all()) == [org_reference.software]
    event = last_event()
    assert event.action == "organisation.update"
    assert event.organisation_id == company.public_id
    assert set(event.after) == {"description", "cpv_capabilities"}
    assert event.before["cpv_capabilities"] == ["48000000-8", "72000000-5"]


def test_update_without_change_writes_nothing(company, supplier):
    with assert_unchanged():
        services.organisation_update(actor=supplier, organisation=company, name=company.name)


def test_update_keeps_the_region_rule(authority, authority_admin, org_reference):
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.organisation_update(
            actor=authority_admin, organisation=authority, nuts_region=org_reference.paris
        )


@pytest.mark.parametrize("who", ["buyer", "outsider", "moderator", "supplier"])
def test_only_admins_update(request, authority, who):
    actor = request.getfixturevalue(who)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.organisation_update(actor=actor, organisation=authority, name="Hijacked")
    authority.refresh_from_db()
    assert authority.name == "Brussels Digital Agency"


# --- verification lifecycle ----------------------------------------------------------------


def test_moderator_verifies(unverified_authority, moderator):
    services.organisation_verify(
        actor=moderator, organisation=unverified_authority, reason="Checked the registry"
    )
    unverified_authority.refresh_from_db()
    assert unverified_authority.status == VerificationStatus.VERIFIED
    assert unverified_authority.verified_at is not None
    event = last_event()
    assert event.action == "organisation.verify"
    assert event.organisation_id == unverified_authority.public_id
    assert event.before["status"] == "unverified"
    assert event.after["status"] == "verified"


@pytest.mark.parametrize("who", ["outsider", "supplier", "authority_admin"])
def test_only_moderators_verify(request, unverified_authority, authority, who):
    actor = request.getfixturevalue(who)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.organisation_verify(actor=actor, organisation=unverified_authority)


def test_an_admin_cannot_verify_their_own_organisation_even_as_moderator(unverified_authority):
    admin = Membership.objects.get(organisation=unverified_authority).user
    admin.is_moderator = True
    admin.save()
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.organisation_verify(actor=admin, organisation=unverified_authority)


def test_suspension_needs_a_reason(authority, moderator):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.organisation_suspend(actor=moderator, organisation=authority, reason="  ")
    assert "reason" in caught.value.field_errors


def test_suspend_keeps_roles_but_removes_capabilities_and_reinstate_restores(
    authority, buyer, moderator
):
    assert permissions.can_publish_for(buyer, authority)
    services.organisation_suspend(
        actor=moderator, organisation=authority, reason="Complaint under review"
    )
    assert authority.status == VerificationStatus.SUSPENDED
    assert last_event().action == "organisation.suspend"
    assert last_event().after["status_reason"] == "Complaint under review"
    assert membership(buyer, authority).is_buyer
    assert not permissions.can_publish_for(buyer, authority)

    services.organisation_reinstate(actor=moderator, organisation=authority)
    assert last_event().action == "organisation.reinstate"
    assert permissions.can_publish_for(buyer, authority)


def test_an_unverified_organisation_can_be_suspended(unverified_authority, moderator):
    services.organisation_suspend(
        actor=moderator, organisation=unverified_authority, reason="Fake registration"
    )
    assert unverified_authority.status == VerificationStatus.SUSPENDED


def test_moves_outside_the_lifecycle_are_refused(authority, unverified_authority, moderator):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.organisation_verify(actor=moderator, organisation=authority)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.organisation_reinstate(actor=moderator, organisation=unverified_authority)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.organisation_set_status(
            actor=moderator, organisation=authority, to=VerificationStatus.UNVERIFIED
        )


def test_verify_refuses_a_suspended_organisation(authority, moderator):
    services.organisation_suspend(actor=moderator, organisation=authority, reason="Check")
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.organisation_verify(actor=moderator, organisation=authority)


def test_a_stale_status_is_refused(unverified_authority, moderator):
    stale = Organisation.objects.get(pk=unverified_authority.pk)
    services.organisation_verify(actor=moderator, organisation=unverified_authority)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.organisation_set_status(
            actor=moderator,
            organisation=stale,
            to=VerificationStatus.SUSPENDED,
            reason="x",
            expected_status=VerificationStatus.UNVERIFIED,
        )


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
