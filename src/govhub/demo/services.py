"""`govhub demo-setup`: demo accounts (one per role) and organisations from real TED notices.

Everything goes through the same services a real user triggers, so the demo's audit log,
verification states and memberships are real. Running it again changes nothing.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

import time_machine
from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import transaction
from django.utils import timezone

from govhub.accounts.models import User
from govhub.organisations import services as org_services
from govhub.organisations.models import Organisation, OrganisationKind
from govhub.reference.models import CodelistEntry, Country, NutsRegion

from . import story
from .story import Clock
from .ted_sample import TedNotice, TedParty, innovation_notices, innovation_suppliers

DEMO_PASSWORD = "govhub-demo-2026"  # noqa: S105 - printed on screen for demo logins only
DEMO_DOMAIN = "govhub.example"  # RFC 2606: reserved, never a real mailbox
STORY_LENGTH = dt.timedelta(days=120)


@dataclass(frozen=True)
class DemoAccount:
    email: str
    name: str
    role: str  # shown to the person trying the demo


ACCOUNTS = [
    DemoAccount(f"moderator@{DEMO_DOMAIN}", "Mona Moderator", "Platform moderator"),
    DemoAccount(f"admin@{DEMO_DOMAIN}", "Adèle Admin", "Organisation admin of the authorities"),
    DemoAccount(f"buyer@{DEMO_DOMAIN}", "Bruno Buyer", "Buyer, lead authority"),
    DemoAccount(f"evaluator@{DEMO_DOMAIN}", "Eva Evaluator", "Evaluator, lead authority"),
    DemoAccount(f"cobuyer@{DEMO_DOMAIN}", "Carla Co-buyer", "Buyer, second authority"),
    DemoAccount(f"member@{DEMO_DOMAIN}", "Marc Member", "Member without a role, lead authority"),
    DemoAccount(f"supplier@{DEMO_DOMAIN}", "Sofia Supplier", "Company admin (SME)"),
    DemoAccount(f"supplier2@{DEMO_DOMAIN}", "Sam Supplier", "Company admin (second SME)"),
    DemoAccount(f"citizen@{DEMO_DOMAIN}", "Cleo Citizen", "Citizen, no organisation"),
]


@dataclass
class DemoReport:
    created: bool
    organisations: list[str] = field(default_factory=list)
    challenges: list[str] = field(default_factory=list)
    source: str = ""


def demo_is_set_up() -> bool:
    return User.objects.filter(email=ACCOUNTS[0].email).exists()


def _account(spec: DemoAccount, *, moderator: bool = False) -> User:
    user = User.objects.create_user(
        email=spec.email,
        password=DEMO_PASSWORD,
        display_name=spec.name,
        is_moderator=moderator,
        is_demo_account=True,
    )
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    return user


def _org_fields(party: TedParty, kind: str) -> dict[str, object] | None:
    country = Country.objects.filter(alpha2=party.country_alpha2).first()
    if country is None:
        return None
    nuts = NutsRegion.objects.filter(code=party.nuts_code).first() if party.nuts_code else None
    if nuts is not None and nuts.country_code != (party.country_alpha2.replace("GR", "EL")):
        nuts = None
    fields: dict[str, object] = {
        "kind": kind,
        "name": party.name[:300],
        "country": country,
        "nuts_region": nuts,
        "website": party.website if party.website.startswith("http") else "",
        "description": f"Named in TED notice {party.source} (Official Journal of the EU, S).",
    }
    if kind == OrganisationKind.AUTHORITY:
        fields["buyer_legal_type"] = CodelistEntry.objects.filter(
            codelist="buyer-legal-type", code=party.buyer_legal_type
        ).first()
        fields["main_activity"] = CodelistEntry.objects.filter(
            codelist="main-activity", code=party.main_activity
        ).first()
    else:
        fields["national_id"] = party.national_id[:100]
        fields["size"] = CodelistEntry.objects.get(codelist="economic-operator-size", code="small")
    return fields


def _fallback_parties() -> tuple[list[TedParty], list[TedParty]]:
    """Without ../shared/data there are no real records to read: clearly marked stand-ins."""

    def party(name: str, country: str, nuts: str, **kw: object) -> TedParty:
        return TedParty(
            name=name,
            country_alpha2=country,
            nuts_code=nuts,
            national_id="",
            email="",
            website="",
            source="(no shared data: demo stand-in)",
            **kw,  # type: ignore[arg-type]
        )

    buyers = [
        party(
            "Demo City Council (stand-in)",
            "FR",
            "FR101",
            buyer_legal_type="la",
            main_activity="gen-pub",
        ),
        party(
            "Demo Regional Health Authority (stand-in)",
            "PT",
            "PT111",
            buyer_legal_type="ra",
            main_activity="health",
        ),
        party(
            "Demo Ministry (stand-in)",
            "DE",
            "DE300",
            buyer_legal_type="cga",
            main_activity="gen-pub",
        ),
    ]
    suppliers = [
        party("Demo Software SME (stand-in)", "DE", "DE300", is_sme=True),
        party("Demo Data Startup (stand-in)", "IT", "ITC4C", is_sme=True),
    ]
    return buyers, suppliers


def demo_setup(*, notices_dir: Path | None = None) -> DemoReport:
    if demo_is_set_up():
        return DemoReport(created=False)
    notices_dir = notices_dir or Path(settings.SHARED_DATA_DIR) / "ted" / "notices"
    notices: list[TedNotice] = []
    if notices_dir.is_dir():
        notices = innovation_notices(notices_dir, count=4)
        buyers = [notice.buyer for notice in notices]
        suppliers = [party for party, _codes in innovation_suppliers(notices_dir, count=2)]
        source = f"TED notices in {notices_dir}"
    else:
        buyers, suppliers = _fallback_parties()
        source = "stand-ins (no ../shared/data found)"
    report = DemoReport(created=True, source=source)
    today = timezone.now()
    # The story starts four months ago so that the finished challenge has a real history:
    # every service stamps the moved clock, and the audit chain stays in time order.
    with transaction.atomic(), time_machine.travel(today - STORY_LENGTH, tick=False) as traveller:
        clock = Clock(traveller, today - STORY_LENGTH)
        users = {
            spec.email.split("@")[0]: _account(spec, moderator=spec.email.startswith("moderator@"))
            for spec in ACCOUNTS
        }
        moderator, admin = users["moderator"], users["admin"]
        authorities: list[Organisation] = []
        for index, party in enumerate(buyers[:4]):
            fields = _org_fields(party, OrganisationKind.AUTHORITY)
            if fields is None:
                continue
            org = org_services.organisation_create(actor=admin, **fields)  # type: ignore[arg-type]
            report.organisations.append(org.name)
            # The last authority stays unverified, waiting in the moderator's queue.
            if index < min(3, len(buyers) - 1):
                org_services.organisation_verify(
                    actor=moderator, organisation=org, reason="Demo: identity checked against TED"
                )
                authorities.append(org)
        # Roles come by invitation from the admin (nobody can give roles to themself).
        invitations = [  # (authority, person, is_buyer, is_evaluator)
            (0, "buyer", True, False),
            (0, "evaluator", False, True),
            (0, "member", False, False),
            (1, "cobuyer", True, False),
            (1, "evaluator", False, True),
            (2, "cobuyer", True, False),
        ]
        for org_index, key, is_buyer, is_evaluator in invitations:
            if org_index >= len(authorities):
                continue
            _, token = org_services.invitation_create(
                actor=admin,
                organisation=authorities[org_index],
                email=users[key].email,
                is_buyer=is_buyer,
                is_evaluator=is_evaluator,
            )
            org_services.invitation_accept(actor=users[key], token=token)
        companies: list[Organisation] = []
        for key, party in zip(("supplier", "supplier2"), suppliers, strict=False):
            fields = _org_fields(party, OrganisationKind.COMPANY)
            if fields is None:
                continue
            org = org_services.organisation_create(actor=users[key], **fields)  # type: ignore[arg-type]
            org_services.organisation_verify(actor=moderator, organisation=org)
            report.organisations.append(org.name)
            companies.append(org)
        if len(notices) >= 3 and len(authorities) >= 3 and len(companies) >= 2:
            clock.after(days=1)
            joint = story.joint_challenge(
                clock,
                users=users,
                lead=authorities[0],
                cobuyer_authority=authorities[1],
                companies=companies,
                notice=notices[0],
            )
            report.challenges.append(f"{joint.title} (joint, awarded)")
            clock.at(today)
            current = story.open_challenge(
                clock, buyer=users["cobuyer"], authority=authorities[2], notice=notices[2]
            )
            report.challenges.append(f"{current.title} (open for proposals)")
    return report
