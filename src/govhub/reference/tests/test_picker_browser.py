"""The picker in a real browser: keyboard-only use, ARIA states, no console errors, axe clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from govhub.web.tests.fixtures import assert_page_ok

pytestmark = pytest.mark.browser


def test_cpv_picker_by_keyboard(page, reference_data):
    page.goto("/reference/")
    assert_page_ok(page, "lookup page")
    box = page.locator("#id_cpv")
    expect(box).to_have_attribute("role", "combobox")
    expect(box).to_have_attribute("aria-expanded", "false")

    box.focus()
    page.keyboard.type("hospital beds")
    expect(box).to_have_attribute("aria-expanded", "true")
    listbox = page.locator("#id_cpv-listbox")
    expect(listbox.locator("[role=option]").first).to_contain_text("33192120-9")
    expect(page.locator(".app-picker [role=status]").first).to_contain_text("result")

    page.keyboard.press("ArrowDown")
    first = listbox.locator("[role=option]").first
    expect(first).to_have_attribute("aria-selected", "true")
    expect(box).to_have_attribute("aria-activedescendant", first.get_attribute("id") or "")
    page.keyboard.press("Enter")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("")
    chosen = page.locator("[data-picker-selected] li")
    expect(chosen).to_have_count(1)
    expect(chosen.first).to_contain_text("Hospital beds")

    # A second code typed by hand, without picking it, is submitted too.
    page.keyboard.type("45215140")
    expect(box).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("Escape")
    expect(box).to_have_attribute("aria-expanded", "false")
    expect(box).to_have_value("45215140")
    nuts = page.locator("#id_nuts")
    nuts.focus()
    page.keyboard.type("lisboa")
    expect(nuts).to_have_attribute("aria-expanded", "true")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    expect(page.locator("#id_nuts")).to_have_value("PT1A0")
    page.locator("main button[type=submit]").click()

    expect(page).to_have_url(re.compile(r"cpv=33192120-9%2C\+45215140"))
    expect(page.locator("main")).to_contain_text("Hospital facilities construction work")
    expect(page.locator("main")).to_contain_text("Grande Lisboa")
    assert_page_ok(page, "lookup results")


def test_chosen_codes_can_be_removed(page, reference_data):
    page.goto("/reference/?cpv=45215140-0%2C+03000000-1")
    chosen = page.locator("[data-picker-selected] li")
    expect(chosen).to_have_count(2)
    chosen.first.get_by_role("button").click()
    expect(chosen).to_have_count(1)
    assert page.locator("input[type=hidden][name=cpv]").input_value() == "03000000-1"
    expect(page.locator("#id_cpv")).to_be_focused()
    assert_page_ok(page, "lookup page after removing a code")


def test_unknown_code_error_keeps_the_input(page, reference_data):
    page.goto("/reference/?cpv=99999999")
    expect(page.locator(".govuk-error-summary")).to_contain_text("99999999")
    expect(page.locator("#id_cpv")).to_have_value("99999999")
    assert_page_ok(page, "lookup page with an error")


ADD = """([selector, detail]) => {
    const event = new CustomEvent("govhub:picker-add", {
        detail, bubbles: true, cancelable: true,
    });
    return !document.querySelector(selector).dispatchEvent(event);
}"""


def test_other_scripts_add_a_code_through_the_picker_add_event(page, reference_data):
    searches: list[str] = []
    page.on(
        "request",
        lambda request: searches.append(request.url) if "/suggest/" in request.url else None,
    )
    page.goto("/reference/")
    box = page.locator("#id_cpv")
    expect(box).to_have_attribute("role", "combobox")
    box.fill("h")  # what the person is typing stays theirs

    # Dispatched on the input, it bubbles to the picker, which takes it and says so.
    detail = {"code": "33192120-9", "label": "Hospital beds"}
    assert page.evaluate(ADD, ["#id_cpv", detail]) is True
    chosen = page.locator("[data-picker-selected] li")
    expect(chosen).to_have_count(1)
    expect(chosen.first).to_contain_text("33192120-9 Hospital beds")
    status = page.locator(".app-picker:has(#id_cpv) [role=status]")
    expect(status).to_have_text("Selected: 33192120-9 Hospital beds")
    expect(box).to_have_value("h")
    assert page.locator("input[type=hidden][name=cpv]").input_value() == "33192120-9"

    # A second code joins the first; an event without a code is left for the sender.
    assert page.evaluate(ADD, ["[data-app-picker]:has(#id_cpv)", {"code": "03000000-1"}])
    expect(chosen).to_have_count(2)
    assert page.evaluate(ADD, ["#id_cpv", {"label": "nothing"}]) is False
    expect(chosen).to_have_count(2)

    # A single-choice picker (NUTS) replaces its region and shows the code in its input.
    assert page.evaluate(ADD, ["#id_nuts", {"code": "PT1A0", "label": "Grande Lisboa"}])
    expect(page.locator("#id_nuts")).to_have_value("PT1A0")
    assert searches == []
    assert_page_ok(page, "lookup page after codes added by event")

    box.fill("")
    page.locator("main button[type=submit]").click()
    expect(page).to_have_url(re.compile(r"cpv=33192120-9%2C\+03000000-1&nuts=PT1A0"))
    expect(page.locator("main")).to_contain_text("Grande Lisboa")
