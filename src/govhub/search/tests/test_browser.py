"""The search pages in a real browser: axe-clean, silent console, facets usable."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client

from govhub.search.indexing import reindex
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


def test_search_pages_are_accessible(make_page, live_server, supplier, published_need) -> None:
    reindex()
    page = _signed_in_page(make_page, live_server, supplier)
    page.goto(f"{live_server.url}/search/?q=parking")
    assert_page_ok(page, "search results")
    assert page.locator("mark").count() >= 1
    page.get_by_role("link", name="Innovation need").first.click()
    assert "kind=need" in page.url
    assert_page_ok(page, "search with a facet")
    page.get_by_role("button", name="Save search").click()
    assert_page_ok(page, "saved searches")
    assert page.get_by_role("link", name="parking").count() == 1
