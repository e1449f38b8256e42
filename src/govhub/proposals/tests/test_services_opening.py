"""proposals_open: only after the deadline (as it is now), only by a lead buyer with 2FA."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from allauth.mfa.models import Authenticator

from govhub.challenges import services as challenge_services
from govhub.core.audit import audit_verify
from govhub.core.errors import InvalidTransition, NotAllowed
from govhub.proposals import services
from govhub.proposals.models import ProposalAttachment, ProposalReceipt

from .fixtures import after_deadline
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db


def test_the_lead_buyer_opens_after_the_deadline_and_it_is_logged(
    submitted_proposal, buyer, open_phase, authority
):
    moment = open_phase.deadline + dt.timedelta(minutes=5)
    with time_machine.travel(moment, tick=False):
        phase = services.proposals_open(actor=buyer, phase=open_phase)
    assert phase.proposals_opened_at == moment
    assert phase.proposals_opened_by == buyer
    event = last_event()
    assert event.action == "proposals.open"
    assert event.object_id == str(open_phase.public_id)
    assert event.organisation_id == authority.public_id
    assert event.after["received"] == 1
    assert event.after["integrity_failures"] == {}
    assert audit_verify().ok


def test_opening_at_the_deadline_second_itself_is_allowed(submitted_proposal, buyer, open_phase):
    with time_machine.travel(open_phase.deadline, tick=False):
        services.proposals_open(actor=buyer, phase=open_phase)


@pytest.mark.parametrize(
    "persona", ["buyer", "authority_admin", "moderator", "superuser", "supplier", "outsider"]
)
def test_nobody_opens_before_the_deadline(
    request, submitted_proposal, open_phase, persona, make_user
):
    actor = (
        make_user("root@example.eu", is_superuser=True, is_staff=True)
        if persona == "superuser"
        else request.getfixturevalue(persona)
    )
    with (
        time_machine.travel(open_phase.deadline - dt.timedelta(seconds=1), tick=False),
        assert_unchanged(),
        pytest.raises(NotAllowed),
    ):
        services.proposals_open(actor=actor, phase=open_phase)


@pytest.mark.parametrize(
    "persona",
    ["authority_admin", "moderator", "superuser", "supplier", "outsider", "cobuyer", "evaluator"],
)
def test_after_the_deadline_only_a_lead_buyer_opens(
    request, submitted_proposal, open_phase, persona, make_user, second_authority, buyer
):
    actor = (
        make_user("root@example.eu", is_superuser=True, is_staff=True)
        if persona == "superuser"
        else request.getfixturevalue(persona)
    )
    with (
        time_machine.travel(after_deadline(open_phase), tick=False),
        assert_unchanged(),
        pytest.raises(NotAllowed) as refused,
    ):
        services.proposals_open(actor=actor, phase=open_phase)
    assert refused.value.code == "not_lead_buyer"


def test_a_buyer_without_two_factor_cannot_open(submitted_proposal, open_phase, buyer):
    Authenticator.objects.filter(user=buyer).delete()
    with (
        time_machine.travel(after_deadline(open_phase), tick=False),
        assert_unchanged(),
        pytest.raises(NotAllowed),
    ):
        services.proposals_open(actor=buyer, phase=open_phase)


def test_proposals_are_opened_once(opened_phase, buyer):
    with assert_unchanged(), pytest.raises(InvalidTransition) as refused:
        services.proposals_open(actor=buyer, phase=opened_phase)
    assert refused.value.code == "already_opened"


def test_the_opening_follows_an_extended_deadline(submitted_proposal, open_phase, buyer):
    old = open_phase.deadline
    challenge_services.phase_change_deadline(
        actor=buyer, phase=open_phase, deadline=old + dt.timedelta(days=2), reason="Holidays"
    )
    with (
        time_machine.travel(old + dt.timedelta(hours=1), tick=False),
        assert_unchanged(),
        pytest.raises(NotAllowed) as refused,
    ):
        services.proposals_open(actor=buyer, phase=open_phase)
    assert refused.value.code == "before_deadline"
    with time_machine.travel(old + dt.timedelta(days=2), tick=False):
        services.proposals_open(actor=buyer, phase=open_phase)


def test_opening_detects_and_logs_a_file_altered_since_receipt(
    submitted_proposal, open_phase, buyer, proposal_files
):
    attachment = ProposalAttachment.objects.get(proposal=submitted_proposal)
    (proposal_files / attachment.file.name).write_bytes(b"%PDF-1.7 tampered")
    receipt = ProposalReceipt.objects.get(proposal=submitted_proposal)
    with time_machine.travel(after_deadline(open_phase), tick=False):
        services.proposals_open(actor=buyer, phase=open_phase)
    assert last_event().after["integrity_failures"] == {
        str(receipt.public_id): [f"attachment:{attachment.public_id}"]
    }


def test_opening_detects_a_snapshot_altered_since_receipt(submitted_proposal, open_phase, buyer):
    receipt = ProposalReceipt.objects.get(proposal=submitted_proposal)
    snapshot = receipt.snapshot
    snapshot["answers"][0]["text"] = "Rewritten after the deadline"
    ProposalReceipt.objects.filter(pk=receipt.pk).update(snapshot=snapshot)
    with time_machine.travel(after_deadline(open_phase), tick=False):
        services.proposals_open(actor=buyer, phase=open_phase)
    assert last_event().after["integrity_failures"] == {str(receipt.public_id): ["snapshot"]}


def test_withdrawn_and_draft_proposals_are_not_counted_as_received(
    open_phase, make_proposal, second_company, second_supplier, buyer, supplier
):
    withdrawn = make_proposal(open_phase)
    services.proposal_withdraw(actor=supplier, proposal=withdrawn)
    make_proposal(open_phase, company=second_company, actor=second_supplier, submit=False)
    with time_machine.travel(after_deadline(open_phase), tick=False):
        services.proposals_open(actor=buyer, phase=open_phase)
    assert last_event().after["received"] == 0
