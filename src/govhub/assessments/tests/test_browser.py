"""Every assessment page in a real browser: axe-clean, silent console, usable."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.assessments import services
from govhub.catalogue.models import SolutionStatus
from govhub.web.tests.fixtures import assert_page_ok

from .fixtures import answers_for, save_all

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(make_page: Any, live_server: Any, user: Any) -> Any:
    client = Client()
    client.force_login(user)
    # Warm the server's templates and URL map in-process: a loaded machine's first page
    # otherwise risks the browser's load timeout.
    client.get("/")
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


def test_the_provider_answers_saves_half_way_and_completes(
    make_page, live_server, supplier, ai_solution
):
    base = f"/assessments/{ai_solution.public_id}/interoperability"
    page = _signed_in_page(make_page, live_server, supplier)
    page.goto(f"{base}/")
    assert_page_ok(page, "interoperability overview, not started")
    page.get_by_role("link", name="Legal interoperability").click()
    expect(page.get_by_role("heading", name="Legal interoperability", level=1)).to_be_visible()
    assert_page_ok(page, "legal layer, empty")

    page.get_by_label("Under an open licence").check()
    page.locator("#id_legal_reuse_conditions__evidence").fill("Published under EUPL-1.2")
    page.get_by_label("Link to the evidence for “Reuse conditions”", exact=False).fill("not a link")
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Enter a web address")
    expect(page.locator("#id_legal_reuse_conditions__evidence")).to_have_value(
        "Published under EUPL-1.2"
    )
    assert_page_ok(page, "legal layer with an error")

    page.get_by_label("Link to the evidence for “Reuse conditions”", exact=False).fill(
        "https://code.example.eu/permits/LICENCE"
    )
    page.get_by_role("button", name="Save and continue").click()
    expect(
        page.get_by_role("heading", name="Organisational interoperability", level=1)
    ).to_be_visible()
    assert_page_ok(page, "organisational layer")

    # Half-way: the overview shows the part started, the check page what is missing.
    page.goto(f"{base}/")
    expect(page.locator("#task-legal-status")).to_contain_text("In progress")
    page.goto(f"{base}/check/")
    expect(page.locator(".govuk-warning-text")).to_contain_text("still to be answered")
    assert_page_ok(page, "check answers, incomplete")
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("Still to answer")
    assert_page_ok(page, "check answers, refused completion")

    save_all(
        services,
        actor=supplier,
        solution=ai_solution,
        kind="interoperability",
        values=answers_for("interoperability"),
    )
    page.goto(f"{base}/check/")
    expect(page.get_by_role("heading", name="Result if you complete now")).to_be_visible()
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.get_by_role("heading", name="Level: Full")).to_be_visible()
    assert_page_ok(page, "interoperability report")
    page.get_by_role("link", name="History of the answers").click()
    expect(page.get_by_text("Version 2").first).to_be_visible()
    assert_page_ok(page, "answer history")


def test_ai_act_pages_and_public_reports(
    make_page, live_server, supplier, ai_solution, plain_solution
):
    base = f"/assessments/{ai_solution.public_id}/ai-act"
    page = _signed_in_page(make_page, live_server, supplier)
    for path, label in [
        (f"{base}/", "AI Act overview"),
        (f"{base}/prohibited/", "AI Act prohibited practices"),
        (f"{base}/high_risk/", "AI Act high-risk uses"),
        (f"{base}/transparency/", "AI Act transparency"),
        (f"/assessments/{plain_solution.public_id}/ai-act/", "AI Act not applicable"),
    ]:
        page.goto(path)
        assert_page_ok(page, label)

    page.goto(f"{base}/transparency/")
    page.get_by_label("Interacts directly with people").check()
    page.get_by_label("None of these").check()
    page.get_by_role("button", name="Save and continue").click()
    expect(page.locator(".govuk-error-summary")).to_contain_text("not both")
    assert_page_ok(page, "transparency with an error")

    # With the keyboard only: tick “None of these” and save and continue.
    page.goto(f"{base}/prohibited/")
    page.get_by_label("None of these").focus()
    page.keyboard.press("Space")
    expect(page.get_by_label("None of these")).to_be_checked()
    page.get_by_role("button", name="Save and continue").focus()
    page.keyboard.press("Enter")
    expect(
        page.get_by_role("heading", name="High-risk uses (Article 6 and Annex III)", level=1)
    ).to_be_visible()

    save_all(
        services,
        actor=supplier,
        solution=ai_solution,
        kind="ai_act",
        values=answers_for("ai_act", ai_annex_iii_areas=["essential_services"]),
    )
    page.goto(f"{base}/check/")
    assert_page_ok(page, "AI Act check answers")
    page.get_by_role("button", name="Complete the assessment").click()
    expect(page.locator(".govuk-tag", has_text="High risk")).to_be_visible()
    assert_page_ok(page, "AI Act report, private")

    ai_solution.status = SolutionStatus.PUBLISHED
    ai_solution.save(update_fields=["status"])
    anonymous = make_page()
    anonymous.goto(f"{base}/report/")
    expect(anonymous.get_by_text("Art. 27")).to_be_visible()
    assert_page_ok(anonymous, "AI Act report, public")
    anonymous.goto(f"{base}/history/")
    assert_page_ok(anonymous, "AI Act history, public")
