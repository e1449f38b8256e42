"""The issue's journeys end to end in a real browser; every page visited must pass axe-core.

"register → confirm → log in → create an organisation → invite a member → switch language",
and the buyer's way in: a verified authority, the buyer role, mandatory TOTP set-up.
"""

from __future__ import annotations

import re

import pytest
from allauth.mfa.models import Authenticator
from django.conf import settings
from django.core.cache import cache
from playwright.sync_api import expect

from govhub.accounts.tests.fixtures import PASSWORD as MAKE_USER_PASSWORD
from govhub.accounts.tests.fixtures import confirm_address, give_totp
from govhub.organisations.models import Membership, Organisation, VerificationStatus
from govhub.reference.models import CodelistEntry, Country
from govhub.reference.selectors import search_text_for
from govhub.web.tests.browser.steps import (
    link_in_last_email,
    register,
    sign_in,
    sign_out,
    totp_code,
    totp_secret_on_page,
)
from govhub.web.tests.fixtures import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _labelled(model, **fields):
    labels = fields.pop("labels")
    return model.objects.create(labels=labels, search_text=search_text_for(labels), **fields)


@pytest.fixture
def reference_rows(transactional_db):
    """The few reference rows the organisation forms offer (a live server sees no fixtures
    loaded into a rolled-back transaction, so they are real rows, flushed after the test)."""
    rows = {
        "lithuania": _labelled(
            Country, code="LTU", alpha2="LT", is_eu=True, labels={"en": "Lithuania"}
        ),
        "france": _labelled(Country, code="FRA", alpha2="FR", is_eu=True, labels={"en": "France"}),
    }
    for code, label in [
        ("micro", "Micro enterprise"),
        ("small", "Small enterprise"),
        ("medium", "Medium enterprise"),
        ("large", "Large enterprise"),
    ]:
        rows[code] = _labelled(
            CodelistEntry, codelist="economic-operator-size", code=code, labels={"en": label}
        )
    rows["ra"] = _labelled(
        CodelistEntry, codelist="buyer-legal-type", code="ra", labels={"en": "Regional authority"}
    )
    rows["gen-pub"] = _labelled(
        CodelistEntry,
        codelist="main-activity",
        code="gen-pub",
        labels={"en": "General public services"},
    )
    return rows


def _translated(code: str) -> bool:
    return (settings.PACKAGE_DIR / "locale" / code / "LC_MESSAGES" / "django.po").exists()


@pytest.fixture(autouse=True)
def _fresh_cache():
    # Rate-limit counters and used TOTP codes live in the database cache, whose table a
    # transactional test's flush leaves alone: start each journey with none.
    cache.clear()


