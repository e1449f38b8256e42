"""Issue 3's journey from a need to an award, end to end in Chromium; every page axe-clean.

"buyer publishes a need → second authority joins → joint challenge → two companies apply →
deadline → evaluators score → shortlist → pilot → award → the losing company reads its
feedback". Each person uses a browser of their own and signs in as they would (buyers and
evaluators with their authenticator app). Only the personas are made beforehand, and only
the clock is moved: the live server runs in this process, so time-machine moves its clock
too.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from typing import Any

import pytest
import time_machine
from django.core.cache import cache
from playwright.sync_api import expect

from govhub.challenges.models import Challenge, ChallengeStatus, Phase, PhaseStatus
from govhub.evaluation.models import Outcome, PhaseResult
from govhub.needs.models import InnovationNeed, NeedStatus
from govhub.proposals.models import ProposalReceipt
from govhub.proposals.tests.fixtures import PDF_BYTES
from govhub.web.tests.browser.journey_steps import (
    CRITERIA,
    assert_heading,
    brussels_day,
    click_and_check,
    decide_result,
    fill_by_label,
    labelled,
    pick,
    signed_in,
)
from govhub.web.tests.fixtures import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# A Monday, 09:00 in Brussels; the open call's deadline a week later at noon, Brussels time.
START = dt.datetime(2027, 3, 1, 8, 0, tzinfo=dt.UTC)
DEADLINE_TYPED = "2027-03-08T12:00"
DEADLINE_UTC = dt.datetime(2027, 3, 8, 11, 0, tzinfo=dt.UTC)

NEED_TITLE = "Real-time occupancy of public car parks"
CALL = "Open call for solutions"
PILOT = "Pilot in three car parks"
WINNER = "CivicTech Solutions"
LOSER = "ParkWise SAS"
WINNER_TITLE = "Parking made simple"
LOSER_TITLE = "ParkWise cameras"
# What the lead buyer agrees on the winner's proposal: the company that lost must never see it.
WINNER_CONSENSUS = {
    "Quality of the solution": ("8.5", "Sensors in every space, proven in Ghent."),
    "Impact and sustainability": ("8", "Solar powered, ten-year sensor life."),
    "Cost": ("7", "Fair four-year cost of ownership."),
}
LOSER_CONSENSUS = {
    "Quality of the solution": ("6", "Camera counts miss spaces under trees."),
    "Impact and sustainability": ("5.5", "Mains power needed at every camera."),
    "Cost": ("7.5", "Lowest price of the call."),
}


@pytest.fixture(autouse=True)
def _fresh_cache() -> None:
    # Rate-limit counters and used TOTP codes live in the database cache, which a
    # transactional test's flush leaves alone.
    cache.clear()


@pytest.fixture
def clock() -> Iterator[Any]:
    """The journey's clock, ticking from START; ``clock.shift(delta)`` jumps ahead.

    Requested first by the test, so the personas are made on this clock too."""
    traveller = time_machine.travel(START, tick=True)
    coordinates = traveller.start()
    try:
        yield coordinates
    finally:
        traveller.stop()


def test_from_a_need_to_an_award_and_the_feedback_of_the_company_that_lost(
    clock,
    settings,
    make_page,
    authority,
    buyer,
    second_authority,
    cobuyer,
    evaluator,
    company,
    supplier,
    second_company,
    second_supplier,
    proposal_files,
    tmp_path,
):
    # Codes are computed a moment before the server checks them: allow one step either side,
    # as authenticator apps get.
    settings.MFA_TOTP_TOLERANCE = 1
    cobuyer.time_zone = "Europe/Lisbon"
    cobuyer.save(update_fields=["time_zone"])

    # 1. The Brussels buyer drafts and publishes an innovation need from the authority's plan.
    lead = signed_in(make_page, buyer, two_factor=True)
    click_and_check(lead, lead.locator("main").get_by_role("link", name=authority.name))
    click_and_check(
        lead, lead.get_by_role("link", name=f"Innovation plan of {authority.name}"), "plan"
    )
    click_and_check(lead, lead.get_by_role("link", name="Draft a need"), "draft a need")
    main = lead.locator("main")
    fill_by_label(
        main,
        {
            "Title": NEED_TITLE,
            "The problem": (
                "Drivers circle the centre looking for a free space; we do not know in real "
                "time how full our public car parks are."
            ),
            "Expected outcomes": "Drivers find a free space straight away.",
            "How the outcomes will be measured": "Minutes spent searching, before and after.",
            "Indicative budget from": "100000",
            "Indicative budget to": "250000",
        },
    )
    pick(lead, "#id_cpv_codes", "72212000", "72212000-4")
    pick(lead, "#id_nuts_region", "BE100", "BE100")
    main.get_by_label(labelled("Currency")).select_option("EUR")
    main.get_by_label(re.compile(r"^Other authorities may join")).check()
    click_and_check(lead, main.get_by_role("button", name="Save draft"), "need, draft")
    assert_heading(lead, NEED_TITLE)
    click_and_check(lead, lead.get_by_role("link", name="Publish the need"), "publish the need")
    click_and_check(lead, main.get_by_role("button", name="Publish the need"), "need, published")
    expect(main.locator(".govuk-tag").first).to_have_text("Published")
    need = InnovationNeed.objects.get(title=NEED_TITLE)
    assert need.status == NeedStatus.PUBLISHED
    assert [c.code for c in need.cpv_codes.all()] == ["72212000-4"]

    # 2. The Lisbon buyer finds it in the list of needs and joins with a quantity and share.
    co = signed_in(make_page, cobuyer, two_factor=True)
    click_and_check(co, co.get_by_role("link", name="Needs", exact=True), "list of needs")
    click_and_check(co, co.locator("main").get_by_role("link", name=NEED_TITLE), "need, co-buyer")
    click_and_check(co, co.get_by_role("link", name="Express interest"), "express interest")
    fill_by_label(
        co.locator("main"),
        {
            "Quantity your authority would buy": "40 car parks",
            "Your budget share": "80000",
            "Note to the lead authority": "Lisbon has the same problem in Baixa.",
        },
    )
    click_and_check(
        co, co.locator("main").get_by_role("button", name="Express interest"), "after joining"
    )
    interested = co.locator("main table", has_text=second_authority.name)
    expect(interested).to_contain_text("40 car parks")

    # 3. The need becomes a joint challenge: open call, pilot, award; published and opened.
    lead.reload()
    expect(lead.locator("main table", has_text=second_authority.name)).to_be_visible()
    click_and_check(lead, lead.get_by_role("link", name="Turn it into a challenge"), "from need")
    cobuyers = lead.locator("main table", has_text=second_authority.name)
    expect(cobuyers).to_contain_text("40 car parks")
    expect(cobuyers).to_contain_text("EUR 80,000")
    click_and_check(
        lead, lead.get_by_role("button", name="Create the draft challenge"), "manage, draft"
    )
    challenge = Challenge.objects.get(need=need)
    buyers_row = lead.locator(".govuk-summary-list__row", has_text="Buyers")
    expect(buyers_row).to_contain_text(f"{second_authority.name}: EUR 80,000")
    expect(buyers_row).to_contain_text(f"{authority.name} (lead): EUR 250,000")

    _add_phase(
        lead,
        kind="Open call",
        title=CALL,
        extra={
            "Deadline for proposals": DEADLINE_TYPED,
            "Prize or budget for this phase": "10000",
            "How many companies go on": "1",
        },
        checks=["Open to SMEs only", "Proposals declare a price"],
    )
    assert_heading(lead, "Award criteria")
    for row, (name, kind, weight, description) in enumerate(CRITERIA):
        lead.locator(f"#id_criteria-{row}-name").fill(name)
        lead.locator(f"#id_criteria-{row}-description").fill(description)
        lead.locator(f"#id_criteria-{row}-criterion_type").select_option(kind)
        lead.locator(f"#id_criteria-{row}-weight").fill(str(weight))
    expect(lead.locator("[data-criteria-total]")).to_have_text("100")
    click_and_check(lead, lead.get_by_role("button", name="Save criteria"), "manage, criteria")
    _add_phase(lead, kind="Pilot in a sandbox", title=PILOT)
    _add_phase(lead, kind="Award", title="Award of the contract")
    expect(lead.locator("main")).to_contain_text("The challenge is ready to publish.")
    click_and_check(lead, lead.get_by_role("link", name="Publish", exact=True), "publish")
    click_and_check(lead, lead.get_by_role("button", name="Publish challenge"), "published")
    click_and_check(lead, lead.get_by_role("link", name=f"Open phase {CALL}"), "open the call")
    click_and_check(lead, lead.get_by_role("button", name="Open phase"), "call open")
    call = Phase.objects.get(challenge=challenge, title=CALL)
    assert call.status == PhaseStatus.OPEN
    assert call.deadline == DEADLINE_UTC

    # The co-buyer sees its authority among the buyers, and the deadline in both zones.
    co.goto(f"/challenges/{challenge.public_id}/")
    assert_heading(co, challenge.title)
    expect(co.locator("main")).to_contain_text(second_authority.name)
    deadline = co.locator("main .govuk-summary-list__row", has_text="Deadline for proposals")
    expect(deadline).to_contain_text("8 March 2027, 12:00 CET (Brussels)")
    expect(deadline).to_contain_text("11:00 WET (your time zone)")
    assert_page_ok(co, "challenge page, co-buyer in Lisbon")

    # 4. Two companies find the challenge and each submit a proposal, receipt and hash.
    # (The challenge's page has no way to the proposal form: they go to its address.)
    pdf = tmp_path / "sensor-plan.pdf"
    pdf.write_bytes(PDF_BYTES)
    first = signed_in(make_page, supplier)
    _submit_proposal(first, challenge, call, WINNER_TITLE, "145000", attachment=pdf)
    second = signed_in(make_page, second_supplier)
    _submit_proposal(second, challenge, call, LOSER_TITLE, "120000")
    for org in (company, second_company):
        receipt = ProposalReceipt.objects.get(proposal__phase=call, proposal__company=org)
        assert re.fullmatch(r"[0-9a-f]{64}", receipt.content_sha256)

    # 5. Before the deadline the lead buyer sees a count and no names; after it, closes the
    # call, opens the proposals, starts the evaluation and assigns an evaluator.
    received_url = f"/proposals/phase/{call.public_id}/received/"
    lead.goto(received_url)
    assert_heading(lead, "Proposals received")
    expect(lead.locator("main")).to_contain_text("2 proposals received")
    for name in (WINNER, LOSER):
        expect(lead.locator("main")).not_to_contain_text(name)
    assert_page_ok(lead, "proposals received, sealed")

    clock.shift(dt.timedelta(days=8))
    click_and_check(lead, lead.get_by_role("link", name="Challenges", exact=True), "challenges")
    click_and_check(lead, lead.get_by_role("link", name="Your authorities’ challenges"), "mine")
    click_and_check(lead, lead.locator("main").get_by_role("link", name=challenge.title), "page")
    click_and_check(lead, lead.get_by_role("link", name="Manage this challenge"), "manage")
    manage_url = f"/challenges/{challenge.public_id}/manage/"
    click_and_check(lead, lead.get_by_role("link", name=f"Close phase {CALL}"), "close")
    click_and_check(lead, lead.get_by_role("button", name="Close phase"), "call closed")
    lead.goto(received_url)
    click_and_check(lead, lead.get_by_role("link", name="Open proposals"), "open proposals")
    click_and_check(lead, lead.get_by_role("button", name="Open proposals"), "proposals opened")
    for name in (WINNER, LOSER):
        expect(lead.locator("main table").get_by_role("link", name=name)).to_be_visible()
    lead.goto(manage_url)
    click_and_check(lead, lead.get_by_role("link", name=f"Start evaluation {CALL}"), "evaluate")
    click_and_check(lead, lead.get_by_role("button", name="Start evaluation"), "evaluating")
    lead.goto(f"/evaluation/challenges/{challenge.public_id}/")
    assert_page_ok(lead, "evaluation overview, lead")
    click_and_check(
        lead, lead.get_by_role("link", name=f"Evaluators and scores for {CALL}"), "evaluation"
    )
    lead.locator("main").get_by_label("Evaluator").select_option(
        label=f"{evaluator.display_name} ({authority.name})"
    )
    click_and_check(lead, lead.get_by_role("button", name="Assign evaluator"), "assigned")
    expect(lead.locator("main table", has_text=evaluator.display_name)).to_be_visible()

    # 6. The evaluator signs the declaration first, then scores both proposals.
    judge = signed_in(make_page, evaluator, two_factor=True)
    judge.goto("/evaluation/mine/")
    assert_page_ok(judge, "evaluator's assignments")
    click_and_check(
        judge, judge.get_by_role("link", name=f"{challenge.title}: {CALL}"), "declaration"
    )
    assert_heading(judge, "Conflict-of-interest declaration")
    judge.get_by_label("No, I have no conflict of interest and I sign the declaration").check()
    click_and_check(judge, judge.get_by_role("button", name="Sign the declaration"), "signed")
    for name, title, marks in ((WINNER, WINNER_TITLE, (9, 8, 7)), (LOSER, LOSER_TITLE, (6, 5, 8))):
        click_and_check(judge, judge.locator("main").get_by_role("link", name=name), "score")
        assert_heading(judge, f"Score {name}")
        expect(judge.locator("main")).to_contain_text(_answer(title, "Cost"))
        for (criterion, *_rest), mark in zip(CRITERIA, marks, strict=True):
            judge.get_by_label(f"Score for “{criterion}”").fill(str(mark))
            judge.get_by_label(f"Justification for “{criterion}”").fill(
                f"{name}: {mark} out of 10 on {criterion.lower()}, from the evidence given."
            )
        click_and_check(judge, judge.get_by_role("button", name="Save your scores"), "scored")
        row = judge.locator("main tr", has_text=name)
        expect(row.locator(".govuk-tag")).to_have_text("Scored")

    # The co-buyer follows the evaluation, read-only.
    co.goto(f"/evaluation/challenges/{challenge.public_id}/")
    expect(co.locator("main")).to_contain_text("Your authority buys through this challenge")
    assert_page_ok(co, "evaluation overview, co-buyer")
    click_and_check(
        co, co.get_by_role("link", name=f"Evaluators and scores for {CALL}"), "evaluation, co"
    )
    expect(co.locator("#totals")).to_be_visible()
    expect(co.get_by_role("button", name="Assign evaluator")).to_have_count(0)
    expect(co.get_by_role("link", name="Publish the results")).to_have_count(0)

    # 7. The lead buyer records the consensus and publishes the call's results.
    lead.reload()
    for name, agreed in ((WINNER, WINNER_CONSENSUS), (LOSER, LOSER_CONSENSUS)):
        click_and_check(
            lead, lead.get_by_role("link", name=f"Scores and consensus of {name}"), "consensus"
        )
        for criterion, (score, reason) in agreed.items():
            lead.get_by_label(f"Consensus score for “{criterion}”").fill(score)
            lead.get_by_label(f"Reason for the consensus on “{criterion}”").fill(reason)
        click_and_check(lead, lead.get_by_role("button", name="Save the consensus"), "saved")
    click_and_check(lead, lead.get_by_role("link", name="Publish the results"), "results form")
    decide_result(lead, WINNER, True, "Best value for residents, with the most complete coverage.")
    decide_result(lead, LOSER, False, "Weaker coverage and impact than the selected proposal.")
    click_and_check(lead, lead.get_by_role("button", name="Publish the results"), "results")
    expect(lead.locator("main table tr", has_text=WINNER)).to_contain_text(f"Invited to {PILOT}")

    # 8. The pilot: plan and indicator agreed by both sides, a measured result, a "go".
    lead.goto(manage_url)
    click_and_check(lead, lead.get_by_role("link", name=f"Open phase {PILOT}"), "open pilot")
    click_and_check(lead, lead.get_by_role("button", name="Open phase"), "pilot open")
    lead.goto(f"/evaluation/challenges/{challenge.public_id}/")
    click_and_check(lead, lead.get_by_role("link", name=f"Pilots in {PILOT}"), "pilots")
    click_and_check(lead, lead.locator("main").get_by_role("link", name=WINNER), "pilot plan")
    lead.get_by_label("Pilot plan").fill(
        "Sensors in three car parks for three months; the city gives access and power."
    )
    click_and_check(lead, lead.get_by_role("button", name="Save the plan"), "plan saved")
    fill_by_label(
        lead.locator("main"),
        {"Indicator": "Time spent searching", "Unit": "minutes", "Baseline": "12", "Target": "5"},
    )
    lead.get_by_label("No, the target is a maximum").check()
    click_and_check(lead, lead.get_by_role("button", name="Add the indicator"), "indicator")
    click_and_check(lead, lead.get_by_role("button", name="Agree the plan"), "agreed, buyer")

    results_url = f"/evaluation/challenges/{challenge.public_id}/your-results/"
    first.goto(results_url)
    assert_heading(first, "Your results")
    expect(first.locator("main")).to_contain_text(f"You are invited to the next phase: {PILOT}.")
    assert_page_ok(first, "results, selected company")
    click_and_check(
        first,
        first.get_by_role("link", name="The pilot plan, its indicators and results"),
        "pilot plan, company",
    )
    click_and_check(first, first.get_by_role("button", name="Agree the plan"), "agreed, company")

    clock.shift(dt.timedelta(days=4))
    lead.reload()
    click_and_check(
        lead, lead.get_by_role("link", name="Record the result for Time spent searching"), "kpi"
    )
    fill_by_label(
        lead.locator("main"),
        {"Measured value": "3.5", "Evidence": "Survey of 400 drivers over the pilot's weeks."},
    )
    click_and_check(lead, lead.get_by_role("button", name="Record the result"), "result")
    expect(lead.locator("main table tr", has_text="Time spent searching")).to_contain_text("Met")
    click_and_check(lead, lead.get_by_role("link", name="Decide go or no-go"), "go or no-go")
    lead.get_by_label(re.compile(r"^Go: the pilot succeeded")).check()
    lead.get_by_label("Reasons").fill("Target met: drivers found a space in 3.5 minutes.")
    click_and_check(lead, lead.get_by_role("button", name="Record the decision"), "decided")
    lead.goto(f"/evaluation/phases/{Phase.objects.get(title=PILOT).public_id}/pilots/")
    assert_page_ok(lead, "pilots, decided")
    click_and_check(lead, lead.get_by_role("link", name="Publish the pilot results"), "form")
    decide_result(lead, WINNER, True, "The pilot met its target.")
    click_and_check(lead, lead.get_by_role("button", name="Publish the results"), "pilot done")

    # 9. The outcome: awarded to the selected company, with a value, reasons and standstill.
    lead.goto(f"/evaluation/challenges/{challenge.public_id}/")
    click_and_check(lead, lead.get_by_role("link", name="Publish the outcome"), "outcome form")
    decision = lead.get_by_role("group", name="What is the decision?")
    decision.get_by_label("Awarded", exact=True).check()
    lead.get_by_role("group", name="Companies awarded").get_by_label(WINNER).check()
    fill_by_label(
        lead.locator("main"),
        {
            "Contract value": "150000",
            "Reasons for the decision": "Best proposal of the call and a successful pilot.",
        },
    )
    click_and_check(lead, lead.get_by_role("button", name="Publish the outcome"), "outcome")
    outcome = Outcome.objects.get(challenge=challenge)
    assert [p.company for p in outcome.awarded_proposals.all()] == [company]
    assert outcome.standstill_ends_at is not None
    standstill = brussels_day(outcome.standstill_ends_at)
    summary = lead.locator("main .govuk-summary-list")
    expect(summary).to_contain_text(WINNER)
    expect(summary).to_contain_text("EUR 150,000")
    expect(summary.locator(".govuk-summary-list__row", has_text="Standstill")).to_contain_text(
        standstill
    )

    # 10. The company that lost reads its own scores, why, and the outcome; nothing of others.
    second.goto(results_url)
    assert_heading(second, "Your results")
    page_text = second.locator("main")
    expect(page_text).to_contain_text("Not selected")
    expect(page_text).to_contain_text("Weaker coverage and impact than the selected proposal.")
    scores = second.locator("main table", has_text="Your scores per criterion")
    for criterion, (score, reason) in LOSER_CONSENSUS.items():
        expect(scores.locator("tr", has_text=criterion)).to_contain_text(score)
        expect(scores.locator("tr", has_text=criterion)).to_contain_text(reason)
    outcome_row = second.locator(".govuk-summary-list__row", has_text="Standstill period ends")
    expect(outcome_row).to_contain_text(standstill)
    expect(second.locator(".govuk-summary-list__row", has_text="Your company")).to_contain_text(
        "Not awarded"
    )
    for _score, reason in WINNER_CONSENSUS.values():
        expect(page_text).not_to_contain_text(reason)
    expect(page_text).not_to_contain_text("Best value for residents")
    expect(page_text).not_to_contain_text(WINNER_TITLE)
    expect(page_text).not_to_contain_text("The pilot met its target.")
    assert_page_ok(second, "results, company that lost")

    # The co-buyer is bound by the same outcome; anyone reads the challenge's history.
    co.goto(f"/evaluation/challenges/{challenge.public_id}/outcome/")
    expect(co.locator("main .govuk-summary-list")).to_contain_text(WINNER)
    assert_page_ok(co, "outcome, co-buyer")
    visitor = make_page()
    visitor.goto(f"/challenges/{challenge.public_id}/")
    history = visitor.locator("main table", has_text="What happened")
    for step in ("Published", "Phase closed", "Decided", "Completed"):
        expect(history).to_contain_text(step)
    assert_page_ok(visitor, "public challenge page, completed")

    results = {r.proposal.company_id: r for r in PhaseResult.objects.filter(phase=call)}
    assert results[company.pk].selected
    assert not results[second_company.pk].selected
    challenge.refresh_from_db()
    assert challenge.status == ChallengeStatus.COMPLETED


# --- steps of this journey --------------------------------------------------------------------


def _add_phase(
    page: Any,
    *,
    kind: str,
    title: str,
    extra: dict[str, str] | None = None,
    checks: list[str] | None = None,
) -> None:
    click_and_check(page, page.get_by_role("link", name="Add a phase"), "add a phase")
    main = page.locator("main")
    main.get_by_role("radio", name=kind, exact=True).check()
    fill_by_label(main, {"Title": title, **(extra or {})})
    for label in checks or []:
        main.get_by_label(label, exact=True).check()
    click_and_check(page, main.get_by_role("button", name="Add phase"), f"phase {title} added")


def _submit_proposal(
    page: Any,
    challenge: Challenge,
    call: Phase,
    title: str,
    price: str,
    attachment: Any = None,
) -> None:
    click_and_check(page, page.get_by_role("link", name="Challenges", exact=True), "challenges")
    click_and_check(
        page, page.locator("main").get_by_role("link", name=challenge.title), "challenge"
    )
    expect(page.locator("main")).to_contain_text(CALL)
    page.goto(f"/proposals/phase/{call.public_id}/")
    assert_heading(page, "Your proposal")
    assert_page_ok(page, "proposal form")
    main = page.locator("main")
    main.get_by_label(re.compile(r"^Title of your proposal")).fill(title)
    for name, _kind, _weight, _description in CRITERIA:
        main.get_by_label(re.compile(rf"^{re.escape(name)} \(weight")).fill(_answer(title, name))
    main.get_by_label(re.compile(r"^Price you propose")).fill(price)
    if attachment is not None:
        main.get_by_label(re.compile(r"^Add a file")).set_input_files(str(attachment))
    click_and_check(page, main.get_by_role("button", name="Submit proposal"), "receipt")
    assert_heading(page, "Receipt of a proposal")
    receipt = ProposalReceipt.objects.get(proposal__phase=call, proposal__title=title)
    expect(page.locator("main")).to_contain_text(receipt.content_sha256)


def _answer(title: str, criterion: str) -> str:
    return f"{title}: how we meet “{criterion}”."
