"""The GOV.UK error summary in a real browser: its links reach the field, radios included."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from govhub.accounts.tests.fixtures import PASSWORD as MAKE_USER_PASSWORD
from govhub.accounts.tests.fixtures import confirm_address
from govhub.reference.models import CodelistEntry, Country
from govhub.reference.selectors import search_text_for
from govhub.web.tests.browser.steps import sign_in
from govhub.web.tests.fixtures import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_error_summary_link_to_a_radio_group_focuses_its_first_option(make_page, make_user):
    Country.objects.create(
        code="BEL", alpha2="BE", is_eu=True, labels={"en": "Belgium"}, search_text="belgium"
    )
    for code in ("micro", "small"):
        CodelistEntry.objects.create(
            codelist="economic-operator-size",
            code=code,
            labels={"en": code.title()},
            search_text=search_text_for({"en": code.title()}),
        )
    user = make_user("maker@example.eu", display_name="Mia Maker")
    confirm_address(user)
    page = make_page()
    sign_in(page, user.email, MAKE_USER_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto("/organisations/new/?kind=company")
    main = page.locator("main")
    main.get_by_label("Name", exact=True).fill("Detectors SRL")
    main.get_by_label("Country").select_option(label="Belgium")
    main.get_by_role("button", name="Create organisation").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    link = summary.get_by_role("link", name="Choose the company’s size")
    expect(link).to_have_attribute("href", "#id_size_0")
    assert_page_ok(page, "company form with a radio error")

    link.click()
    expect(main.get_by_role("radio", name="Micro")).to_be_focused()
