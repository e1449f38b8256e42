"""Every challenge page in a real browser: axe-clean, silent console, keyboard-usable."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.challenges import services
from govhub.challenges.models import AwardCriterion
from govhub.web.tests.fixtures import assert_page_ok

from .files import upload
from .fixtures import first_phase

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


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_every_page_is_accessible(
    make_page,
    live_server,
    media,
    buyer,
    supplier,
    company,
    second_authority,
    published_challenge,
    open_phase,
    challenge_draft,
    published_need,
):
    services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=second_authority)
    services.document_add(
        actor=buyer, phase=open_phase, title="Terms of reference", file=upload("terms.pdf")
    )
    question = services.clarification_ask(
        actor=supplier, phase=open_phase, organisation=company, question="Is a consortium ok?"
    )
    services.clarification_answer(actor=buyer, clarification=question, answer="Yes.")
    services.clarification_ask(
        actor=supplier, phase=open_phase, organisation=company, question="Which data formats?"
    )
    c, p = published_challenge.public_id, open_phase.public_id
    d, dp = challenge_draft.public_id, first_phase(challenge_draft).public_id
    waiting = published_challenge.phases.get(order=1).clarifications.get(answer="").public_id

    anonymous = make_page()
    for path, label in [
        ("/challenges/?open_now=on&status=published", "challenge list with filters"),
        (f"/challenges/{c}/", "published challenge, anonymous"),
    ]:
        anonymous.goto(path)
        assert_page_ok(anonymous, label)

    page = _signed_in_page(make_page, live_server, buyer)
    for path, label in [
        ("/challenges/mine/", "your authorities' challenges"),
        ("/challenges/new/", "create a challenge"),
        (f"/challenges/from-need/{published_need.public_id}/", "challenge from a need"),
        (f"/challenges/{c}/", "published challenge, lead buyer"),
        (f"/challenges/{c}/manage/", "manage a published challenge"),
        (f"/challenges/{c}/phases/{p}/deadline/", "change a deadline"),
        (f"/challenges/{c}/phases/{p}/close/", "close a phase"),
        (f"/challenges/{c}/phases/{p}/documents/", "documents of an open phase"),
        (f"/challenges/{c}/clarifications/", "questions to answer"),
        (f"/challenges/{c}/clarifications/{waiting}/", "answer a question"),
        (f"/challenges/{c}/cancel/", "cancel a challenge"),
        (f"/challenges/{d}/", "draft challenge"),
        (f"/challenges/{d}/manage/", "manage a draft"),
        (f"/challenges/{d}/edit/", "edit a draft"),
        (f"/challenges/{d}/buyers/", "co-buyers"),
        (f"/challenges/{d}/phases/new/", "add a phase"),
        (f"/challenges/{d}/phases/{dp}/edit/", "edit a phase"),
        (f"/challenges/{d}/phases/{dp}/criteria/", "criteria editor"),
        (f"/challenges/{d}/publish/", "publish a draft"),
    ]:
        page.goto(path)
        assert_page_ok(page, label)

    # Error states keep the input and stay accessible.
    page.goto(f"/challenges/{d}/phases/new/")
    page.get_by_role("button", name="Add phase").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "add a phase, errors")
    page.goto(f"/challenges/{c}/cancel/")
    page.get_by_role("button", name="Cancel the challenge").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "cancel without a reason")

    company_page = _signed_in_page(make_page, live_server, supplier)
    company_page.goto(f"/challenges/{c}/phases/{p}/ask/")
    assert_page_ok(company_page, "ask a question")
    company_page.get_by_role("button", name="Send question").click()
    expect(company_page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(company_page, "ask without a question")


def test_criteria_by_keyboard_with_a_live_total(make_page, live_server, buyer, challenge_draft):
    phase = first_phase(challenge_draft)
    page = _signed_in_page(make_page, live_server, buyer)
    page.goto(f"/challenges/{challenge_draft.public_id}/phases/{phase.public_id}/criteria/")
    total = page.locator("[data-criteria-total]")
    expect(total).to_have_text("100")

    weight = page.locator("#id_criteria-0-weight")
    weight.focus()
    page.keyboard.press("Control+a")
    page.keyboard.type("40")
    expect(total).to_have_text("90")
    expect(page.locator("[data-criteria-status]")).to_have_text("(must be exactly 100%)")

    page.get_by_role("button", name="Save criteria").press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("add up to 90%")
    expect(page.locator("#id_criteria-0-weight")).to_have_value("40")
    assert_page_ok(page, "criteria editor, weights not totalling 100")

    page.locator("#id_criteria-3-name").focus()
    page.keyboard.type("Interoperability")
    page.keyboard.press("Tab")  # to the description
    page.keyboard.press("Tab")  # to the type
    page.keyboard.press("Tab")  # to the weight
    page.keyboard.type("10")
    page.locator("#id_criteria-3-criterion_type").select_option("quality")
    expect(total).to_have_text("100")
    page.get_by_role("button", name="Save criteria").press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_be_visible()
    assert AwardCriterion.objects.filter(phase=phase).count() == 4
