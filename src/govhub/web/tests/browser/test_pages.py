"""Public pages in a real browser: axe-clean, no console errors, keyboard and language switching."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from govhub.web.tests.fixtures import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.parametrize(
    ("path", "heading"),
    [
        ("/", "Buy innovation together"),
        ("/accessibility/", "Accessibility statement"),
    ],
)
def test_public_page_is_accessible(page, path, heading):
    page.goto(path)

    expect(page.locator("h1")).to_have_text(heading)
    expect(page.locator("html")).to_have_attribute("lang", "en")
    assert_page_ok(page, path)


def test_footer_leads_to_the_accessibility_statement(page):
    page.goto("/")

    page.get_by_role("contentinfo").get_by_role("link", name="Accessibility statement").click()

    expect(page).to_have_url(re.compile(r"/accessibility/$"))
    expect(page.locator("h1")).to_have_text("Accessibility statement")
    assert_page_ok(page, "accessibility statement from the footer")


@pytest.mark.parametrize(
    ("path", "label"),
    [("/accounts/login/", "sign-in page"), ("/accounts/signup/", "sign-up page")],
)
def test_account_page_is_accessible(page, path, label):
    page.goto(path)

    expect(page.locator("h1")).to_have_count(1)
    expect(page.locator("form input[type=password]").first).to_be_visible()
    assert_page_ok(page, label)


def test_skip_link_is_the_first_tab_stop_and_moves_focus_to_main(page):
    page.goto("/")

    page.keyboard.press("Tab")
    skip_link = page.locator(".govuk-skip-link")
    expect(skip_link).to_be_focused()
    expect(skip_link).to_have_text("Skip to main content")
    # GOV.UK's skip link shows itself when focused: a sighted keyboard user must see it.
    expect(skip_link).to_be_visible()

    page.keyboard.press("Enter")

    expect(page.locator("#main-content")).to_be_focused()
    assert page.url.endswith("#main-content")
    assert_page_ok(page, "home page after the skip link")


def test_language_switcher_changes_language_and_back(page):
    page.goto("/accessibility/")
    switcher = page.locator("nav.govuk-language-navigation")

    switcher.get_by_role("link", name="Français").click()

    expect(page).to_have_url(re.compile(r"/fr/accessibility/$"))
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    # The current language is text, not a link, and says so to assistive technology.
    expect(switcher.locator("[aria-current=true]")).to_have_text("Français")
    assert_page_ok(page, "accessibility statement in French")

    switcher.get_by_role("link", name="English").click()

    expect(page).to_have_url(re.compile(r"^http://[^/]+/accessibility/$"))
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(switcher.locator("[aria-current=true]")).to_have_text("English")
    assert_page_ok(page, "accessibility statement back in English")


@pytest.mark.parametrize("code", ["fr", "de", "it", "lt"])
def test_every_language_serves_the_home_page(page, code):
    page.goto(f"/{code}/")

    expect(page.locator("html")).to_have_attribute("lang", code)
    expect(page.locator("h1")).to_have_count(1)
    assert_page_ok(page, f"home page in {code}")
