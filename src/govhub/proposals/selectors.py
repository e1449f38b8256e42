"""Reads of proposals, and the seal (Directive 2014/24/EU, Annex IV).

Every read of proposal content — answers, attachments, declared price, title, receipt
snapshots — goes through a function here, whatever the channel (HTML page, file download,
JSON receipt, a future API, export or search). The rule:

- members of the proposing company always read their own proposal;
- after the deadline, and once a lead buyer has opened the phase's proposals, buyers of the
  lead and co-buying authorities read the received (submitted) proposals, as received;
  their evaluators too, when the evaluation app says they may (conflict-of-interest
  declaration signed);
- nobody else: not moderators, not superusers, not staff.

A refused read raises :class:`Sealed` and records ``proposal.sealed_access_refused`` in its
own, durable transaction, so the trace survives the refused request (guarantee (g)). Call
these selectors outside any transaction: Django refuses to nest a durable one (RuntimeError),
which is what keeps a caller's rollback from erasing the trace.

Lists and metadata (status, counts, times) are not content; before opening, the buying side
sees counts only, never which companies applied.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import IO, Any
from uuid import UUID

from django.db import transaction
from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhub.challenges.models import AwardCriterion, ChallengeStatus, Phase
from govhub.core.audit import audit_record
from govhub.core.errors import NotAllowed
from govhub.core.models import AuditEvent

from . import permissions
from .models import Proposal, ProposalAnswer, ProposalAttachment, ProposalReceipt, ProposalStatus
from .services.integrity import receipt_document as _receipt_bytes
from .storage import PROPOSAL_STORAGE

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


def _refuse(*, user: Any, obj: Proposal | Phase, channel: str, reason: str) -> Sealed:
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
        raise _refuse(user=user, obj=fresh, channel=channel, reason=reason)
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
        raise _refuse(user=user, obj=proposal, channel=channel, reason="no_receipt")
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
        raise _refuse(user=user, obj=proposal, channel=channel, reason="not_received")
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
            raise _refuse(user=user, obj=proposal, channel=channel, reason="not_received")
    name = attachment.file.name
    return AttachmentDownload(
        name=attachment.original_name,
        content_type=attachment.content_type,
        size=attachment.size,
        sha256=attachment.sha256,
        open=lambda: PROPOSAL_STORAGE.open(name, "rb"),
    )


# --- Metadata (not content) ----------------------------------------------------------------

_PROPOSAL_RELATED = ("phase__challenge__lead_authority", "company__country", "company__size")


def proposal_detail(*, public_id: UUID | str) -> Proposal | None:
    return Proposal.objects.select_related(*_PROPOSAL_RELATED).filter(public_id=public_id).first()


def receipt_detail(*, public_id: UUID | str) -> ProposalReceipt | None:
    return (
        ProposalReceipt.objects.select_related(*(f"proposal__{r}" for r in _PROPOSAL_RELATED))
        .filter(public_id=public_id)
        .first()
    )


def attachment_detail(*, public_id: UUID | str) -> ProposalAttachment | None:
    return (
        ProposalAttachment.objects.select_related(*(f"proposal__{r}" for r in _PROPOSAL_RELATED))
        .filter(public_id=public_id)
        .first()
    )


def phase_detail(*, public_id: UUID | str) -> Phase | None:
    """A phase of a challenge the public may see (drafts of challenges are not found)."""
    return (
        Phase.objects.select_related("challenge__lead_authority")
        .exclude(challenge__status=ChallengeStatus.DRAFT)
        .filter(public_id=public_id)
        .first()
    )


def proposal_for(*, phase: Phase, company: Any) -> Proposal | None:
    return (
        Proposal.objects.select_related(*_PROPOSAL_RELATED)
        .filter(phase=phase, company=company)
        .first()
    )


def _current_receipts() -> Prefetch:
    return Prefetch(
        "receipts",
        queryset=ProposalReceipt.objects.filter(is_current=True).only(
            "public_id", "proposal_id", "received_at", "content_sha256", "is_current"
        ),
        to_attr="current_receipts",
    )


def receipts_of(*, user: Any, proposal: Proposal) -> list[ProposalReceipt]:
    """Every receipt of the company's own proposal, newest first (times and hashes only)."""
    if not permissions.is_company_member(user, proposal.company):
        raise NotAllowed(_("Only the company’s members see its receipts."))
    return list(
        ProposalReceipt.objects.filter(proposal=proposal)
        .only("public_id", "proposal_id", "received_at", "content_sha256", "is_current")
        .order_by("-received_at", "-pk")
    )


