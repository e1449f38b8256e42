"""Submitting, withdrawing and resubmitting: the electronic receipt of Annex IV.

The receipt time is the server's clock inside the transaction that stores the proposal, its
receipt and the audit event together: a crash leaves all three or none.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.challenges.models import AwardCriterion, Phase
from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition
from govhub.core.lifecycle import transition
from govhub.organisations.models import Organisation

from ..models import (
    PROPOSAL_TRANSITIONS,
    Proposal,
    ProposalAnswer,
    ProposalAttachment,
    ProposalReceipt,
    ProposalStatus,
)
from ._common import (
    deadline_refusal,
    lock_proposal,
    require_accepting,
    require_company_member,
    require_eligible,
    user_ref,
)
from .drafts import (
    KEEP,
    answer_field,
    apply_draft,
    check_version,
    lock_or_create,
    lock_phase,
    storage_guard,
)
from .integrity import attachment_intact, build_snapshot, snapshot_hash

_KEY = re.compile(r"^[A-Za-z0-9_-]{16,64}$")


def clean_idempotency_key(value: str) -> str:
    key = (value or "").strip()
    if not _KEY.match(key):
        raise InvalidInput(
            _("The form has expired. Reload the page and submit again."), code="bad_form_token"
        )
    return key


def _require_complete(proposal: Proposal, phase: Phase) -> None:
    answered = {
        a.criterion_id for a in ProposalAnswer.objects.filter(proposal=proposal).exclude(text="")
    }
    errors: dict[str, list[str]] = {}
    for criterion in AwardCriterion.objects.filter(phase=phase).order_by("order", "pk"):
        if criterion.pk not in answered:
            errors[answer_field(criterion)] = [
                _("Answer “%(name)s” before you submit.") % {"name": criterion.name}
            ]
    if phase.asks_price and proposal.declared_price is None:
        errors["declared_price"] = [_("Enter the price you propose before you submit.")]
    if errors:
        raise InvalidInput(
            _("The proposal is not complete yet. Your draft is kept."), field_errors=errors
        )


def _require_files_intact(proposal: Proposal) -> None:
    for attachment in ProposalAttachment.objects.filter(proposal=proposal):
        if not attachment_intact(attachment):
            raise Conflict(
                _(
                    "The stored copy of “%(name)s” no longer matches the file you uploaded. "
                    "Remove it and upload it again."
                )
                % {"name": attachment.original_name},
                code="attachment_altered",
            )


def proposal_submit(
    *,
    actor: Any,
    phase: Phase,
    company: Organisation,
    idempotency_key: str,
    version: int | None = None,
    title: str | None = None,
    answers: Mapping[Any, str] | None = None,
    declared_price: Any = KEEP,
    add_files: Sequence[Any] = (),
    remove_attachments: Sequence[Any] = (),
) -> ProposalReceipt:
    """Receive the company's proposal (with what the form last sent) and return its receipt.

    ``idempotency_key`` is the form's one-time token: the same form sent twice returns the
    first receipt instead of making a second one.
    """
    key = clean_idempotency_key(idempotency_key)
    require_company_member(actor, company)
    with storage_guard() as saved, transaction.atomic():
        phase = lock_phase(phase)
        proposal, created = lock_or_create(actor=actor, phase=phase, company=company)
        replay = ProposalReceipt.objects.filter(idempotency_key=key).first()
        if replay is not None:
            if replay.proposal_id == proposal.pk and replay.is_current:
                return replay
            raise Conflict(
                _("This form was already used. Reload the page to see the proposal as it is."),
                code="form_already_used",
            )
        # The moment of receipt: the server's clock, once the locks are ours.
        now = timezone.now()
        require_accepting(phase, now)
        require_eligible(company, phase)
        if (
            proposal.status not in PROPOSAL_TRANSITIONS
            or ProposalStatus.SUBMITTED not in (PROPOSAL_TRANSITIONS[proposal.status])
        ):
            raise InvalidTransition(
                _("This proposal has already been submitted."), code="already_submitted"
            )
        result = apply_draft(
            proposal,
            phase,
            title=title,
            answers=answers,
            declared_price=declared_price,
            add_files=add_files,
            remove_attachments=remove_attachments,
            saved=saved,
        )
        check_version(proposal, version if not created else None, result)
        _require_complete(proposal, phase)
        _require_files_intact(proposal)

        before = {"status": proposal.status, "version": proposal.version}
        transition(proposal, to=ProposalStatus.SUBMITTED, allowed=PROPOSAL_TRANSITIONS)
        proposal.submitted_at = now
        proposal.version += 1
        proposal.save()
        ProposalReceipt.objects.filter(proposal=proposal, is_current=True).update(is_current=False)
        snapshot = build_snapshot(proposal, received_at=now, submitted_by=actor)
        receipt = ProposalReceipt.objects.create(
            proposal=proposal,
            submitted_by=actor,
            received_at=now,
            content_sha256=snapshot_hash(snapshot),
            snapshot=snapshot,
            is_current=True,
            idempotency_key=key,
        )
        audit_record(
            actor=actor,
            action="proposal.submit",
            obj=proposal,
            organisation_id=company.public_id,
            before=before,
            after={
                "status": proposal.status,
                "version": proposal.version,
                "receipt": str(receipt.public_id),
                "received_at": now,
                "content_sha256": receipt.content_sha256,
                "submitted_by": user_ref(actor),
            },
        )
        return receipt


def proposal_withdraw(*, actor: Any, proposal: Proposal) -> Proposal:
    """Withdraw a submitted proposal before the deadline; its receipts stay, none current."""
    require_company_member(actor, proposal.company)
    with transaction.atomic():
        phase = lock_phase(proposal.phase)
        locked = lock_proposal(proposal)
        now = timezone.now()
        if phase.deadline is not None and now >= phase.deadline:
            raise deadline_refusal(phase, now)
        if locked.status != ProposalStatus.SUBMITTED:
            raise InvalidTransition(
                _("Only a submitted proposal can be withdrawn."), code="not_submitted"
            )
        before = {"status": locked.status, "version": locked.version}
        transition(locked, to=ProposalStatus.WITHDRAWN, allowed=PROPOSAL_TRANSITIONS)
        locked.withdrawn_at = now
        locked.version += 1
        locked.save()
        withdrawn = list(
            ProposalReceipt.objects.filter(proposal=locked, is_current=True).values_list(
                "public_id", flat=True
            )
        )
        ProposalReceipt.objects.filter(proposal=locked, is_current=True).update(is_current=False)
        audit_record(
            actor=actor,
            action="proposal.withdraw",
            obj=locked,
            organisation_id=locked.company.public_id,
            before=before,
            after={
                "status": locked.status,
                "version": locked.version,
                "withdrawn_at": now,
                "receipts_no_longer_current": [str(r) for r in withdrawn],
            },
        )
        return locked
