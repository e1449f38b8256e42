"""The API's pages in a real browser: axe-clean, silent console (no CSP violation), keyboard."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.api.models import ApiToken
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


def test_the_docs_page_is_accessible(page, reference_data):
    page.goto("/api/v1/docs")
    expect(page.locator("h1")).to_contain_text("GovHub API")
    expect(page.get_by_role("link", name="The OpenAPI 3.1 document (JSON)")).to_be_visible()
    assert_page_ok(page, "API documentation")


def test_an_admin_creates_and_revokes_a_token_with_the_keyboard(
    make_page, live_server, company, supplier
):
    page = _signed_in_page(make_page, live_server, supplier)
    page.goto(f"/organisations/{company.public_id}/api-tokens/")
    assert_page_ok(page, "API tokens page")
    page.get_by_role("button", name="Create token").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "API tokens page with errors")

    page.get_by_label("Name").fill("ERP upload")
    page.get_by_label("Draft, submit and withdraw proposals").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Create token").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-panel__title")).to_have_text("Token created")
    secret = page.locator("#new-token").inner_text().strip()
    assert secret.startswith(ApiToken.objects.get().prefix)
    assert_page_ok(page, "API token created")

    page.get_by_role("button", name="Revoke ERP upload").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main")).to_contain_text("Revoked")
    assert_page_ok(page, "API token revoked")
    assert ApiToken.objects.get().revoked_at is not None
