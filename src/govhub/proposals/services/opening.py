"""Opening the sealed proposals of a phase: after the deadline, by a lead buyer, logged."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.challenges.models import Phase, PhaseStatus
from govhub.core.audit import audit_record
from govhub.core.errors import InvalidTransition, NotAllowed

from .. import permissions
from ..models import ProposalReceipt, ProposalStatus
from ._common import brussels_time, require_signed_in
from .drafts import lock_phase
from .integrity import receipt_problems


def proposals_open(*, actor: Any, phase: Phase) -> Phase:
    """Open the phase's proposals. Refused to everyone before the deadline — the phase's
    deadline as it is now, so a moved deadline moves the opening with it."""
    require_signed_in(actor)
    with transaction.atomic():
        phase = lock_phase(phase)
        if not permissions.can_open(actor, phase):
            raise NotAllowed(
                _(
                    "Only a buyer of the lead authority, signed in with two-factor "
                    "authentication, can open the proposals."
                ),
                code="not_lead_buyer",
            )
        now = timezone.now()
        if phase.deadline is None or now < phase.deadline:
            raise NotAllowed(
                _("Proposals can only be opened after the deadline, %(deadline)s (Brussels time).")
                % {"deadline": brussels_time(phase.deadline) if phase.deadline else "–"},
                code="before_deadline",
            )
        if phase.status == PhaseStatus.PLANNED:
            raise InvalidTransition(
                _("This phase never opened for proposals."), code="phase_not_open"
            )
        if phase.proposals_opened_at is not None:
            raise InvalidTransition(
                _("The proposals were already opened on %(date)s (Brussels time).")
                % {"date": brussels_time(phase.proposals_opened_at)},
                code="already_opened",
            )
        received = list(
            ProposalReceipt.objects.filter(
                proposal__phase=phase,
                proposal__status=ProposalStatus.SUBMITTED,
                is_current=True,
            ).order_by("received_at", "pk")
        )
        # Annex IV (g): anything changed since receipt is detected here and logged.
        failures = {}
        for receipt in received:
            problems = receipt_problems(receipt)
            if problems:
                failures[str(receipt.public_id)] = problems
        phase.proposals_opened_at = now
        phase.proposals_opened_by = actor
        phase.save(update_fields=["proposals_opened_at", "proposals_opened_by", "updated_at"])
        audit_record(
            actor=actor,
            action="proposals.open",
            obj=phase,
            organisation_id=phase.challenge.lead_authority.public_id,
            before={"proposals_opened_at": None},
            after={
                "proposals_opened_at": now,
                "deadline": phase.deadline,
                "received": len(received),
                "integrity_failures": failures,
            },
        )
        return phase