def test_register_confirm_sign_in_create_organisation_invite_and_switch_language(
    make_page, reference_rows
):
    founder = make_page()
    register(founder, "founder@example.eu")

    # Log in again from scratch, as someone coming back the next day would.
    sign_out(founder)
    sign_in(founder, "founder@example.eu")
    expect(founder).to_have_url(re.compile(r"/dashboard/$"))
    assert_page_ok(founder, "dashboard after signing in")

    # Create an organisation: a company (no two-factor authentication needed).
    founder.get_by_role("link", name="Create an organisation").click()
    expect(founder).to_have_url(re.compile(r"/organisations/new/$"))
    assert_page_ok(founder, "create organisation: choose the kind")
    founder.get_by_role("radio", name="Company").check()
    founder.get_by_role("button", name="Continue").click()
    expect(founder).to_have_url(re.compile(r"/organisations/new/\?kind=company"))
    assert_page_ok(founder, "create organisation: about the company")
    main = founder.locator("main")
    main.get_by_label("Name", exact=True).fill("Baltic Sensors UAB")
    main.get_by_label("Country").select_option(label="Lithuania")
    main.get_by_role("radio", name="Small enterprise").check()
    main.get_by_role("button", name="Create organisation").click()

    expect(founder.locator("h1")).to_have_text("Baltic Sensors UAB")
    org = Organisation.objects.get(name="Baltic Sensors UAB")
    expect(founder).to_have_url(re.compile(rf"/organisations/{org.public_id}/$"))
    assert_page_ok(founder, "organisation page after creating it")
    assert Membership.objects.get(organisation=org, user__email="founder@example.eu").is_admin

    # Invite a member by email from the members page.
    founder.get_by_role("link", name="Manage members").click()
    expect(founder).to_have_url(re.compile(rf"/organisations/{org.public_id}/members/$"))
    assert_page_ok(founder, "members page")
    invite = founder.locator("main form", has=founder.locator("input[name=email]"))
    invite.get_by_label("Email address").fill("colleague@example.eu")
    invite.get_by_role("button", name="Send invitation").click()
    pending = founder.locator("main table", has_text="colleague@example.eu")
    expect(pending).to_be_visible()
    assert_page_ok(founder, "members page after inviting")
    accept_url = link_in_last_email("colleague@example.eu", "/organisations/invitations/")

    # The invitee, in a browser of their own: sign up, confirm, accept.
    colleague = make_page()
    register(colleague, "colleague@example.eu")
    colleague.goto(accept_url)
    expect(colleague.locator("h1")).to_have_text("Invitation to join Baltic Sensors UAB")
    assert_page_ok(colleague, "accept invitation page")
    colleague.get_by_role("button", name="Accept and join").click()
    expect(colleague.locator("h1")).to_have_text("Baltic Sensors UAB")
    expect(colleague.locator("main")).to_contain_text("You are a member")
    assert_page_ok(colleague, "organisation page after accepting the invitation")
    assert Membership.objects.filter(organisation=org, user__email="colleague@example.eu").exists()
    colleague.get_by_role("link", name="Your account").click()
    expect(colleague.locator("main").get_by_role("link", name="Baltic Sensors UAB")).to_be_visible()
    assert_page_ok(colleague, "dashboard with the new membership")

    # Switch language on the members page and stay on it.
    founder.reload()
    expect(founder.locator("main")).to_contain_text("colleague@example.eu")
    founder.locator("nav.govuk-language-navigation").get_by_role("link", name="Lietuvių").click()
    expect(founder).to_have_url(re.compile(rf"/lt/organisations/{org.public_id}/members/$"))
    expect(founder.locator("html")).to_have_attribute("lang", "lt")
    expect(founder.locator("main")).to_contain_text("Baltic Sensors UAB")
    if _translated("lt"):
        expect(founder.locator("h1")).not_to_have_text("Members")
    assert_page_ok(founder, "members page in Lithuanian")


def test_the_lithuanian_pages_are_translated(page):
    """Until translations land the switch only changes `lang`: this says so, then guards them."""
    if not _translated("lt"):
        pytest.skip("no src/govhub/locale/lt/LC_MESSAGES/django.po yet: translations come later")
    page.goto("/lt/")
    expect(page.locator("html")).to_have_attribute("lang", "lt")
    expect(page.locator("h1")).not_to_have_text("Buy innovation together")
    expect(page.get_by_role("link", name="Skip to main content")).to_have_count(0)
    assert_page_ok(page, "home page in Lithuanian")


