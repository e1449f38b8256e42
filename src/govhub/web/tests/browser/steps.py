"""Steps the browser journeys share: signing up, confirming, signing in, reading emails.

Locators use form field names (allauth's and Django's stable contract) rather than label
wording, which the GOV.UK templates and translations change; axe checks that labels exist.
"""

from __future__ import annotations

import re
import time
from typing import Any

from django.core import mail
from playwright.sync_api import expect

from govhub.web.tests.fixtures import assert_page_ok

PASSWORD = "Tulip-orbit-73-granite"
_LINK = re.compile(r"https?://[^\s<>\"']+")
_TOTP_SECRET = re.compile(r"\b[A-Z2-7]{32}\b")


def submit(page: Any) -> None:
    """Presses the main form's submit button, the way a keyboard user would reach it."""
    page.locator("main form[method=post] button[type=submit]").last.click()


def emails_to(address: str) -> list[Any]:
    return [message for message in mail.outbox if address in message.to]


def link_in_last_email(address: str, path_fragment: str) -> str:
    """The link in the newest email to `address` whose URL contains `path_fragment`."""
    messages = emails_to(address)
    assert messages, f"no email was sent to {address}"
    body = messages[-1].body
    links = [link for link in _LINK.findall(body) if path_fragment in link]
    assert links, f"no link with {path_fragment!r} in the email to {address}:\n{body}"
    return links[0]


def sign_up(page: Any, email: str) -> None:
    page.goto("/accounts/signup/")
    assert_page_ok(page, "sign-up page")
    page.locator("input[name=email]").fill(email)
    page.locator("input[name=password1]").fill(PASSWORD)
    page.locator("input[name=password2]").fill(PASSWORD)
    submit(page)
    expect(page).to_have_url(re.compile(r"/accounts/confirm-email/$"))
    assert_page_ok(page, "check your email page")


def confirm_email(page: Any, email: str) -> None:
    page.goto(link_in_last_email(email, "/accounts/confirm-email/"))
    assert_page_ok(page, "confirm email page")
    submit(page)


def sign_out(page: Any) -> None:
    page.get_by_role("link", name="Sign out").click()
    expect(page).to_have_url(re.compile(r"/accounts/logout/$"))
    assert_page_ok(page, "sign-out page")
    submit(page)
    expect(page.get_by_role("link", name="Sign in")).to_be_visible()


def sign_in(page: Any, email: str, password: str = PASSWORD) -> None:
    page.goto("/accounts/login/")
    assert_page_ok(page, "sign-in page")
    page.locator("input[name=login]").fill(email)
    page.locator("input[name=password]").fill(password)
    submit(page)


def register(page: Any, email: str) -> None:
    """Sign up, confirm from the email and land signed in on the dashboard."""
    sign_up(page, email)
    confirm_email(page, email)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert_page_ok(page, "dashboard after confirming")


def totp_code(secret: str, at: float | None = None) -> str:
    """The RFC 6238 code an authenticator app shows for `secret` (allauth's own HOTP)."""
    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    counter = int(time.time() if at is None else at) // app_settings.TOTP_PERIOD
    return format_hotp_value(hotp_value(secret, counter))


def totp_secret_on_page(page: Any) -> str:
    """The base32 secret the set-up page shows for typing into an app (text or read-only field)."""
    texts: list[str] = page.evaluate(
        """() => [document.querySelector("main").innerText,
                  ...Array.from(document.querySelectorAll("main input"), (i) => i.value)]"""
    )
    for text in texts:
        found = _TOTP_SECRET.search(text.replace(" ", ""))
        if found:
            return found.group(0)
    raise AssertionError(f"no TOTP secret shown on {page.url}")