def my_proposals(*, user: Any) -> list[Proposal]:
    """The proposals of every company the user belongs to, with their current receipt."""
    if not permissions.is_signed_in(user):
        return []
    return list(
        Proposal.objects.filter(company__memberships__user=user)
        .select_related("phase__challenge", "company")
        .prefetch_related(_current_receipts())
        .only(
            "public_id",
            "status",
            "submitted_at",
            "withdrawn_at",
            "updated_at",
            "phase__public_id",
            "phase__title",
            "phase__deadline",
            "phase__challenge__public_id",
            "phase__challenge__title",
            "company__public_id",
            "company__name",
        )
        .order_by("-updated_at", "-pk")
    )


@dataclass(frozen=True)
class ReceivedRow:
    proposal_id: UUID
    company_name: str
    receipt_id: UUID
    received_at: dt.datetime
    content_sha256: str


@dataclass(frozen=True)
class PhaseOverview:
    phase: Phase
    received_count: int
    deadline_passed: bool
    opened: bool
    can_open: bool
    # Only once opened, and only for readers the rule lets in; otherwise None.
    rows: list[ReceivedRow] | None


def phase_overview(*, user: Any, phase: Phase, channel: str = "html") -> PhaseOverview:
    """What the buying side sees of a phase's proposals: a count until they are opened."""
    phase = Phase.objects.select_related("challenge__lead_authority").get(pk=phase.pk)
    if not permissions.can_see_phase_overview(user, phase):
        raise _refuse(user=user, obj=phase, channel=channel, reason="no_role")
    now = timezone.now()
    received = Proposal.objects.filter(phase=phase, status=ProposalStatus.SUBMITTED)
    passed = permissions.deadline_passed(phase, now)
    opened = permissions.is_opened(phase, now)
    rows = None
    if opened:
        challenge = phase.challenge
        may_read = permissions.is_challenge_buyer(user, challenge) or (
            permissions.is_challenge_evaluator(user, challenge)
            and permissions.evaluator_may_read(user, phase)
        )
        if may_read:
            receipts = (
                ProposalReceipt.objects.filter(
                    proposal__phase=phase,
                    proposal__status=ProposalStatus.SUBMITTED,
                    is_current=True,
                )
                .select_related("proposal__company")
                .only(
                    "public_id",
                    "received_at",
                    "content_sha256",
                    "proposal__public_id",
                    "proposal__company__name",
                )
                .order_by("received_at", "pk")
            )
            rows = [
                ReceivedRow(
                    proposal_id=r.proposal.public_id,
                    company_name=r.proposal.company.name,
                    receipt_id=r.public_id,
                    received_at=r.received_at,
                    content_sha256=r.content_sha256,
                )
                for r in receipts
            ]
    return PhaseOverview(
        phase=phase,
        received_count=received.count(),
        deadline_passed=passed,
        opened=opened,
        can_open=passed and phase.proposals_opened_at is None and permissions.can_open(user, phase),
        rows=rows,
    )


# --- History of a company's own proposal (point 9) -----------------------------------------

HISTORY_LABELS = {
    "proposal.draft_save": gettext_lazy("Draft saved"),
    "proposal.attachment_add": gettext_lazy("File attached"),
    "proposal.attachment_remove": gettext_lazy("File removed"),
    "proposal.submit": gettext_lazy("Submitted"),
    "proposal.withdraw": gettext_lazy("Withdrawn"),
    "proposals.open": gettext_lazy("Proposals opened by the buyer"),
    REFUSED_ACTION: gettext_lazy("Someone was refused access to the sealed proposal"),
}


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    action: str
    label: str
    by: str  # a company member's name; empty for the buying side and refused attempts


def proposal_history(*, user: Any, proposal: Proposal) -> list[HistoryItem]:
    if not permissions.is_company_member(user, proposal.company):
        raise NotAllowed(_("Only the company’s members see the history of its proposal."))
    phase = proposal.phase
    events = (
        AuditEvent.objects.filter(
            Q(object_type="proposals.proposal", object_id=str(proposal.public_id))
            | Q(
                object_type="challenges.phase",
                object_id=str(phase.public_id),
                action="proposals.open",
            )
        )
        .select_related("actor")
        .order_by("occurred_at", "id")
    )
    items = []
    for event in events:
        by = ""
        if event.action.startswith("proposal.") and event.action != REFUSED_ACTION:
            by = str(event.actor) if event.actor is not None else ""
        elif event.action == "proposals.open":
            by = phase.challenge.lead_authority.name
        label = HISTORY_LABELS.get(event.action, event.action)
        items.append(
            HistoryItem(at=event.occurred_at, action=event.action, label=str(label), by=by)
        )
    return items


def refusal_for(*, phase: Phase, company: Any = None) -> str:
    """Why the phase would refuse this company's proposal now (empty when it would not)."""
    from .services._common import require_accepting, require_eligible

    try:
        require_accepting(phase, timezone.now())
        if company is not None:
            require_eligible(company, phase)
    except NotAllowed as refusal:
        return refusal.message
    return ""


def criteria_of(*, phase: Phase) -> list[AwardCriterion]:
    return list(AwardCriterion.objects.filter(phase=phase).order_by("order", "pk"))
