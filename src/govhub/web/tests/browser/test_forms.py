"""Forms in a real browser: error states and the reference picker, keyboard only, axe-clean."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from govhub.accounts.tests.fixtures import PASSWORD as MAKE_USER_PASSWORD
from govhub.accounts.tests.fixtures import confirm_address
from govhub.organisations.models import Organisation
from govhub.reference.models import CodelistEntry, Country, CpvCode
from govhub.reference.selectors import search_text_for
from govhub.web.tests.browser.steps import sign_in
from govhub.web.tests.fixtures import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _labelled(model, **fields):
    labels = fields.pop("labels")
    return model.objects.create(labels=labels, search_text=search_text_for(labels), **fields)


@pytest.fixture
def company_reference(transactional_db):
    _labelled(Country, code="BEL", alpha2="BE", is_eu=True, labels={"en": "Belgium"})
    _labelled(
        CodelistEntry, codelist="economic-operator-size", code="micro", labels={"en": "Micro"}
    )
    division = _labelled(
        CpvCode, code="38000000-5", digits="38000000", level=2, labels={"en": "Laboratory"}
    )
    for code, label in [
        ("38430000-8", "Detection and analysis apparatus"),
        ("38431000-5", "Detection apparatus"),
    ]:
        _labelled(
            CpvCode,
            code=code,
            digits=code[:8],
            level=4 if code.endswith("0000-8") else 5,
            parent=division,
            labels={"en": label},
        )


def test_sign_in_errors_are_summarised_and_focused(page):
    page.goto("/accounts/login/")

    page.locator("main form").get_by_role("button", name=re.compile("Sign in")).click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_visible()
    # GOV.UK Frontend moves focus to the summary so screen readers announce it at once.
    expect(summary).to_be_focused()
    expect(page).to_have_title(re.compile(r"^Error: "))
    assert_page_ok(page, "sign-in page with errors")

    summary.get_by_role("link").first.click()
    expect(page.locator("input[name=login]")).to_be_focused()


def test_organisation_form_errors_and_cpv_picker_by_keyboard(
    make_page, make_user, company_reference
):
    user = make_user("maker@example.eu", display_name="Mia Maker")
    confirm_address(user)
    page = make_page()
    sign_in(page, user.email, MAKE_USER_PASSWORD)
    expect(page).to_have_url(re.compile(r"/dashboard/$"))

    page.goto("/organisations/new/?kind=company")
    main = page.locator("main")
    main.get_by_role("button", name="Create organisation").click()

    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Enter the organisation’s name")
    assert_page_ok(page, "company form with errors")

    main.get_by_label("Name", exact=True).fill("Detectors SRL")
    main.get_by_label("Country").select_option(label="Belgium")
    main.get_by_role("radio", name="Micro").check()
    picker = main.get_by_role("combobox", name=re.compile("CPV codes"))
    picker.press_sequentially("detection")
    listbox = main.get_by_role("listbox")
    expect(listbox.get_by_role("option")).to_have_count(2)
    expect(picker).to_have_attribute("aria-expanded", "true")
    assert_page_ok(page, "CPV picker with suggestions open")

    picker.press("ArrowDown")
    expect(listbox.get_by_role("option").first).to_have_attribute("aria-selected", "true")
    expect(picker).to_have_attribute("aria-activedescendant", re.compile(r".+"))
    picker.press("Enter")

    expect(picker).to_have_attribute("aria-expanded", "false")
    chosen = main.locator("[data-picker-selected] li")
    expect(chosen).to_have_count(1)
    expect(chosen).to_contain_text("38430000-8")
    assert_page_ok(page, "CPV picker after choosing a code")

    main.get_by_role("button", name="Create organisation").click()
    expect(page.locator("h1")).to_have_text("Detectors SRL")
    org = Organisation.objects.get(name="Detectors SRL")
    assert [c.code for c in org.cpv_capabilities.all()] == ["38430000-8"]
    assert_page_ok(page, "company page with its CPV capability")


def test_reference_lookup_page_is_accessible(page, company_reference):
    page.goto("/reference/")

    expect(page.locator("h1")).to_have_text("Look up CPV codes and NUTS regions")
    assert_page_ok(page, "reference lookup page")
