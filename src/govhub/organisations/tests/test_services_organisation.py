from __future__ import annotations

import pytest

from govhub.core.audit import audit_verify
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.organisations import permissions, services
from govhub.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    VerificationStatus,
)

from .fixtures import membership
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
