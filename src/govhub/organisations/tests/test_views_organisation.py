from __future__ import annotations

import uuid

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govhub.organisations import services
from govhub.organisations.models import (
    Organisation,
    OrganisationKind,
    VerificationStatus,
)

from .fixtures import membership
from .helpers import PERSONAS, assert_unchanged, url

pytestmark = pytest.mark.django_db


# --- list and detail -----------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_is_public(as_persona, persona, authority, company):
    response = as_persona(persona).get(url("list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Brussels Digital Agency" in content
    assert "CivicTech Solutions" in content
    assert 'class="govuk-tag govuk-tag--green"' in content


def test_list_filters(client, authority, company, unverified_authority):
    response = client.get(url("list"), {"kind": "authority", "status": "verified"})
    content = response.content.decode()
    assert "Brussels Digital Agency" in content
    assert "Liège Municipality" not in content
    assert "CivicTech Solutions" not in content
    response = client.get(url("list"), {"q": "civic", "country": "BEL"})
    assert "CivicTech Solutions" in response.content.decode()
    assert "Brussels Digital Agency" not in response.content.decode()


def test_list_paginates_and_keeps_filters(client, make_organisation, make_user):
    admin = make_user()
    for n in range(23):
        make_organisation(name=f"Lab {n:02d}", admin=admin)
    response = client.get(url("list"), {"kind": "civil_society"})
    content = response.content.decode()
    assert "Lab 19" in content
    assert "Lab 20" not in content
    assert 'class="govuk-pagination"' in content
    assert "?kind=civil_society&amp;page=2" in content
    assert (
        "Lab 22" in client.get(url("list"), {"kind": "civil_society", "page": 2}).content.decode()
    )


def test_list_query_count_does_not_grow_with_organisations(
    client, make_organisation, make_user, org_reference
):
    admin = make_user()

    def grow(n: int) -> None:
        for i in range(n):
            make_organisation(
                OrganisationKind.COMPANY,
                name=f"Company {Organisation.objects.count()}-{i}",
                admin=admin,
                nuts_region=org_reference.brussels,
            )

    grow(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("list")).status_code == 200
    grow(18)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("list")).status_code == 200
    assert len(many) == len(few)


def test_list_query_count_is_bounded(client, authority, company, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        client.get(url("list"))


@pytest.mark.parametrize("persona", PERSONAS)
def test_detail_is_public(as_persona, persona, authority, org_reference):
    response = as_persona(persona).get(url("detail", authority.public_id))
    assert response.status_code == 200
    content = response.content.decode()
    assert "<h1" in content
    assert content.count("<h1") == 1
    assert "Brussels Digital Agency" in content
    assert "Verified" in content
    assert org_reference.local_authority.label in content
    assert org_reference.brussels.code in content
    assert org_reference.belgium.label in content
    assert ("Manage members" in content) == (persona == "authority_admin")
    assert ("Verify or suspend" in content) == (persona == "moderator")
    assert ("Ask to join" in content) == (persona in {"outsider", "supplier", "moderator"})
    assert ("Sign in to ask to join" in content) == (persona == "anonymous")


def test_detail_of_a_company_shows_its_facts(client, company, org_reference):
    content = client.get(url("detail", company.public_id)).content.decode()
    assert org_reference.small.label in content
    assert "72000000-5" in content
    assert "BE0123456789" in content
    assert "Unverified" in content


def test_unknown_organisation_is_404(client):
    assert client.get(url("detail", uuid.uuid4())).status_code == 404


# --- create and edit -----------------------------------------------------------------------


def test_create_needs_sign_in(client):
    response = client.get(url("create"))
    assert response.status_code == 302
    assert reverse("account_login") in response["Location"]


def test_create_starts_with_the_kind(as_persona):
    client = as_persona("outsider")
    content = client.get(url("create")).content.decode()
    assert 'type="radio" value="authority"' in content
    assert 'name="kind"' in content
    response = client.get(url("create"), {"kind": "spaceship"})
    assert "govuk-error-summary" in response.content.decode()


def test_create_shows_only_the_kinds_fields(as_persona):
    client = as_persona("outsider")
    company = client.get(url("create"), {"kind": "company"}).content.decode()
    assert 'name="size"' in company
    positions = [company.index(f'value="{code}"') for code in ("micro", "small", "medium", "large")]
    assert positions == sorted(positions)
    assert 'value="sme"' not in company
    assert 'name="cpv_capabilities"' in company
    assert 'name="buyer_legal_type"' not in company
    authority = client.get(url("create"), {"kind": "authority"}).content.decode()
    assert 'name="buyer_legal_type"' in authority
    assert 'name="main_activity"' in authority
    assert 'name="size"' not in authority
    intermediary = client.get(url("create"), {"kind": "intermediary"}).content.decode()
    assert 'name="intermediary_type"' in intermediary


def test_create_an_authority(as_persona, outsider):
    client = as_persona("outsider")
    response = client.post(
        url("create") + "?kind=authority",
        {
            "name": "Antwerp Port Authority",
            "country": "BEL",
            "nuts_region": "BE211",
            "buyer_legal_type": "la",
            "main_activity": "port",
            "website": "antwerp.example.eu",
        },
    )
    org = Organisation.objects.get(name="Antwerp Port Authority")
    assert response.status_code == 302
    assert response["Location"] == url("detail", org.public_id)
    assert org.kind == OrganisationKind.AUTHORITY
    assert org.nuts_region is not None
    assert org.nuts_region.code == "BE211"
    assert org.website == "https://antwerp.example.eu"
    assert membership(outsider, org).is_admin


def test_create_a_company_with_cpv_codes(as_persona, outsider):
    client = as_persona("outsider")
    response = client.post(
        url("create") + "?kind=company",
        {
            "name": "Gent Geo",
            "country": "BEL",
            "size": "micro",
            "cpv_capabilities": "72000000-5, 48000000",
        },
    )
    assert response.status_code == 302
    org = Organisation.objects.get(name="Gent Geo")
    assert sorted(c.code for c in org.cpv_capabilities.all()) == ["48000000-8", "72000000-5"]


def test_a_refused_create_keeps_what_was_typed(as_persona):
    client = as_persona("outsider")
    with assert_unchanged():
        response = client.post(
            url("create") + "?kind=authority",
            {
                "name": "Lost In France",
                "country": "BEL",
                "nuts_region": "FR101",
                "buyer_legal_type": "la",
                "description": "Typed with care",
            },
        )
    assert response.status_code == 200
    content = response.content.decode()
    assert "The NUTS region must be in the chosen country." in content
    assert "govuk-error-summary" in content
    assert 'value="Lost In France"' in content
    assert "Typed with care" in content
    assert 'value="FR101"' in content


def test_a_missing_field_is_shown_on_the_form(as_persona):
    client = as_persona("outsider")
    with assert_unchanged():
        response = client.post(
            url("create") + "?kind=company", {"name": "Sizeless", "country": "BEL"}
        )
    content = response.content.decode()
    assert "Choose the company’s size" in content
    assert 'value="Sizeless"' in content


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
def test_edit_access(as_persona, authority, persona, status):
    assert as_persona(persona).get(url("edit", authority.public_id)).status_code == status


def test_edit_saves(as_persona, authority):
    client = as_persona("authority_admin")
    form = client.get(url("edit", authority.public_id)).content.decode()
    assert 'value="Brussels Digital Agency"' in form
    response = client.post(
        url("edit", authority.public_id),
        {
            "name": "Brussels Digital Agency",
            "country": "BEL",
            "nuts_region": "BE100",
            "buyer_legal_type": "la",
            "main_activity": "gen-pub",
            "description": "New description",
        },
    )
    assert response.status_code == 302
    authority.refresh_from_db()
    assert authority.description == "New description"


def test_edit_refused_for_outsider_changes_nothing(as_persona, authority):
    client = as_persona("outsider")
    with assert_unchanged():
        response = client.post(
            url("edit", authority.public_id),
            {"name": "Hacked", "country": "BEL", "buyer_legal_type": "la"},
        )
    assert response.status_code == 403


# --- moderation ----------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 302),
        ("outsider", 403),
        ("supplier", 403),
        ("buyer", 403),
        ("authority_admin", 403),
        ("moderator", 200),
    ],
)
def test_moderation_access(as_persona, unverified_authority, authority, persona, status):
    client = as_persona(persona)
    assert client.get(url("moderation")).status_code == status
    assert client.get(url("moderate", unverified_authority.public_id)).status_code == status


