"""CPV suggestions and recommendation panels in a real browser: axe-clean, silent console
(the site's CSP stays on), keyboard-usable, and the forms still work without JavaScript."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.needs.models import InnovationNeed
from govhub.needs.tests.fixtures import cpv
from govhub.search.indexing import reindex
from govhub.web.tests.fixtures import DEFAULT_TIMEOUT_MS, assert_page_ok, console_errors

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

SUGGESTION = "[data-cpv-suggest] [data-cpv-code='{}']"
CHOSEN = "[data-picker-selected] li[data-code='{}']"
LOADED = "[data-recommendations='{}'][data-recommendations-loaded]"
PICKER_SEARCH = "/reference/cpv/suggest/"
SUGGEST_URL = "/matching/cpv-suggest/"
PICKER_STATUS = "[data-app-picker]:has(#id_cpv_codes) [role=status]"


def _session_cookie(live_server: Any, user: Any) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


def signed_in_page(make_page: Any, live_server: Any, user: Any) -> Any:
    """A browser holding the user's session (signing in itself is the accounts app's test)."""
    page = make_page()
    page.context.add_cookies([_session_cookie(live_server, user)])
    return page


def test_buyer_types_a_need_gets_suggestions_and_picks_one_with_the_keyboard(
    make_page, live_server, buyer, authority, small_model
) -> None:
    page = signed_in_page(make_page, live_server, buyer)
    # The draft text travels in a POST body (with the CSRF token), never in the address.
    suggest_requests: list[Any] = []
    page.on(
        "request",
        lambda request: suggest_requests.append(request) if SUGGEST_URL in request.url else None,
    )
    page.goto("/needs/new/")
    box = page.locator("[data-cpv-suggest]")
    expect(box).to_be_visible()  # shown by the script; hidden without it
    assert_page_ok(page, "need form before typing")

    page.get_by_label("Title").fill("Parking guidance sensors")
    page.get_by_label("The problem").fill(
        "We want real-time occupancy of our car parks and open data on free spaces."
    )
    suggestion = page.locator(SUGGESTION.format("34970000-7"))
    expect(suggestion).to_be_visible()
    expect(box.locator("[role=status]")).to_contain_text("CPV codes suggested")
    assert 1 <= box.locator("[data-cpv-code]").count() <= 5
    expect(box).to_contain_text("% confidence")
    assert suggest_requests
    for request in suggest_requests:
        assert request.method == "POST"
        assert "?" not in request.url
        assert "car parks" in (request.post_data or "").replace("+", " ")
        assert request.headers.get("x-csrftoken")
    assert_page_ok(page, "need form with CPV suggestions")

    # Keyboard only: the suggestions are buttons; Enter adds the code to the CPV picker,
    # through the picker's "govhub:picker-add" event: no search in the picker on the way.
    picker_searches: list[str] = []
    page.on(
        "request",
        lambda request: (
            picker_searches.append(request.url) if PICKER_SEARCH in request.url else None
        ),
    )
    suggestion.focus()
    page.keyboard.press("Enter")
    expect(page.locator(CHOSEN.format("34970000-7"))).to_be_visible()
    expect(page.locator(PICKER_STATUS)).to_contain_text("Selected: 34970000-7")
    expect(page.locator("#id_cpv_codes")).to_have_value("")
    assert picker_searches == []
    expect(suggestion).to_have_attribute("aria-disabled", "true")
    expect(suggestion).to_be_focused()
    assert_page_ok(page, "need form after picking a suggestion")

    # Pressing it again adds nothing twice.
    page.keyboard.press("Enter")
    expect(page.locator(CHOSEN.format("34970000-7"))).to_have_count(1)

    page.get_by_role("button", name="Save draft").click()
    expect(page.get_by_role("heading", name="Parking guidance sensors")).to_be_visible()
    need = InnovationNeed.objects.get(title="Parking guidance sensors")
    assert [c.digits for c in need.cpv_codes.all()] == ["34970000"]
    assert_page_ok(page, "need saved with the suggested code")


def test_challenge_form_suggests_codes_and_a_click_picks_one(
    make_page, live_server, buyer, authority, small_model
) -> None:
    page = signed_in_page(make_page, live_server, buyer)
    page.goto("/challenges/new/")
    status = page.locator("[data-cpv-suggest] [role=status]")
    page.get_by_label("Title").fill("Zzyzx qwv")
    expect(status).to_have_text("No CPV code to suggest for this text yet: write a little more.")
    page.get_by_label("Title").fill("A mobile app for the city")
    page.locator("#id_summary").fill("Software development of a mobile app for residents.")
    suggestion = page.locator(SUGGESTION.format("72212000-4"))
    expect(suggestion).to_be_visible()
    assert_page_ok(page, "challenge form with CPV suggestions")
    suggestion.click()
    expect(page.locator(CHOSEN.format("72212000-4"))).to_be_visible()
    assert_page_ok(page, "challenge form after picking a suggestion")


def test_too_many_suggestions_are_explained_not_reported_as_a_failure(
    make_page, live_server, buyer, authority, small_model, settings
) -> None:
    # A day's window: the test cannot straddle two windows and see its count reset.
    settings.GOVHUB_API_RATE_ANON = "1/d"
    page = signed_in_page(make_page, live_server, buyer)
    page.goto("/challenges/new/")
    status = page.locator("[data-cpv-suggest] [role=status]")
    page.get_by_label("Title").fill("A mobile app for the city")
    expect(page.locator("[data-cpv-suggest] [data-cpv-code]").first).to_be_visible()
    page.get_by_label("Title").fill("Parking sensors for car parks")
    message = "Too many suggestions were asked for from your address."
    expect(page.locator("[data-cpv-suggest] [data-cpv-empty]")).to_contain_text(message)
    expect(status).to_contain_text(message)
    # The browser logs every 429 response; that one is the point of the test, nothing else is.
    errors = console_errors(page)
    assert [e for e in errors if "status of 429" in e and SUGGEST_URL in e] == errors[:1]
    errors.clear()
    assert_page_ok(page, "challenge form after too many suggestions")


def test_company_describes_its_capabilities_and_picks_a_suggestion(
    make_page, live_server, supplier, company, small_model
) -> None:
    page = signed_in_page(make_page, live_server, supplier)
    page.goto(f"/organisations/{company.public_id}/edit/")
    page.locator("#id_description").fill("We cook for school canteens: catering services.")
    suggestion = page.locator(SUGGESTION.format("55520000-1"))
    expect(suggestion).to_be_visible()
    assert_page_ok(page, "company form with CPV suggestions")
    suggestion.focus()
    page.keyboard.press("Space")
    expect(page.locator(CHOSEN.format("55520000-1"))).to_be_visible()
    page.get_by_role("button", name="Save changes").click()
    expect(page.get_by_role("heading", name=company.name)).to_be_visible()
    company.refresh_from_db()
    assert "55520000" in {c.digits for c in company.cpv_capabilities.all()}


def test_without_javascript_the_form_still_takes_typed_codes(
    browser, live_server, buyer, authority, small_model
) -> None:
    context = browser.new_context(
        base_url=live_server.url, locale="en-GB", java_script_enabled=False
    )
    context.set_default_timeout(DEFAULT_TIMEOUT_MS)
    try:
        context.add_cookies([_session_cookie(live_server, buyer)])
        page = context.new_page()
        page.goto("/needs/new/")
        expect(page.locator("[data-cpv-suggest]")).to_be_hidden()
        page.get_by_label("Title").fill("Catering without scripts")
        page.locator("#id_cpv_codes").fill("55520000-1")
        page.get_by_role("button", name="Save draft").click()
        expect(page.get_by_role("heading", name="Catering without scripts")).to_be_visible()
    finally:
        context.close()
    need = InnovationNeed.objects.get(title="Catering without scripts")
    assert [c.digits for c in need.cpv_codes.all()] == ["55520000"]


def test_recommendation_panels_are_accessible(
    make_page,
    live_server,
    buyer,
    supplier,
    company,
    published_need,
    make_need,
    cobuyer,
    second_authority,
    make_challenge,
    make_solution,
    moderator,
    small_model,
) -> None:
    make_solution(
        actor=supplier,
        provider=company,
        publish_by=moderator,
        name="ParkSense",
        summary="Shows how full car parks are.",
        cpv_codes=[cpv("72212000")],
    )
    make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Parking sensors in Lisbon car parks",
        problem="We do not know how full our public car parks are in real time.",
        cpv_codes=["72212000"],
        publish=True,
    )
    challenge = make_challenge(title="Open data on parking occupancy", open_first=True)
    reindex()

    page = signed_in_page(make_page, live_server, buyer)
    page.goto(f"/needs/{published_need.public_id}/")
    panel = page.locator(LOADED.format("need"))  # fetched by htmx after the page
    expect(panel.get_by_role("heading", name="Recommended for this need")).to_be_visible()
    expect(panel.get_by_role("link", name="ParkSense")).to_be_visible()
    expect(panel).to_contain_text("Why:")
    assert_page_ok(page, "need page with recommendations")
    # The same panel on a page of its own: where the placeholder's link leads without scripts.
    page.goto(f"/matching/recommendations/need/{published_need.public_id}/")
    expect(page.get_by_role("link", name="Parking sensors in Lisbon car parks")).to_be_visible()
    assert_page_ok(page, "recommendations page of a need")

    page.goto(f"/challenges/{challenge.public_id}/")
    panel = page.locator(LOADED.format("challenge"))
    expect(panel.get_by_role("link", name=company.name)).to_be_visible()
    assert_page_ok(page, "challenge page with recommendations")

    member = signed_in_page(make_page, live_server, supplier)
    member.goto(f"/organisations/{company.public_id}/")
    panel = member.locator(LOADED.format("company"))
    expect(panel.get_by_role("link", name=challenge.title)).to_be_visible()
    assert_page_ok(member, "company page with recommendations")


def test_every_other_touched_page_is_accessible(
    make_page, live_server, buyer, supplier, company, published_need, challenge_draft, small_model
) -> None:
    reindex()
    page = signed_in_page(make_page, live_server, buyer)
    for path, label in [
        (f"/needs/{published_need.public_id}/edit/", "need edit form"),
        (f"/challenges/{challenge_draft.public_id}/edit/", "challenge edit form"),
        (f"/challenges/{challenge_draft.public_id}/", "draft challenge page"),
        (f"/matching/recommendations/challenge/{challenge_draft.public_id}/", "its own page"),
    ]:
        page.goto(path)
        if "/edit/" in path:
            # The saved texts give suggestions at once.
            expect(page.locator("[data-cpv-suggest] [data-cpv-code]").first).to_be_visible()
        else:
            expect(page.locator(LOADED.format("challenge"))).to_be_visible()
        assert_page_ok(page, label)

    member = signed_in_page(make_page, live_server, supplier)
    member.goto("/organisations/new/?kind=company")
    expect(member.locator("[data-cpv-suggest]")).to_be_visible()
    member.locator("#id_description").fill("Software development of a mobile app")
    expect(member.locator(SUGGESTION.format("72212000-4"))).to_be_visible()
    assert_page_ok(member, "company creation form with suggestions")
    member.goto(f"/matching/recommendations/company/{company.public_id}/")
    expect(member.get_by_role("heading", level=1)).to_have_text("Opportunities you could win")
    assert_page_ok(member, "company recommendations on a page of their own")