def test_buyer_is_sent_to_set_up_two_factor_authentication(
    make_page, reference_rows, make_user, settings
):
    # One step of leeway either side, as authenticator apps get: the code is computed a few
    # milliseconds before the server checks it and may straddle a 30-second boundary.
    settings.MFA_TOTP_TOLERANCE = 1
    admin = make_user("admin@region.example.eu", display_name="Ada Admin")
    member = make_user("buyer@region.example.eu", display_name="Bo Buyer")
    moderator = make_user("mod@govhub.example.eu", display_name="Mo Moderator", is_moderator=True)
    for user in (admin, member, moderator):
        confirm_address(user)
    # Moderators need two-factor authentication too: this one set it up long ago.
    moderator_secret = give_totp(moderator)
    authority = Organisation.objects.create(
        kind="authority",
        name="Vilnius Region",
        country=reference_rows["lithuania"],
        buyer_legal_type=reference_rows["ra"],
    )
    Membership.objects.create(organisation=authority, user=admin, is_admin=True)
    membership = Membership.objects.create(organisation=authority, user=member)

    # A moderator signs in with a code and verifies the authority.
    mod_page = make_page()
    sign_in(mod_page, moderator.email, MAKE_USER_PASSWORD)
    expect(mod_page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
    assert_page_ok(mod_page, "two-factor sign-in page")
    mod_page.get_by_label("Code").fill(totp_code(moderator_secret))
    mod_page.locator("main").get_by_role("button", name="Continue").click()
    expect(mod_page).to_have_url(re.compile(r"/dashboard/$"))
    mod_page.goto(f"/organisations/{authority.public_id}/")
    assert_page_ok(mod_page, "authority page seen by a moderator")
    mod_page.get_by_role("link", name=re.compile(r"^Verify or suspend")).click()
    assert_page_ok(mod_page, "moderation page")
    mod_page.get_by_role("radio", name="Verify").check()
    mod_page.get_by_role("button", name="Confirm decision").click()
    expect(mod_page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_page_ok(mod_page, "after verifying")
    authority.refresh_from_db()
    assert authority.status == VerificationStatus.VERIFIED

    # Its admin gives the member the buyer role.
    admin_page = make_page()
    sign_in(admin_page, admin.email, MAKE_USER_PASSWORD)
    expect(admin_page).to_have_url(re.compile(r"/dashboard/$"))
    admin_page.goto(f"/organisations/{authority.public_id}/members/")
    assert_page_ok(admin_page, "authority members page")
    admin_page.get_by_role("link", name="Change roles of Bo Buyer").click()
    expect(admin_page.locator("h1")).to_have_text("Roles of Bo Buyer")
    assert_page_ok(admin_page, "change roles page")
    admin_page.get_by_role("checkbox", name=re.compile(r"^Buyer")).check()
    admin_page.get_by_role("button", name="Save roles").click()
    expect(admin_page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_page_ok(admin_page, "after changing roles")
    membership.refresh_from_db()
    assert membership.is_buyer

    # The buyer signs in and is sent to set up an authenticator app before anything else.
    buyer_page = make_page()
    sign_in(buyer_page, member.email, MAKE_USER_PASSWORD)
    expect(buyer_page).to_have_url(re.compile(r"/accounts/(reauthenticate|2fa/totp/activate)/"))
    if "/reauthenticate/" in buyer_page.url:
        # allauth (65.21) asks for the password again before adding an authenticator, even
        # straight after signing in: only an explicit re-authentication counts as recent.
        expect(buyer_page.locator("h1")).to_have_text("Confirm it is you")
        assert_page_ok(buyer_page, "re-authentication page")
        buyer_page.locator("main form").get_by_label("Password").fill(MAKE_USER_PASSWORD)
        buyer_page.locator("main form").get_by_role("button", name="Continue").click()
    expect(buyer_page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    expect(buyer_page.locator("h1")).to_have_text("Set up an authenticator app")
    assert_page_ok(buyer_page, "TOTP set-up page")
    buyer_page.goto(f"/organisations/{authority.public_id}/")
    expect(buyer_page).to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    secret = totp_secret_on_page(buyer_page)
    buyer_page.locator("main form").get_by_label("Code").fill(totp_code(secret))
    buyer_page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(buyer_page).not_to_have_url(re.compile(r"/accounts/2fa/totp/activate/$"))
    assert_page_ok(buyer_page, "after turning on two-factor authentication")
    assert Authenticator.objects.filter(user=member, type=Authenticator.Type.TOTP).exists()
    buyer_page.goto(f"/organisations/{authority.public_id}/")
    expect(buyer_page.locator("main")).to_contain_text("You are a member (Member, Buyer)")
    assert_page_ok(buyer_page, "authority page seen by its buyer")
