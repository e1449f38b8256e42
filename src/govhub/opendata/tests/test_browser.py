"""The open-data pages in a real browser: axe-clean, silent console (no CSP violation)."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.opendata.services import bulk_files_regenerate
from govhub.web.tests.fixtures import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(make_page: Any, live_server: Any, user: Any) -> Any:
    client = Client()
    client.force_login(user)
    page = make_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def test_the_open_data_page_is_accessible(
    make_page, live_server, opendata_storage, moderator, published_need
):
    bulk_files_regenerate(only=["needs"])
    page = _signed_in_page(make_page, live_server, moderator)
    page.goto("/open-data/")
    expect(page.locator("h1")).to_have_text("Open data")
    expect(page.get_by_role("button", name="Regenerate the files now")).to_be_visible()
    assert_page_ok(page, "open-data page")


def test_the_calendar_page_is_accessible(make_page, live_server, supplier):
    page = _signed_in_page(make_page, live_server, supplier)
    page.goto("/open-data/calendar/")
    assert_page_ok(page, "calendar page")
    page.get_by_role("button", name="Make my calendar address").click()
    expect(page.locator(".govuk-panel__title")).to_have_text("Your calendar address")
    assert_page_ok(page, "calendar address shown")
