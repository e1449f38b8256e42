"""The seal: who may read a proposal's content, and what a reader gets.

See the package's docstring for the rule. Every refusal is audited here.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any
from uuid import UUID

from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from govhub.challenges.models import AwardCriterion, Phase
from govhub.core.audit import audit_record
from govhub.core.errors import NotAllowed

from .. import permissions
from ..models import Proposal, ProposalAnswer, ProposalAttachment, ProposalReceipt, ProposalStatus
from ..services.integrity import receipt_document as _receipt_bytes
from ..storage import PROPOSAL_STORAGE

REFUSED_ACTION = "proposal.sealed_access_refused"

ROLE_COMPANY = "company"
ROLE_BUYER = "buyer"
ROLE_EVALUATOR = "evaluator"


class Sealed(NotAllowed):
    """A read of sealed proposal content that the rule refuses (already audited)."""

    code = "sealed"


# --- The rule ------------------------------------------------------------------------------


def read_role(user: Any, proposal: Proposal, now: dt.datetime | None = None) -> tuple[str, str]:
    """``(role, "")`` when the user may read the proposal's content, else ``("", reason)``."""
    if not permissions.is_signed_in(user):
        return "", "not_signed_in"
    if permissions.is_company_member(user, proposal.company):
        return ROLE_COMPANY, ""
    phase = proposal.phase
    now = now or timezone.now()
    if not permissions.deadline_passed(phase, now):
        return "", "before_deadline"
    if phase.proposals_opened_at is None:
        return "", "not_opened"
    if proposal.status != ProposalStatus.SUBMITTED:
        return "", "not_received"
    if permissions.is_challenge_buyer(user, phase.challenge):
        return ROLE_BUYER, ""
    if permissions.is_challenge_evaluator(user, phase.challenge):
        if permissions.evaluator_may_read(user, phase):
            return ROLE_EVALUATOR, ""
        return "", "evaluator_not_cleared"
    return "", "no_role"


def refuse(*, user: Any, obj: Proposal | Phase, channel: str, reason: str) -> Sealed:
    phase = obj.phase if isinstance(obj, Proposal) else obj
    signed_in = permissions.is_signed_in(user)
    with transaction.atomic(durable=True):
        audit_record(
            actor=user if signed_in else None,
            action=REFUSED_ACTION,
            obj=obj,
            organisation_id=phase.challenge.lead_authority.public_id,
            after={
                "channel": channel,
                "reason": reason,
                "phase": str(phase.public_id),
                "anonymous": not signed_in,
                "at": timezone.now(),
            },
        )
    return Sealed(
        _(
            "This proposal is sealed. It can be read only by its company, and by the buying "
            "authorities once the deadline has passed and a buyer has opened the proposals."
        ),
        reason=reason,
    )


def _fresh(proposal: Proposal) -> Proposal:
    # The seal judges the database as it is now, never a caller's copy loaded before the
    # deadline moved, the proposals were opened or the proposal was withdrawn.
    return Proposal.objects.select_related("phase__challenge__lead_authority", "company").get(
        pk=proposal.pk
    )


def _require_read(user: Any, proposal: Proposal, channel: str) -> tuple[str, Proposal]:
    fresh = _fresh(proposal)
    role, reason = read_role(user, fresh)
    if not role:
        raise refuse(user=user, obj=fresh, channel=channel, reason=reason)
    return role, fresh


# --- What a reader gets (plain data: templates never touch the models' content fields) -----


@dataclass(frozen=True)
class AnswerView:
    criterion_id: str
    name: str
    weight: int
    text: str


@dataclass(frozen=True)
class FileView:
    id: str
    name: str
    content_type: str
    size: int
    sha256: str


@dataclass(frozen=True)
class ReceiptView:
    """One receipt and what it says was submitted."""

    public_id: UUID
    proposal_id: UUID
    received_at: dt.datetime
    content_sha256: str
    is_current: bool
    company_name: str
    challenge_title: str
    phase_title: str
    deadline: dt.datetime | None
    title: str
    price: Decimal | None
    currency: str | None
    answer_list: list[AnswerView]
    file_list: list[FileView]


@dataclass(frozen=True)
class ProposalContent:
    proposal: Proposal
    role: str
    title: str
    price: Decimal | None
    currency: str | None
    answer_list: list[AnswerView]
    file_list: list[FileView]
    receipt: ReceiptView | None
    # True when the content shown is the receipt's (what the buyers received), not the draft.
    as_received: bool


