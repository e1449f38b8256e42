from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from govhub.organisations import selectors, services
from govhub.organisations.models import OrganisationKind, VerificationStatus

pytestmark = pytest.mark.django_db


def _names(page):
    return [org.name for org in page.object_list]


def test_list_filters(authority, unverified_authority, company, make_organisation, org_reference):
    make_organisation(
        OrganisationKind.RESEARCH, name="Institut Pasteur Lab", country=org_reference.france
    )
    assert _names(selectors.organisation_list()) == [
        "Brussels Digital Agency",
        "CivicTech Solutions",
        "Institut Pasteur Lab",
        "Liège Municipality",
    ]
    assert _names(selectors.organisation_list(kind=OrganisationKind.AUTHORITY)) == [
        "Brussels Digital Agency",
        "Liège Municipality",
    ]
    assert _names(selectors.organisation_list(country="FRA")) == ["Institut Pasteur Lab"]
    assert _names(selectors.organisation_list(country=org_reference.belgium)) == [
        "Brussels Digital Agency",
        "CivicTech Solutions",
        "Liège Municipality",
    ]
    assert _names(selectors.organisation_list(status=VerificationStatus.VERIFIED)) == [
        "Brussels Digital Agency"
    ]
    assert _names(selectors.organisation_list(query="civictech")) == ["CivicTech Solutions"]
    assert _names(selectors.organisation_list(query="municipalities")) == ["CivicTech Solutions"]
    assert _names(selectors.organisation_list(query="BE0123456789")) == ["CivicTech Solutions"]
    assert _names(
        selectors.organisation_list(kind=OrganisationKind.COMPANY, status="unverified")
    ) == ["CivicTech Solutions"]


def test_list_paginates(make_organisation, make_user):
    admin = make_user()
    for n in range(25):
        make_organisation(name=f"Org {n:02d}", admin=admin)
    first = selectors.organisation_list(per_page=10)
    assert first.paginator.num_pages == 3
    assert _names(first)[0] == "Org 00"
    assert _names(selectors.organisation_list(page=3, per_page=10)) == [
        f"Org {n}" for n in range(20, 25)
    ]
    # Malformed and out-of-range pages give a page, not an error.
    assert selectors.organisation_list(page="x", per_page=10).number == 1
    assert selectors.organisation_list(page=99, per_page=10).number == 3


def test_list_rows_need_no_further_queries(
    make_organisation, make_user, org_reference, django_assert_num_queries
):
    admin = make_user()
    for n in range(5):
        make_organisation(
            OrganisationKind.COMPANY,
            name=f"Co {n}",
            admin=admin,
            nuts_region=org_reference.brussels,
        )
    page = selectors.organisation_list()
    with django_assert_num_queries(1):  # the rows; get_page already counted
        rows = [
            (o.name, o.country.label, o.nuts_region.label, o.size.label) for o in page.object_list
        ]
    assert len(rows) == 5


def test_detail(authority, org_reference):
    found = selectors.organisation_detail(public_id=authority.public_id)
    assert found == authority
    assert selectors.organisation_detail(public_id="00000000-0000-0000-0000-000000000000") is None


def test_members_in_one_query(authority, buyer, authority_admin, django_assert_num_queries):
    with django_assert_num_queries(1):
        rows = [(m.user.email, m.roles) for m in selectors.members_of(organisation=authority)]
    assert rows == [
        ("admin@brussels.example.eu", ["member", "admin"]),
        ("buyer@brussels.example.eu", ["member", "buyer"]),
    ]


def test_pending_invitations_and_requests(authority, authority_admin, outsider):
    invitation, _ = services.invitation_create(
        actor=authority_admin, organisation=authority, email="new@example.eu"
    )
    revoked, _ = services.invitation_create(
        actor=authority_admin, organisation=authority, email="gone@example.eu"
    )
    services.invitation_revoke(actor=authority_admin, invitation=revoked)
    assert list(selectors.pending_invitations(organisation=authority)) == [invitation]
    request = services.join_request_create(actor=outsider, organisation=authority)
    assert list(selectors.pending_join_requests(organisation=authority)) == [request]
    assert selectors.pending_join_request_for(user=outsider, organisation=authority) == request
    assert selectors.pending_join_request_for(user=AnonymousUser(), organisation=authority) is None


def test_invitation_for_token(authority, authority_admin):
    invitation, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email="t@example.eu"
    )
    assert selectors.invitation_for_token(token=token) == invitation
    assert selectors.invitation_for_token(token="nope") is None
    assert not selectors.invitation_is_expired(invitation)


def test_moderation_queue_is_the_unverified_oldest_first(authority, unverified_authority, company):
    assert list(selectors.moderation_queue()) == [unverified_authority, company]
    assert list(selectors.moderation_queue(status=VerificationStatus.VERIFIED)) == [authority]


def test_memberships_and_two_factor(authority, buyer, supplier, company, moderator):
    assert [m.organisation for m in selectors.memberships_for_user(user=buyer)] == [authority]
    assert list(selectors.memberships_for_user(user=AnonymousUser())) == []
    assert selectors.user_requires_two_factor(user=buyer)
    assert selectors.user_requires_two_factor(user=moderator)
    assert not selectors.user_requires_two_factor(user=supplier)
    assert not selectors.user_requires_two_factor(user=AnonymousUser())


def test_unclaimed_imported_records_do_not_wait_for_a_moderator(
    unverified_authority, org_reference
):
    from govhub.organisations.models import Organisation

    Organisation.objects.create(
        kind="company", name="Imported Winner Ltd", country=org_reference.belgium, is_claimed=False
    )
    assert list(selectors.moderation_queue()) == [unverified_authority]