def test_moderation_queue_lists_unverified(as_persona, authority, unverified_authority, company):
    content = as_persona("moderator").get(url("moderation")).content.decode()
    assert "Liège Municipality" in content
    assert "CivicTech Solutions" in content
    assert "Brussels Digital Agency" not in content
    verified = as_persona("moderator").get(url("moderation"), {"status": "verified"})
    assert "Brussels Digital Agency" in verified.content.decode()


def test_moderation_queue_query_count_does_not_grow(as_persona, make_organisation, make_user):
    client = as_persona("moderator")
    admin = make_user()
    make_organisation(admin=admin)
    with CaptureQueriesContext(connection) as few:
        client.get(url("moderation"))
    for _ in range(10):
        make_organisation(admin=admin)
    with CaptureQueriesContext(connection) as many:
        client.get(url("moderation"))
    assert len(many) == len(few)


def test_moderator_verifies(as_persona, unverified_authority):
    client = as_persona("moderator")
    response = client.post(
        url("moderate", unverified_authority.public_id),
        {"action": "verify", "reason": "", "expected_status": "unverified"},
    )
    assert response.status_code == 302
    unverified_authority.refresh_from_db()
    assert unverified_authority.status == VerificationStatus.VERIFIED


def test_suspension_without_reason_is_shown_on_the_form(as_persona, authority):
    client = as_persona("moderator")
    with assert_unchanged():
        response = client.post(
            url("moderate", authority.public_id),
            {"action": "suspend", "reason": "", "expected_status": "verified"},
        )
    assert response.status_code == 200
    assert "Give the reason for the suspension" in response.content.decode()


