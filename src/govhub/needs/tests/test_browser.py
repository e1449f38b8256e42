"""Every needs page in a real browser: axe-clean, silent console, keyboard-usable."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.needs import services
from govhub.needs.models import InnovationNeed, NeedStatus
from govhub.web.tests.fixtures import assert_page_ok

from .fixtures import PARKING_TITLE

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(make_page: Any, live_server: Any, user: Any) -> Any:
    """A browser holding the user's session (signing in itself is the accounts app's test)."""
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


def test_every_page_is_accessible(
    make_page,
    live_server,
    authority,
    buyer,
    cobuyer,
    second_authority,
    published_need,
    draft_need,
    make_need,
):
    make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Free parking spaces in real time",
        problem="Drivers waste time looking for parking in the centre.",
        cpv_codes=["72212100"],
        publish=True,
    )
    interest = services.need_express_interest(
        actor=cobuyer,
        need=published_need,
        authority=second_authority,
        quantity="40 car parks",
        budget_share=80000,
    )

    anonymous = make_page()
    for path, label in [
        ("/needs/?division=72&country=BEL&q=parking", "need list with filters"),
        (f"/needs/{published_need.public_id}/", "published need, anonymous"),
        (f"/needs/plan/{authority.public_id}/", "innovation plan, anonymous"),
    ]:
        anonymous.goto(path)
        assert_page_ok(anonymous, label)

    page = _signed_in_page(make_page, live_server, buyer)
    for path, label in [
        (f"/needs/{published_need.public_id}/", "published need with similar needs"),
        (f"/needs/{draft_need.public_id}/", "draft need"),
        ("/needs/new/", "draft a need"),
        (f"/needs/{published_need.public_id}/edit/", "edit a need"),
        (f"/needs/{draft_need.public_id}/publish/", "publish a need"),
        (f"/needs/{published_need.public_id}/withdraw/", "withdraw a need"),
        (f"/needs/plan/{authority.public_id}/", "innovation plan with drafts"),
    ]:
        page.goto(path)
        assert_page_ok(page, label)
    expect(page.get_by_role("heading", name="Drafts")).to_be_visible()

    page.goto("/needs/new/")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "draft a need with errors")

    # A colleague saved meanwhile: the conflict page keeps the buyer's input.
    page.goto(f"/needs/{published_need.public_id}/withdraw/")
    page.get_by_role("button", name="Withdraw the need").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Give the reason")
    assert_page_ok(page, "withdraw without a reason")
    page.goto(f"/needs/{published_need.public_id}/edit/")
    services.need_update(
        actor=buyer, need=published_need, version=published_need.version, budget_max=260000
    )
    page.get_by_label("Title").fill("Parking occupancy, my version")
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name="Changed by someone else")).to_be_visible()
    expect(page.get_by_label("Title")).to_have_value("Parking occupancy, my version")
    assert_page_ok(page, "edit conflict")

    other = _signed_in_page(make_page, live_server, cobuyer)
    other.goto(f"/needs/{published_need.public_id}/interest/{interest.public_id}/withdraw/")
    assert_page_ok(other, "withdraw interest")
    services.need_withdraw_interest(actor=cobuyer, interest=interest)
    other.goto(f"/needs/{published_need.public_id}/interest/")
    assert_page_ok(other, "express interest")
    other.get_by_role("button", name="Express interest").click()
    expect(other.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(other, "express interest with errors")


def test_buyer_drafts_and_publishes_a_need_with_the_keyboard_only(
    make_page, live_server, buyer, authority
):
    page = _signed_in_page(make_page, live_server, buyer)
    page.goto("/needs/new/")
    page.get_by_label("Title").focus()
    page.keyboard.type(PARKING_TITLE)
    page.keyboard.press("Tab")
    page.keyboard.type("Drivers circle the centre looking for a space.")
    box = page.locator("#id_cpv_codes")
    box.focus()
    page.keyboard.type("72212000")
    expect(box).to_have_attribute("aria-expanded", "true")
    expect(page.locator("#id_cpv_codes-listbox [role=option]").first).to_contain_text("72212000-4")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("[data-picker-selected] li")).to_have_count(1)
    page.get_by_role("button", name="Save draft").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text(PARKING_TITLE)
    page.get_by_role("link", name="Publish the need").focus()
    page.keyboard.press("Enter")
    page.get_by_role("button", name="Publish the need").focus()
    page.keyboard.press("Enter")
    expect(page.locator("main .govuk-tag").first).to_have_text("Published")
    need = InnovationNeed.objects.get()
    assert need.status == NeedStatus.PUBLISHED
    assert [c.code for c in need.cpv_codes.all()] == ["72212000-4"]
    assert_page_ok(page, "published need after keyboard journey")
