"""The proposals pages in a real browser: axe-clean, silent console, usable by keyboard."""

from __future__ import annotations

import re
from typing import Any

import pytest
import time_machine
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.proposals.models import Proposal, ProposalReceipt, ProposalStatus
from govhub.web.tests.fixtures import assert_accessible, assert_page_ok

from .fixtures import PDF_BYTES, after_deadline

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(make_page: Any, live_server: Any, user: Any) -> Any:
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


def test_a_company_drafts_submits_and_withdraws_with_the_keyboard(
    make_page, live_server, supplier, company, open_phase, tmp_path
):
    page = signed_in_page(make_page, live_server, supplier)
    page.goto(f"/proposals/phase/{open_phase.public_id}/")
    expect(page.locator("h1")).to_have_text("Your proposal")
    assert_page_ok(page, "empty proposal")

    main = page.locator("main")
    # Enter in a field saves the draft: it neither submits nor removes anything.
    main.get_by_label(re.compile(r"^Title of your proposal")).fill("Parking made simple")
    main.get_by_label(re.compile(r"^Title of your proposal")).press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text(
        "Your draft is saved"
    )
    assert Proposal.objects.get().status == ProposalStatus.DRAFT

    # Submitting with one answer missing: the error summary takes the focus, the text stays.
    quality = main.get_by_label(re.compile(r"^Quality of the solution"))
    quality.fill("LoRa sensors in every space.")
    main.get_by_label(re.compile(r"^Impact and sustainability")).fill("Solar powered.")
    pdf = tmp_path / "plan.pdf"
    pdf.write_bytes(PDF_BYTES)
    main.get_by_label(re.compile(r"^Add a file")).set_input_files(str(pdf))
    main.get_by_role("button", name="Submit proposal").focus()
    page.keyboard.press("Enter")
    summary = page.locator(".govuk-error-summary")
    expect(summary).to_be_focused()
    expect(summary).to_contain_text("Answer “Cost” before you submit.")
    expect(main.get_by_label(re.compile(r"^Quality of the solution"))).to_have_value(
        "LoRa sensors in every space."
    )
    expect(main.get_by_role("term").filter(has_text="plan.pdf")).to_be_visible()  # not lost
    assert_page_ok(page, "incomplete submission")

    main.get_by_label(re.compile(r"^Cost")).fill("Four years, all included.")
    main.get_by_role("button", name="Submit proposal").focus()
    page.keyboard.press("Enter")
    expect(page.locator("h1")).to_have_text("Receipt of a proposal")
    receipt = ProposalReceipt.objects.get()
    expect(page.locator("main")).to_contain_text(receipt.content_sha256)
    expect(page.get_by_role("button", name="Print this receipt")).to_be_visible()
    assert_page_ok(page, "receipt")

    for url, title in [
        (f"/proposals/{receipt.proposal.public_id}/", "Your proposal"),
        (f"/proposals/{receipt.proposal.public_id}/history/", "History of your proposal"),
        ("/proposals/", "Your proposals"),
        (f"/proposals/phase/{open_phase.public_id}/", "Your proposal"),
        (f"/proposals/{receipt.proposal.public_id}/withdraw/", "Withdraw your proposal?"),
    ]:
        page.goto(url)
        expect(page.locator("h1")).to_have_text(title)
        assert_page_ok(page, title)

    page.get_by_role("button", name="Withdraw proposal").focus()
    page.keyboard.press("Enter")
    expect(page.locator(".govuk-notification-banner--success")).to_contain_text("withdrawn")
    assert_page_ok(page, "withdrawn proposal, editable again")


def test_the_buyer_sees_a_count_then_opens_after_the_deadline(
    make_page, live_server, buyer, submitted_proposal, open_phase
):
    page = signed_in_page(make_page, live_server, buyer)
    page.goto(f"/proposals/phase/{open_phase.public_id}/received/")
    expect(page.locator("main")).to_contain_text("1 proposal received")
    expect(page.locator("main")).not_to_contain_text("CivicTech")
    assert_page_ok(page, "count before the deadline")

    sealed = signed_in_page(make_page, live_server, buyer)
    sealed.goto(f"/proposals/{submitted_proposal.public_id}/")
    expect(sealed.locator("h1")).to_have_text("This proposal is sealed")
    # A 403 page: the browser logs the status itself, so axe only (no console check).
    assert_accessible(sealed, "sealed page")

    with time_machine.travel(after_deadline(open_phase), tick=True):
        page.goto(f"/proposals/phase/{open_phase.public_id}/received/")
        page.get_by_role("link", name="Open proposals").click()
        expect(page.locator("h1")).to_have_text("Open the proposals?")
        assert_page_ok(page, "open confirmation")
        page.get_by_role("button", name="Open proposals").click()
        expect(page.locator(".govuk-notification-banner--success")).to_contain_text("open")
        assert_page_ok(page, "opened list")
        page.get_by_role("link", name="CivicTech Solutions").click()
        expect(page.locator("h1")).to_have_text("Proposal from CivicTech Solutions")
        assert_page_ok(page, "proposal content")
