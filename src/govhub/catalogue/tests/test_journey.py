"""The catalogue journey in a real browser, axe-checked at every step:

a company member adds a solution and completes both assessments → proposes it → a moderator
publishes it → a buyer finds it by facets, records that the authority uses it and reviews it.

The two assessments' questionnaires are answered through the assessments app's services (its
own pages have their own browser tests); this journey then opens their reports.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from govhub.catalogue.models import Adoption, Review, Solution, SolutionStatus
from govhub.web.tests.fixtures import assert_page_ok

from .test_browser import signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

NAME = "Queue Buster"


def _complete_assessments(supplier, solution):
    from govhub.assessments import services as assessment_services
    from govhub.assessments.tests.fixtures import answers_for, save_all

    for kind in ("interoperability", "ai_act"):
        save_all(
            assessment_services,
            actor=supplier,
            solution=solution,
            kind=kind,
            values=answers_for(kind),
        )
        assessment_services.assessment_complete(actor=supplier, solution=solution, kind=kind)


def test_publish_find_adopt_and_review(
    make_page, live_server, supplier, company, moderator, buyer, authority
):
    # 1. The company member adds the solution.
    page = signed_in_page(make_page, live_server, supplier)
    page.goto("/catalogue/new/")
    assert_page_ok(page, "add a solution")
    page.get_by_label("Name", exact=True).fill(NAME)
    page.get_by_label("Short description").fill("Appointment booking for town halls.")
    page.get_by_label("Long description").fill("Citizens book a slot and are called by SMS.")
    page.get_by_label("Citizen services and e-government").check()
    box = page.locator("#id_cpv_codes")
    box.focus()
    page.keyboard.type("48000000")
    expect(page.locator("#id_cpv_codes-listbox [role=option]").first).to_contain_text("48000000-8")
    page.keyboard.press("ArrowDown")
    page.keyboard.press("Enter")
    page.get_by_label("Licence (SPDX identifier)").fill("EUPL-1.2")
    page.get_by_label("Software as a service").check()
    page.get_by_label("Technology readiness level").select_option("8")
    page.get_by_label("Supported languages").fill("en, fr, nl")
    page.get_by_label("Belgium", exact=True).check()
    page.get_by_label("Only in the EU/EEA").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("Partially conformant").check()
    page.get_by_label("Subscription").check()
    page.get_by_label("Contact email").fill("sales@civictech.example.eu")
    page.get_by_label("The solution uses artificial intelligence").check()
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator("h1")).to_have_text(NAME)
    assert_page_ok(page, "draft entry")
    solution = Solution.objects.get()
    assert solution.is_open_source
    assert [c.code for c in solution.cpv_codes.all()] == ["48000000-8"]

    # 2. Both assessments, then their reports.
    _complete_assessments(supplier, solution)
    solution.refresh_from_db()
    assert solution.interoperability_level
    page.reload()
    page.get_by_role("link", name="Interoperability report").click()
    assert_page_ok(page, "interoperability report")
    page.go_back()
    page.get_by_role("link", name="AI Act report").click()
    assert_page_ok(page, "AI Act report")
    page.go_back()

    # 3. Propose.
    page.get_by_role("link", name="Propose for publication").click()
    assert_page_ok(page, "propose")
    page.get_by_role("button", name="Propose for publication").click()
    expect(page.locator("main .govuk-tag").first).to_have_text("Proposed for publication")

    # 4. The moderator publishes it with a reason.
    mod = signed_in_page(make_page, live_server, moderator)
    mod.goto("/catalogue/moderation/")
    assert_page_ok(mod, "moderation queue")
    mod.get_by_role("link", name=NAME).click()
    mod.get_by_label("Publish the entry").check()
    mod.get_by_label("Reason").fill("All mandatory facts checked.")
    mod.get_by_role("button", name="Record decision").click()
    expect(mod.locator("body")).to_contain_text("No solution is waiting for moderation.")
    assert Solution.objects.get().status == SolutionStatus.PUBLISHED

    # 5. A buyer finds it by facets, adopts it and reviews it.
    buyer_page = signed_in_page(make_page, live_server, buyer)
    buyer_page.goto("/catalogue/")
    buyer_page.get_by_label("Citizen services and e-government (1)").check()
    buyer_page.get_by_label("Open source only (1)").check()
    expect(buyer_page.locator("#catalogue h2[aria-live]")).to_contain_text("1 solution")
    assert_page_ok(buyer_page, "catalogue filtered by facets")
    buyer_page.get_by_role("link", name=NAME).click()
    expect(buyer_page.locator("body")).to_contain_text("In use at 0 authorities")
    buyer_page.get_by_role("link", name="Record that we use it").click()
    assert_page_ok(buyer_page, "record adoption")
    buyer_page.get_by_label("Whole organisation").check()
    buyer_page.get_by_label("Outcome").fill("Waiting times halved.")
    buyer_page.get_by_role("button", name="Record adoption").click()
    expect(buyer_page.locator("body")).to_contain_text("In use at 1 authority in 1 country")
    buyer_page.get_by_role("link", name="Review it for Brussels Digital Agency").click()
    assert_page_ok(buyer_page, "review")
    buyer_page.get_by_label("4 – good").check()
    buyer_page.get_by_label("Title").fill("Solid and simple")
    buyer_page.get_by_label("Your review").fill("Staff learnt it in a day.")
    buyer_page.get_by_role("button", name="Publish review").click()
    expect(buyer_page.locator("body")).to_contain_text("Solid and simple")
    assert_page_ok(buyer_page, "entry with review")
    assert Adoption.objects.get().authority == authority
    assert Review.objects.get().rating == 4
