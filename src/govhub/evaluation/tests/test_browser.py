"""Every evaluation page in a real browser: axe-clean, silent console, keyboard-usable."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.evaluation import services
from govhub.evaluation.models import AssignmentStatus
from govhub.web.tests.fixtures import assert_page_ok

from .fixtures import publish_call_results

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
    scored_world,
    declared_evaluators,
    buyer,
    cobuyer,
    evaluator,
    cobuyer_evaluator,
    second_authority,
    supplier,
    third_supplier,
):
    world = scored_world
    c, p = world.challenge.public_id, world.call.public_id
    company = world.proposals["company"].public_id
    mine = declared_evaluators[0].public_id
    waiting = services.evaluator_assign(
        actor=buyer, phase=world.call, user=cobuyer_evaluator, authority=second_authority
    )

    page = _signed_in_page(make_page, live_server, buyer)
    for path, label in [
        (f"/evaluation/challenges/{c}/", "evaluation overview, lead buyer"),
        (f"/evaluation/phases/{p}/", "evaluators, totals and divergence"),
        (f"/evaluation/phases/{p}/proposals/{company}/", "scores and consensus"),
        (f"/evaluation/phases/{p}/results/", "publish the results"),
        (f"/evaluation/assignments/{waiting.public_id}/remove/", "remove an evaluator"),
        (f"/evaluation/challenges/{c}/outcome/", "publish the outcome"),
    ]:
        page.goto(path)
        assert_page_ok(page, label)
    page.goto(f"/evaluation/challenges/{c}/outcome/")
    page.get_by_role("button", name="Publish the outcome").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "outcome without a decision")
    page.goto(f"/evaluation/phases/{p}/results/")
    page.get_by_role("button", name="Publish the results").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "results without decisions")

    observer = _signed_in_page(make_page, live_server, cobuyer)
    observer.goto(f"/evaluation/phases/{p}/")
    assert_page_ok(observer, "evaluation, co-buyer")

    scorer = _signed_in_page(make_page, live_server, evaluator)
    for path, label in [
        ("/evaluation/mine/", "your evaluations"),
        (f"/evaluation/assignments/{mine}/", "proposals to score"),
        (f"/evaluation/assignments/{mine}/declaration/", "signed declaration"),
        (f"/evaluation/assignments/{mine}/proposals/{company}/", "scoring, read-only"),
    ]:
        scorer.goto(path)
        assert_page_ok(scorer, label)

    publish_call_results(world, buyer)
    applicant = _signed_in_page(make_page, live_server, third_supplier)
    applicant.goto(f"/evaluation/challenges/{c}/your-results/")
    assert_page_ok(applicant, "a company's own results")

    page.goto(f"/evaluation/phases/{world.pilot.public_id}/pilots/")
    assert_page_ok(page, "pilots")
    pilot = f"/evaluation/phases/{world.pilot.public_id}/pilots/{company}/"
    page.goto(pilot)
    assert_page_ok(page, "pilot plan, not started")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "pilot plan without text")
    page.get_by_label("Pilot plan").fill("Three months at the Ixelles counter.")
    page.get_by_role("button", name="Save the plan").click()
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    page.get_by_role("button", name="Add the indicator").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "indicator without values")
    company_page = _signed_in_page(make_page, live_server, supplier)
    company_page.goto(pilot)
    assert_page_ok(company_page, "pilot plan, company")


def test_declaration_by_keyboard(
    make_page, live_server, evaluation_world, buyer, evaluator, authority
):
    assignment = services.evaluator_assign(
        actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
    )
    page = _signed_in_page(make_page, live_server, evaluator)
    page.goto(f"/evaluation/assignments/{assignment.public_id}/declaration/")
    page.get_by_label("Yes, I have a conflict of interest").focus()
    page.keyboard.press("Space")
    page.get_by_role("button", name="Sign the declaration").press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text(
        "Describe your conflict of interest"
    )
    expect(page.get_by_label("Yes, I have a conflict of interest")).to_be_checked()
    assert_page_ok(page, "declaration, conflict without statement")
    page.get_by_label("If you have a conflict of interest, describe it").focus()
    page.keyboard.type("I advised one of the companies last year.")
    page.get_by_role("button", name="Sign the declaration").press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert_page_ok(page, "excluded evaluator")
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.EXCLUDED


def test_scoring_by_keyboard_keeps_input_on_errors(
    make_page, live_server, evaluation_world, buyer, evaluator, authority
):
    world = evaluation_world
    assignment = services.evaluator_assign(
        actor=buyer, phase=world.call, user=evaluator, authority=authority
    )
    services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    page = _signed_in_page(make_page, live_server, evaluator)
    proposal = world.proposals["rival"].public_id
    page.goto(f"/evaluation/assignments/{assignment.public_id}/proposals/{proposal}/")
    assert_page_ok(page, "scoring a proposal")
    page.get_by_label("Score for “Quality of the solution”").fill("12")
    page.get_by_label("Justification for “Impact”").fill("Clear reach across districts.")
    page.get_by_role("button", name="Save your scores").press("Enter")
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    expect(page.get_by_label("Score for “Quality of the solution”")).to_have_value("12")
    expect(page.get_by_label("Justification for “Impact”")).to_have_value(
        "Clear reach across districts."
    )
    assert_page_ok(page, "scoring with errors")
