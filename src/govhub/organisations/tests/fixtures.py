"""Fixtures for organisations tests (shared with other apps via the root conftest).

Personas, all made through the services as a real user would:

- ``authority``: a public authority in Belgium (NUTS BE100, buyer legal type "la"),
  verified by the ``moderator``; ``authority_admin`` created it.
- ``buyer``: a member of ``authority`` with the buyer role.
- ``unverified_authority``: an authority in Belgium nobody has verified yet.
- ``company``: a small company in Belgium; ``supplier`` created it and is its admin.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

import pytest
from allauth.account.models import EmailAddress

from govhub.accounts.models import User
from govhub.organisations import services
from govhub.organisations.models import Membership, Organisation, OrganisationKind
from govhub.reference.models import CodelistEntry, Country, CpvCode, NutsRegion


@dataclass(frozen=True)
class OrgReference:
    """The reference rows the organisation fixtures and tests use."""

    belgium: Country
    france: Country
    brussels: NutsRegion  # BE100
    paris: NutsRegion  # FR101
    local_authority: CodelistEntry  # buyer-legal-type "la"
    general_public_services: CodelistEntry  # main-activity "gen-pub"
    small: CodelistEntry  # economic-operator-size
    sme: CodelistEntry  # the codelist's aggregate value, not a size a company may pick
    it_services: CpvCode  # 72000000-5
    software: CpvCode  # 48000000-8


def _codelist(codelist: str, code: str) -> CodelistEntry:
    return CodelistEntry.objects.get(codelist=codelist, code=code)


@pytest.fixture
def org_reference(reference_data: None) -> OrgReference:
    return OrgReference(
        belgium=Country.objects.get(code="BEL"),
        france=Country.objects.get(code="FRA"),
        brussels=NutsRegion.objects.get(code="BE100"),
        paris=NutsRegion.objects.get(code="FR101"),
        local_authority=_codelist("buyer-legal-type", "la"),
        general_public_services=_codelist("main-activity", "gen-pub"),
        small=_codelist("economic-operator-size", "small"),
        sme=_codelist("economic-operator-size", "sme"),
        it_services=CpvCode.objects.get(code="72000000-5"),
        software=CpvCode.objects.get(code="48000000-8"),
    )


def confirm_email(user: User, email: str | None = None) -> EmailAddress:
    """Mark an address of the user as confirmed, as allauth does after the emailed link."""
    address, _ = EmailAddress.objects.update_or_create(
        user=user,
        email=(email or user.email).lower(),
        defaults={"verified": True, "primary": email is None or email == user.email},
    )
    return address


@pytest.fixture
def make_organisation(
    org_reference: OrgReference, make_user: Callable[..., User]
) -> Callable[..., Organisation]:
    """Create an organisation through the service; ``admin`` (made if absent) creates it."""

    def make(
        kind: str = OrganisationKind.CIVIL_SOCIETY,
        *,
        name: str | None = None,
        admin: User | None = None,
        verified_by: User | None = None,
        **fields: Any,
    ) -> Organisation:
        admin = admin or make_user()
        defaults: dict[str, Any] = {"country": org_reference.belgium}
        if kind == OrganisationKind.AUTHORITY:
            defaults["buyer_legal_type"] = org_reference.local_authority
        elif kind == OrganisationKind.COMPANY:
            defaults["size"] = org_reference.small
        elif kind == OrganisationKind.INTERMEDIARY:
            defaults["intermediary_type"] = "govtech_lab"
        org = services.organisation_create(
            actor=admin,
            kind=kind,
            name=name or f"{kind.title()} {Organisation.objects.count() + 1}",
            **{**defaults, **fields},
        )
        if verified_by is not None:
            services.organisation_verify(actor=verified_by, organisation=org)
        return org

    return make


@pytest.fixture
def authority_admin(make_user: Callable[..., User]) -> User:
    user = make_user("admin@brussels.example.eu", display_name="Adèle Admin")
    confirm_email(user)
    return user


@pytest.fixture
def authority(org_reference: OrgReference, authority_admin: User, moderator: User) -> Organisation:
    org = services.organisation_create(
        actor=authority_admin,
        kind=OrganisationKind.AUTHORITY,
        name="Brussels Digital Agency",
        description="Runs the digital services of the Brussels-Capital Region.",
        country=org_reference.belgium,
        nuts_region=org_reference.brussels,
        buyer_legal_type=org_reference.local_authority,
        main_activity=org_reference.general_public_services,
        website="https://digital.brussels.example.eu",
    )
    return services.organisation_verify(actor=moderator, organisation=org)


@pytest.fixture
def buyer(
    authority: Organisation,
    authority_admin: User,
    make_user: Callable[..., User],
    with_totp: Callable[[User], str],
) -> User:
    user = make_user("buyer@brussels.example.eu", display_name="Bruno Buyer")
    confirm_email(user)
    with_totp(user)  # buyers must use two-factor authentication (accounts fixtures)
    _, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=user.email, is_buyer=True
    )
    services.invitation_accept(actor=user, token=token)
    return user


@pytest.fixture
def unverified_authority(
    org_reference: OrgReference, make_user: Callable[..., User]
) -> Organisation:
    creator = make_user("admin@liege.example.eu", display_name="Luc Liège")
    confirm_email(creator)
    return services.organisation_create(
        actor=creator,
        kind=OrganisationKind.AUTHORITY,
        name="Liège Municipality",
        country=org_reference.belgium,
        buyer_legal_type=org_reference.local_authority,
    )


@pytest.fixture
def supplier(make_user: Callable[..., User]) -> User:
    user = make_user("founder@civictech.example.eu", display_name="Sofia Supplier")
    confirm_email(user)
    return user


@pytest.fixture
def company(org_reference: OrgReference, supplier: User) -> Organisation:
    return services.organisation_create(
        actor=supplier,
        kind=OrganisationKind.COMPANY,
        name="CivicTech Solutions",
        description="A small company building open-source tools for municipalities.",
        country=org_reference.belgium,
        nuts_region=org_reference.brussels,
        national_id="BE0123456789",
        size=org_reference.small,
        cpv_capabilities=[org_reference.it_services, org_reference.software],
        website="https://civictech.example.eu",
    )


def membership(user: User, org: Organisation) -> Membership:
    return Membership.objects.get(user=user, organisation=org)