def test_moderator_suspends_and_reinstates(as_persona, authority):
    client = as_persona("moderator")
    client.post(
        url("moderate", authority.public_id),
        {"action": "suspend", "reason": "Fraud report", "expected_status": "verified"},
    )
    authority.refresh_from_db()
    assert authority.status == VerificationStatus.SUSPENDED
    assert "Fraud report" in client.get(url("detail", authority.public_id)).content.decode()
    page = client.get(url("moderate", authority.public_id)).content.decode()
    assert 'value="reinstate"' in page
    assert 'value="verify"' not in page
    client.post(
        url("moderate", authority.public_id),
        {"action": "reinstate", "reason": "", "expected_status": "suspended"},
    )
    authority.refresh_from_db()
    assert authority.status == VerificationStatus.VERIFIED


def test_a_stale_moderation_form_is_refused(as_persona, unverified_authority, moderator):
    services.organisation_suspend(actor=moderator, organisation=unverified_authority, reason="Fake")
    client = as_persona("moderator")
    with assert_unchanged():
        response = client.post(
            url("moderate", unverified_authority.public_id),
            {"action": "reinstate", "reason": "", "expected_status": "verified"},
        )
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()


def test_the_suspension_reason_is_not_public(client, authority, moderator):
    services.organisation_suspend(actor=moderator, organisation=authority, reason="Secret")
    content = client.get(url("detail", authority.public_id)).content.decode()
    assert "suspended this organisation" in content
    assert "Secret" not in content


def test_an_empty_post_shows_every_missing_field(as_persona):
    client = as_persona("outsider")
    with assert_unchanged():
        response = client.post(url("create") + "?kind=authority", {})
    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter the organisation’s name" in content
    assert "Choose the country" in content
    assert "Choose the authority’s buyer legal type" in content


def test_edit_form_of_a_company_shows_its_cpv_codes(as_persona, company):
    content = as_persona("supplier").get(url("edit", company.public_id)).content.decode()
    assert "72000000-5" in content
    assert 'value="small" checked' in content


def test_dashboard_lists_roles(as_persona, authority):
    content = as_persona("buyer").get(reverse("web:dashboard")).content.decode()
    assert "Brussels Digital Agency" in content
    assert "Member, Buyer" in content
