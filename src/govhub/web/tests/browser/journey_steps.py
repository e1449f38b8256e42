"""Steps the long browser journeys share: signing in as a persona (with the authenticator app
the persona fixtures gave it), following a link or button to the next page and checking it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable
from typing import Any

from allauth.mfa.models import Authenticator
from allauth.mfa.utils import decrypt
from django.utils import dateformat
from playwright.sync_api import expect

from govhub.accounts.tests.fixtures import PASSWORD, totp_code
from govhub.challenges.forms import BRUSSELS
from govhub.web.tests.browser.steps import sign_in
from govhub.web.tests.fixtures import assert_page_ok

# (name, eForms award-criterion-type, weight, what is assessed): the open call's criteria.
CRITERIA: list[tuple[str, str, int, str]] = [
    ("Quality of the solution", "quality", 50, "How well it solves the problem for residents."),
    ("Impact and sustainability", "quality", 30, "Impact, energy use and end of life."),
    ("Cost", "cost", 20, "Total cost of ownership over four years."),
]


def stored_totp_secret(user: Any) -> str:
    """The secret of the authenticator app a persona fixture gave the user, as stored."""
    authenticator = Authenticator.objects.get(user=user, type=Authenticator.Type.TOTP)
    return str(decrypt(authenticator.data["secret"]))


def signed_in(make_page: Callable[[], Any], user: Any, *, two_factor: bool = False) -> Any:
    """A browser of the user's own, signed in through the sign-in pages (and the two-factor
    page with a code from their authenticator app), on their account page."""
    page = make_page()
    sign_in(page, user.email, PASSWORD)
    if two_factor:
        expect(page).to_have_url(re.compile(r"/accounts/2fa/authenticate/"))
        assert_page_ok(page, f"two-factor sign-in of {user.email}")
        page.get_by_label("Code").fill(totp_code(stored_totp_secret(user)))
        page.locator("main").get_by_role("button", name="Continue").click()
    expect(page).to_have_url(re.compile(r"/dashboard/$"))
    assert_page_ok(page, f"account page of {user.email}")
    return page


def click_and_check(page: Any, target: Any, label: str = "") -> None:
    """Follow a link or press a form's button, then check the page it leads to."""
    with page.expect_navigation():
        target.click()
    assert_page_ok(page, label or page.url)


def assert_heading(page: Any, text: str) -> None:
    expect(page.locator("main h1")).to_have_text(text)


def labelled(label: str) -> re.Pattern[str]:
    """A field's whole label, whether or not it is marked "(optional)"."""
    return re.compile(rf"^{re.escape(label)}( \(optional\))?$")


def fill_by_label(scope: Any, values: dict[str, str]) -> None:
    """Fill text fields by their labels, as a screen reader user finds them."""
    for label, value in values.items():
        scope.get_by_label(labelled(label)).fill(value)


def pick(page: Any, box_selector: str, typed: str, expected: str) -> None:
    """Type into a reference picker and choose the first suggestion by keyboard."""
    box = page.locator(box_selector)
    box.focus()
    page.keyboard.type(typed)
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator(f"{box_selector}-listbox [role=option]").first).to_contain_text(expected)
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")


def decide_result(page: Any, company_name: str, selected: bool, reason: str) -> None:
    """On a phase's results form: whether the company goes on, and the reason it is told."""
    group = page.get_by_role("group", name=f"Does {company_name} go on?")
    group.get_by_label("Selected" if selected else "Not selected", exact=True).check()
    page.get_by_label(f"Reason given to {company_name}").fill(reason)


def brussels_day(value: dt.datetime) -> str:
    """A date as the pages show it: the day in Brussels, such as "19 March 2027"."""
    return dateformat.format(value.astimezone(BRUSSELS), "j F Y")
