"""Notification and privacy pages in a real browser: axe-clean, silent console, usable."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.accounts.tests.fixtures import PASSWORD
from govhub.notifications.models import Notification
from govhub.notifications.tokens import unsubscribe_token
from govhub.web.tests.fixtures import assert_accessible, assert_page_ok

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


def test_every_page_is_accessible(make_page, live_server, outsider, moderator, make_notification):
    make_notification(outsider, subject="Ana replied to your comment")
    make_notification(outsider, subject="An older reply", body="Line one\nLine two")

    page = _signed_in_page(make_page, live_server, outsider)
    for path, label in [
        ("/notifications/", "inbox"),
        ("/notifications/settings/", "email settings"),
        ("/notifications/privacy/", "privacy page"),
        ("/notifications/privacy/erase/", "erase my account"),
    ]:
        page.goto(path)
        assert_page_ok(page, label)

    # Marking one as read with htmx replaces the item in place.
    page.goto("/notifications/")
    # The button's hidden text names the notification it marks.
    mark = page.get_by_role("button", name="Ana replied to your comment")
    mark.click()
    expect(mark).to_have_count(0)
    assert_page_ok(page, "inbox after marking one read")
    assert Notification.objects.filter(read_at__isnull=True).count() == 1
    page.get_by_role("button", name="Mark all as read").click()
    expect(page.get_by_text("You have 0 unread notifications.")).to_be_visible()
    assert_page_ok(page, "inbox, all read")

    page.goto("/notifications/privacy/erase/")
    page.get_by_role("button", name="Erase my account").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "erase my account with errors")

    page.goto("/notifications/settings/")
    page.get_by_role("group", name="Discussions, comments and consultations").get_by_label(
        "One daily summary email"
    ).check()
    page.get_by_role("button", name="Save settings").click()
    expect(page.get_by_text("Your notification settings have been saved.")).to_be_visible()
    assert_page_ok(page, "email settings saved")

    anonymous = make_page()
    token = unsubscribe_token(outsider, "participation")
    anonymous.goto(f"/notifications/unsubscribe/{token}/")
    assert_page_ok(anonymous, "unsubscribe confirmation")
    anonymous.get_by_label("All emails from GovHub").check()
    anonymous.get_by_role("button", name="Unsubscribe").click()
    expect(anonymous.get_by_role("heading", name="You have been unsubscribed")).to_be_visible()
    assert_page_ok(anonymous, "unsubscribed")
    # Answered with status 400, which the browser reports in its console: axe only.
    invalid = make_page()
    response = invalid.goto("/notifications/unsubscribe/not-a-token/")
    assert response is not None
    assert response.status == 400
    assert_accessible(invalid, "invalid unsubscribe link")

    mod = _signed_in_page(make_page, live_server, moderator)
    mod.goto("/notifications/privacy/")
    assert_page_ok(mod, "privacy page of a moderator")
    mod.goto("/notifications/privacy/download-on-request/")
    assert_page_ok(mod, "download on request")
    mod.get_by_role("button", name="Download the data").click()
    expect(mod.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(mod, "download on request with errors")
    mod.goto("/notifications/privacy/erase-on-request/")
    assert_page_ok(mod, "erase on request")
    mod.get_by_role("button", name="Erase the account").click()
    expect(mod.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(mod, "erase on request with errors")


def test_person_erases_their_account_with_the_keyboard(make_page, live_server, outsider):
    page = _signed_in_page(make_page, live_server, outsider)
    page.goto("/notifications/privacy/erase/")
    page.get_by_label("Your password").fill(PASSWORD)
    page.get_by_label("I understand that my account will be erased").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Erase my account").focus()
    page.keyboard.press("Enter")
    expect(page.get_by_role("heading", name="Your account has been erased")).to_be_visible()
    assert_page_ok(page, "account erased")
    outsider.refresh_from_db()
    assert not outsider.is_active
