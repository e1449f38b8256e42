"""The organisation filters refresh the results in place with htmx, in a real browser."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from govhub.web.tests.fixtures import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_changing_a_filter_updates_results_without_reloading(page, company, authority):
    page.goto("/organisations/")
    results = page.locator("#organisation-results")
    expect(results).to_contain_text(company.name)
    expect(results).to_contain_text(authority.name)
    # A marker on the window survives an htmx swap but not a full page load.
    page.evaluate("window.__noReload = true")

    page.get_by_label("Kind").select_option("company")

    expect(results).not_to_contain_text(authority.name)
    expect(results).to_contain_text(company.name)
    expect(page).to_have_url(re.compile(r"kind=company"))
    assert page.evaluate("window.__noReload") is True
    assert_page_ok(page, "organisations filtered with htmx")
