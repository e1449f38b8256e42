"""Reads that are not content: lookups, counts, lists and the company's history.

Before opening, the buying side sees counts only, never which companies applied.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any
from uuid import UUID

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhub.challenges.models import AwardCriterion, ChallengeStatus, Phase
from govhub.core.errors import NotAllowed
from govhub.core.models import AuditEvent

from .. import permissions
from ..models import Proposal, ProposalAttachment, ProposalReceipt, ProposalStatus
from ..services._common import require_accepting, require_eligible
from .seal import REFUSED_ACTION, refuse

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
        raise refuse(user=user, obj=phase, channel=channel, reason="no_role")
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
    try:
        require_accepting(phase, timezone.now())
        if company is not None:
            require_eligible(company, phase)
    except NotAllowed as refusal:
        return refusal.message
    return ""


def criteria_of(*, phase: Phase) -> list[AwardCriterion]:
    return list(AwardCriterion.objects.filter(phase=phase).order_by("order", "pk"))
