"""proposal_submit and proposal_withdraw: receipts, idempotency, atomicity, resubmission."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from decimal import Decimal
from typing import Any
from unittest import mock

import pytest
import time_machine
from django.db import IntegrityError

from govhub.core.audit import audit_verify
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.proposals import services
from govhub.proposals.models import (
    Proposal,
    ProposalAttachment,
    ProposalReceipt,
    ProposalStatus,
)
from govhub.proposals.services._common import canonical_json
from govhub.proposals.storage import PROPOSAL_STORAGE

from .fixtures import answers_for, form_token, pdf
from .helpers import assert_unchanged, events, last_event, stored_files

pytestmark = pytest.mark.django_db


def submit(phase, company, actor, **extra):
    values: dict[str, Any] = {
        "idempotency_key": form_token(),
        "answers": answers_for(phase),
        "title": "Parking made simple",
        "add_files": [pdf()],
    }
    values.update(extra)
    return services.proposal_submit(actor=actor, phase=phase, company=company, **values)


def test_submitting_records_the_server_receipt_time_and_hash(open_phase, company, supplier):
    moment = open_phase.deadline - dt.timedelta(hours=5, microseconds=123)
    with time_machine.travel(moment, tick=False):
        receipt = submit(open_phase, company, supplier)
    proposal = Proposal.objects.get(pk=receipt.proposal_id)
    assert proposal.status == ProposalStatus.SUBMITTED
    assert receipt.received_at == moment
    assert proposal.submitted_at == moment
    assert receipt.is_current
    assert receipt.submitted_by == supplier
    # The hash covers the canonical snapshot, which lists every answer and file hash.
    assert receipt.content_sha256 == hashlib.sha256(canonical_json(receipt.snapshot)).hexdigest()
    snapshot = receipt.snapshot
    assert snapshot["received_at"] == moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert [a["text"] for a in snapshot["answers"]] == list(answers_for(open_phase).values())
    attachment = ProposalAttachment.objects.get(proposal=proposal)
    assert snapshot["attachments"] == [
        {
            "id": str(attachment.public_id),
            "name": "solution.pdf",
            "content_type": "application/pdf",
            "size": attachment.size,
            "sha256": attachment.sha256,
        }
    ]
    event = last_event()
    assert event.action == "proposal.submit"
    assert event.after["content_sha256"] == receipt.content_sha256
    assert event.after["receipt"] == str(receipt.public_id)
    dumped = json.dumps([event.before, event.after])
    assert "Our answer" not in dumped
    assert "solution.pdf" not in dumped
    assert audit_verify().ok


def test_the_hash_changes_with_any_answer_or_file(
    open_phase, company, supplier, second_company, second_supplier
):
    one = submit(open_phase, company, supplier)
    two = submit(open_phase, second_company, second_supplier)
    assert one.content_sha256 != two.content_sha256


def test_an_incomplete_proposal_is_refused_naming_each_missing_answer(
    open_phase, company, supplier
):
    criteria = list(open_phase.criteria.order_by("order"))
    with assert_unchanged(), pytest.raises(InvalidInput) as refused:
        submit(open_phase, company, supplier, answers={str(criteria[0].public_id): "Only one"})
    assert set(refused.value.field_errors) == {services.answer_field(c) for c in criteria[1:]}


def test_a_blank_answer_counts_as_missing(open_phase, company, supplier):
    answers = answers_for(open_phase)
    first = next(iter(answers))
    answers[first] = "   \n  "
    with assert_unchanged(), pytest.raises(InvalidInput) as refused:
        submit(open_phase, company, supplier, answers=answers)
    assert list(refused.value.field_errors) == [f"answer_{first}"]


def test_the_price_is_required_when_the_phase_asks_for_it(open_phase, company, supplier):
    open_phase.asks_price = True
    open_phase.save()
    with assert_unchanged(), pytest.raises(InvalidInput) as refused:
        submit(open_phase, company, supplier)
    assert list(refused.value.field_errors) == ["declared_price"]
    receipt = submit(open_phase, company, supplier, declared_price=Decimal("99000"))
    assert receipt.snapshot["declared_price"] == "99000.00"
    assert receipt.snapshot["currency"] == "EUR"


def test_the_same_form_sent_twice_makes_one_receipt(open_phase, company, supplier):
    key = form_token()
    first = submit(open_phase, company, supplier, idempotency_key=key)
    with assert_unchanged():
        second = submit(open_phase, company, supplier, idempotency_key=key)
    assert second.pk == first.pk
    assert ProposalReceipt.objects.count() == 1
    assert len(events("proposal.submit")) == 1


def test_the_replay_of_a_form_sent_just_before_the_deadline_still_finds_its_receipt(
    open_phase, company, supplier
):
    key = form_token()
    with time_machine.travel(open_phase.deadline - dt.timedelta(seconds=1), tick=False):
        first = submit(open_phase, company, supplier, idempotency_key=key)
    with time_machine.travel(open_phase.deadline + dt.timedelta(seconds=1), tick=False):
        again = submit(open_phase, company, supplier, idempotency_key=key)
    assert again.pk == first.pk


def test_an_old_form_sent_after_withdrawing_is_refused(open_phase, company, supplier):
    key = form_token()
    receipt = submit(open_phase, company, supplier, idempotency_key=key)
    services.proposal_withdraw(actor=supplier, proposal=receipt.proposal)
    with assert_unchanged(), pytest.raises(Conflict) as refused:
        submit(open_phase, company, supplier, idempotency_key=key)
    assert refused.value.code == "form_already_used"


@pytest.mark.parametrize(
    "key", ["", "short", "x" * 65, "has spaces in it 123456", "ünïcödé-kéy-1234567"]
)
def test_a_malformed_form_token_is_refused(open_phase, company, supplier, key):
    with assert_unchanged(), pytest.raises(InvalidInput):
        submit(open_phase, company, supplier, idempotency_key=key)


def test_submitting_twice_without_withdrawing_is_refused(
    submitted_proposal, open_phase, company, supplier
):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        submit(open_phase, company, supplier)


@pytest.mark.parametrize(
    "target",
    [
        "govhub.proposals.services.submission.audit_record",
        "govhub.proposals.services.submission.build_snapshot",
        "govhub.proposals.services.submission.snapshot_hash",
    ],
)
def test_a_crash_during_submission_stores_nothing(
    open_phase, company, supplier, proposal_files, target
):
    with (
        assert_unchanged(proposal_files),
        mock.patch(target, side_effect=RuntimeError("power cut")),
        pytest.raises(RuntimeError),
    ):
        submit(open_phase, company, supplier)
    assert not Proposal.objects.exists()
    assert not ProposalReceipt.objects.exists()


def test_a_crash_while_creating_the_receipt_keeps_the_earlier_draft_as_it_was(
    open_phase, company, supplier, proposal_files
):
    services.proposal_save_draft(
        actor=supplier, phase=open_phase, company=company, answers=answers_for(open_phase, "Draft")
    )
    with (
        assert_unchanged(proposal_files),
        mock.patch.object(
            ProposalReceipt.objects, "create", side_effect=IntegrityError("disk full")
        ),
        pytest.raises(IntegrityError),
    ):
        submit(open_phase, company, supplier, answers=answers_for(open_phase, "Final"))
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.DRAFT
    assert set(proposal.answers.values_list("text", flat=True)) == set(
        answers_for(open_phase, "Draft").values()
    )


def test_a_file_altered_in_storage_after_upload_is_detected_at_submission(
    open_phase, company, supplier, proposal_files
):
    proposal = services.proposal_save_draft(
        actor=supplier,
        phase=open_phase,
        company=company,
        answers=answers_for(open_phase),
        add_files=[pdf()],
    )
    attachment = ProposalAttachment.objects.get(proposal=proposal)
    (proposal_files / attachment.file.name).write_bytes(b"%PDF-1.7 swapped behind our back")
    with assert_unchanged(), pytest.raises(Conflict) as refused:
        services.proposal_submit(
            actor=supplier, phase=open_phase, company=company, idempotency_key=form_token()
        )
    assert refused.value.code == "attachment_altered"


@pytest.mark.parametrize(
    "persona", ["outsider", "buyer", "moderator", "second_supplier", "authority_admin"]
)
def test_only_the_company_submits(request, open_phase, company, persona, proposal_files):
    with assert_unchanged(proposal_files), pytest.raises(NotAllowed):
        submit(open_phase, company, request.getfixturevalue(persona))


def test_withdrawing_keeps_the_receipt_but_not_as_current(submitted_proposal, supplier):
    receipt = ProposalReceipt.objects.get(proposal=submitted_proposal)
    proposal = services.proposal_withdraw(actor=supplier, proposal=submitted_proposal)
    assert proposal.status == ProposalStatus.WITHDRAWN
    assert proposal.withdrawn_at is not None
    receipt.refresh_from_db()
    assert not receipt.is_current
    event = last_event()
    assert event.action == "proposal.withdraw"
    assert event.after["receipts_no_longer_current"] == [str(receipt.public_id)]


def test_a_withdrawn_proposal_can_be_changed_and_resubmitted_with_a_new_receipt(
    submitted_proposal, open_phase, company, supplier
):
    old = ProposalReceipt.objects.get(proposal=submitted_proposal)
    proposal = services.proposal_withdraw(actor=supplier, proposal=submitted_proposal)
    proposal = services.proposal_save_draft(
        actor=supplier, phase=open_phase, company=company, version=proposal.version, title="Better"
    )
    new = services.proposal_submit(
        actor=supplier, phase=open_phase, company=company, idempotency_key=form_token()
    )
    old.refresh_from_db()
    assert new.pk != old.pk
    assert new.is_current
    assert not old.is_current
    assert new.snapshot["title"] == "Better"
    assert new.content_sha256 != old.content_sha256
    assert Proposal.objects.get(pk=proposal.pk).status == ProposalStatus.SUBMITTED


def test_only_submitted_proposals_are_withdrawn(open_phase, company, supplier):
    draft = services.proposal_save_draft(actor=supplier, phase=open_phase, company=company)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.proposal_withdraw(actor=supplier, proposal=draft)


def test_no_withdrawal_at_or_after_the_deadline(submitted_proposal, supplier, open_phase):
    with (
        time_machine.travel(open_phase.deadline, tick=False),
        assert_unchanged(),
        pytest.raises(NotAllowed) as refused,
    ):
        services.proposal_withdraw(actor=supplier, proposal=submitted_proposal)
    assert refused.value.code == "deadline_passed"


@pytest.mark.parametrize("persona", ["outsider", "buyer", "moderator", "second_supplier"])
def test_only_the_company_withdraws(request, submitted_proposal, persona):
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.proposal_withdraw(
            actor=request.getfixturevalue(persona), proposal=submitted_proposal
        )


def test_the_stored_file_of_a_submitted_proposal_is_the_one_hashed(
    submitted_proposal, proposal_files
):
    attachment = ProposalAttachment.objects.get(proposal=submitted_proposal)
    with PROPOSAL_STORAGE.open(attachment.file.name, "rb") as handle:
        assert hashlib.sha256(handle.read()).hexdigest() == attachment.sha256
    assert stored_files(proposal_files) == [attachment.file.name]
