"""Account pages in a real browser: axe-clean (WCAG 2.1 AA), no console errors (CSP kept on)."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from govhub.accounts.tests.fixtures import PASSWORD, totp_code
from govhub.web.tests.fixtures import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, email: str) -> None:
    page.goto("/accounts/login/")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(PASSWORD)
    page.locator("main").get_by_role("button", name="Sign in").click()


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/accounts/password/reset/", "Reset your password"),
        ("/accounts/password/reset/done/", "Check your email"),
        ("/accounts/confirm-email/", "Check your email"),
        (
            "/accounts/confirm-email/not-a-key/",
            "This confirmation link has expired or is not valid",
        ),
        ("/accounts/inactive/", "This account is inactive"),
    ],
)
def test_entrance_pages_are_accessible(page, path, heading):
    page.goto(path)
    expect(page.locator("h1")).to_have_text(heading)
    assert_page_ok(page, path)


def test_signed_in_account_pages_are_accessible(page, verified_user, settings):
    settings.MFA_TOTP_TOLERANCE = 1
    sign_in(page, verified_user.email)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    for path, heading in [
        ("/accounts/profile/", "Your profile"),
        ("/accounts/email/", "Email addresses"),
        ("/accounts/password/change/", "Change your password"),
        ("/accounts/reauthenticate/", "Confirm it is you"),
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/logout/", "Sign out"),
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_have_text(heading)
        assert_page_ok(page, path)

    # The profile's error state: summary, field error, the input kept.
    page.goto("/accounts/profile/")
    page.get_by_label("Time zone").fill("Mars/Olympus_Mons")
    page.get_by_role("button", name="Save profile").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Time zone")).to_have_value("Mars/Olympus_Mons")
    assert_page_ok(page, "profile with an error")

    # Two-factor set-up, with a wrong code first.
    page.goto("/accounts/2fa/totp/activate/")
    expect(page.get_by_role("img")).to_have_attribute("alt", re.compile("QR code"))
    secret = page.locator("#totp-secret").inner_text()
    code = totp_code(secret)
    page.get_by_label("Security code").fill(f"{(int(code) + 1) % 1_000_000:06d}")
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "TOTP set-up with a wrong code")
    page.get_by_label("Security code").fill(code)
    page.get_by_role("button", name="Turn on two-factor authentication").click()
    expect(page).to_have_url(re.compile(r"/accounts/2fa/recovery-codes/$"))
    expect(page.locator("h1")).to_have_text("Recovery codes")
    assert_page_ok(page, "recovery codes after set-up")

    for path, heading in [
        ("/accounts/2fa/", "Two-factor authentication"),
        ("/accounts/2fa/recovery-codes/generate/", "Generate new recovery codes"),
        ("/accounts/2fa/totp/deactivate/", "Turn off your authenticator app"),
        ("/accounts/2fa/reauthenticate/", "Confirm it is you"),
    ]:
        page.goto(path)
        expect(page.locator("h1")).to_have_text(heading)
        assert_page_ok(page, path)

    # Signing in again asks for the code; a wrong one is refused accessibly.
    page.goto("/accounts/logout/")
    page.locator("main").get_by_role("button", name="Sign out").click()
    sign_in(page, verified_user.email)
    expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/$"))
    assert_page_ok(page, "two-factor sign-in")
    page.get_by_label("Security code").fill("abc")
    page.get_by_role("button", name="Continue").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "two-factor sign-in with a wrong code")