def _receipt_view(receipt: ProposalReceipt) -> ReceiptView:
    data = receipt.snapshot
    price = data.get("declared_price")
    deadline = (data.get("phase") or {}).get("deadline")
    return ReceiptView(
        public_id=receipt.public_id,
        proposal_id=receipt.proposal.public_id,
        received_at=receipt.received_at,
        content_sha256=receipt.content_sha256,
        is_current=receipt.is_current,
        company_name=(data.get("company") or {}).get("name", ""),
        challenge_title=(data.get("challenge") or {}).get("title", ""),
        phase_title=(data.get("phase") or {}).get("title", ""),
        deadline=parse_datetime(deadline) if deadline else None,
        title=data.get("title", ""),
        price=Decimal(price) if price is not None else None,
        currency=data.get("currency"),
        answer_list=[
            AnswerView(a["criterion"], a["name"], a["weight"], a["text"])
            for a in data.get("answers", [])
        ],
        file_list=[
            FileView(f["id"], f["name"], f["content_type"], f["size"], f["sha256"])
            for f in data.get("attachments", [])
        ],
    )


def _current_receipt(proposal: Proposal) -> ProposalReceipt | None:
    return (
        ProposalReceipt.objects.filter(proposal=proposal, is_current=True)
        .select_related("proposal")
        .first()
    )


def _live_content(proposal: Proposal, role: str) -> ProposalContent:
    phase = proposal.phase
    texts = {a.criterion_id: a.text for a in ProposalAnswer.objects.filter(proposal=proposal)}
    criteria = AwardCriterion.objects.filter(phase=phase).order_by("order", "pk")
    receipt = _current_receipt(proposal)
    return ProposalContent(
        proposal=proposal,
        role=role,
        title=proposal.title,
        price=proposal.declared_price,
        currency=phase.challenge.currency if phase.asks_price else None,
        answer_list=[
            AnswerView(str(c.public_id), c.name, c.weight, texts.get(c.pk, "")) for c in criteria
        ],
        file_list=[
            FileView(str(a.public_id), a.original_name, a.content_type, a.size, a.sha256)
            for a in ProposalAttachment.objects.filter(proposal=proposal).order_by(
                "created_at", "pk"
            )
        ],
        receipt=_receipt_view(receipt) if receipt else None,
        as_received=False,
    )


# --- Content selectors (sealed) ------------------------------------------------------------


def proposal_content(*, user: Any, proposal: Proposal, channel: str = "html") -> ProposalContent:
    """The proposal's content: the company sees its live draft; the buying side sees exactly
    what was received (the current receipt's snapshot)."""
    role, proposal = _require_read(user, proposal, channel)
    if role == ROLE_COMPANY:
        return _live_content(proposal, role)
    receipt = _current_receipt(proposal)
    if receipt is None:  # submitted proposals always have one; refuse rather than guess
        raise refuse(user=user, obj=proposal, channel=channel, reason="no_receipt")
    view = _receipt_view(receipt)
    return ProposalContent(
        proposal=proposal,
        role=role,
        title=view.title,
        price=view.price,
        currency=view.currency,
        answer_list=view.answer_list,
        file_list=view.file_list,
        receipt=view,
        as_received=True,
    )


def _require_receipt_read(user: Any, receipt: ProposalReceipt, channel: str) -> ProposalReceipt:
    role, proposal = _require_read(user, receipt.proposal, channel)
    fresh = ProposalReceipt.objects.select_related("proposal").get(pk=receipt.pk)
    if role != ROLE_COMPANY and not fresh.is_current:
        # The buying side reads what it received, not earlier, withdrawn submissions.
        raise refuse(user=user, obj=proposal, channel=channel, reason="not_received")
    return fresh


def receipt_content(*, user: Any, receipt: ProposalReceipt, channel: str = "html") -> ReceiptView:
    return _receipt_view(_require_receipt_read(user, receipt, channel))


def receipt_document(*, user: Any, receipt: ProposalReceipt, channel: str = "json") -> bytes:
    """The receipt's canonical JSON: its SHA-256 is the receipt's hash, checkable by anyone
    holding the file."""
    return _receipt_bytes(_require_receipt_read(user, receipt, channel))


@dataclass(frozen=True)
class AttachmentDownload:
    name: str
    content_type: str
    size: int
    sha256: str
    open: Callable[[], IO[bytes]]


def attachment_file(
    *, user: Any, attachment: ProposalAttachment, channel: str = "download"
) -> AttachmentDownload:
    role, proposal = _require_read(user, attachment.proposal, channel)
    if role != ROLE_COMPANY:
        receipt = _current_receipt(proposal)
        listed = {f["id"] for f in (receipt.snapshot.get("attachments", []) if receipt else [])}
        if str(attachment.public_id) not in listed:
            raise refuse(user=user, obj=proposal, channel=channel, reason="not_received")
    name = attachment.file.name
    return AttachmentDownload(
        name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        open=lambda: PROPOSAL_STORAGE.open(name, "rb"),
    )
