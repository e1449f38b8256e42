"""Selectors: the read rule, the evaluators' hook, counts, the company's list and history."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from govhub.core.errors import NotAllowed
from govhub.proposals import permissions, selectors, services
from govhub.proposals.selectors import Sealed

from .fixtures import after_deadline

pytestmark = pytest.mark.django_db


def test_the_company_reads_its_draft_live(open_phase, company, supplier):
    proposal = services.proposal_save_draft(
        actor=supplier, phase=open_phase, company=company, title="Draft title"
    )
    content = selectors.proposal_content(user=supplier, proposal=proposal)
    assert content.role == selectors.ROLE_COMPANY
    assert content.title == "Draft title"
    assert not content.as_received
    assert content.receipt is None
    assert [a.text for a in content.answer_list] == ["", "", ""]  # every criterion, in order


def test_the_buying_side_reads_what_was_received_not_the_live_rows(
    opened_phase, submitted_proposal, buyer
):
    content = selectors.proposal_content(user=buyer, proposal=submitted_proposal)
    assert content.role == selectors.ROLE_BUYER
    assert content.as_received
    assert content.receipt is not None
    assert content.title == content.receipt.title


@pytest.mark.parametrize(
    ("moment", "opened", "reason"),
    [
        (dt.timedelta(seconds=-1), False, "before_deadline"),
        (dt.timedelta(seconds=1), False, "not_opened"),
    ],
)
def test_the_rule_says_why(submitted_proposal, open_phase, buyer, moment, opened, reason):
    with time_machine.travel(open_phase.deadline + moment, tick=False):
        assert selectors.read_role(buyer, submitted_proposal) == ("", reason)


def test_evaluators_are_refused_without_an_evaluation_app(
    monkeypatch, opened_phase, submitted_proposal, evaluator
):
    def missing(name):
        raise ModuleNotFoundError(f"No module named {name!r}", name=name)

    monkeypatch.setattr(permissions.importlib, "import_module", missing)
    assert not permissions.evaluator_may_read(evaluator, opened_phase)
    assert selectors.read_role(evaluator, submitted_proposal) == ("", "evaluator_not_cleared")


def test_a_broken_evaluation_app_is_not_mistaken_for_a_missing_one(
    monkeypatch, opened_phase, evaluator
):
    def broken(name):
        raise ModuleNotFoundError("No module named 'numpy'", name="numpy")

    monkeypatch.setattr(permissions.importlib, "import_module", broken)
    with pytest.raises(ModuleNotFoundError):
        permissions.evaluator_may_read(evaluator, opened_phase)


def test_the_overview_counts_only_submitted_proposals(
    open_phase, make_proposal, second_company, second_supplier, buyer, supplier
):
    first = make_proposal(open_phase)
    make_proposal(open_phase, company=second_company, actor=second_supplier, submit=False)
    overview = selectors.phase_overview(user=buyer, phase=open_phase)
    assert overview.received_count == 1
    assert overview.rows is None
    assert not overview.can_open
    services.proposal_withdraw(actor=supplier, proposal=first)
    assert selectors.phase_overview(user=buyer, phase=open_phase).received_count == 0


def test_the_overview_offers_opening_only_to_a_lead_buyer_after_the_deadline(
    submitted_proposal, open_phase, buyer, authority_admin
):
    with time_machine.travel(after_deadline(open_phase), tick=False):
        assert selectors.phase_overview(user=buyer, phase=open_phase).can_open
        with pytest.raises(Sealed):
            selectors.phase_overview(user=authority_admin, phase=open_phase)


def test_the_overview_lists_once_opened(opened_phase, submitted_proposal, buyer):
    overview = selectors.phase_overview(user=buyer, phase=opened_phase)
    assert overview.opened
    assert overview.rows is not None
    (row,) = overview.rows
    assert row.proposal_id == submitted_proposal.public_id
    assert row.company_name == "CivicTech Solutions"


def test_my_proposals_lists_those_of_my_companies_only(
    open_phase, make_proposal, second_company, second_supplier, supplier
):
    mine = make_proposal(open_phase)
    make_proposal(open_phase, company=second_company, actor=second_supplier)
    listed = selectors.my_proposals(user=supplier)
    assert [p.pk for p in listed] == [mine.pk]
    assert len(getattr(listed[0], "current_receipts")) == 1  # noqa: B009 (set by prefetch)


def test_receipts_and_history_are_for_the_company_only(submitted_proposal, supplier, buyer):
    assert len(selectors.receipts_of(user=supplier, proposal=submitted_proposal)) == 1
    with pytest.raises(NotAllowed):
        selectors.receipts_of(user=buyer, proposal=submitted_proposal)
    with pytest.raises(NotAllowed):
        selectors.proposal_history(user=buyer, proposal=submitted_proposal)


def test_refusal_for_explains_why_a_phase_takes_no_proposal(
    open_phase, company, published_challenge
):
    assert selectors.refusal_for(phase=open_phase, company=company) == ""
    pilot = published_challenge.phases.get(order=2)
    assert selectors.refusal_for(phase=pilot) == "This phase is not open for proposals."
    with time_machine.travel(open_phase.deadline, tick=False):
        assert "The deadline for proposals was" in selectors.refusal_for(phase=open_phase)


def test_a_stale_copy_does_not_fool_the_seal(submitted_proposal, open_phase, buyer):
    # A copy loaded before opening must not keep a reader out, nor one loaded after let a
    # reader in once the deadline moves: the seal reads the rows afresh.
    stale = submitted_proposal
    assert stale.phase.proposals_opened_at is None  # the copy now holds the phase, unopened
    with time_machine.travel(after_deadline(open_phase), tick=False):
        services.proposals_open(actor=buyer, phase=open_phase)
        assert stale.phase.proposals_opened_at is None
        assert selectors.proposal_content(user=buyer, proposal=stale).as_received
