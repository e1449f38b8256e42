"""Publishing a phase's results: who goes on (invited to the next phase) and why."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.challenges.models import Phase, PhaseStatus
from govhub.core.audit import audit_record
from govhub.core.errors import InvalidInput, InvalidTransition
from govhub.proposals.models import Proposal

from .. import notifications, selectors
from ..models import PhaseResult, PilotPlan
from ..permissions import SCORED_PHASE_KINDS
from ._common import (
    clean_text,
    decide_phase,
    lock_phase,
    require_lead_buyer,
    require_live_challenge,
    require_undecided,
)


@dataclass(frozen=True)
class ResultInput:
    proposal: Proposal
    selected: bool
    reason: str


def selected_field(proposal: Proposal) -> str:
    return f"selected_{proposal.public_id}"


def reason_field(proposal: Proposal) -> str:
    return f"reason_{proposal.public_id}"


@transaction.atomic
def phase_results_publish(
    *, actor: Any, phase: Phase, results: Sequence[ResultInput]
) -> list[PhaseResult]:
    """The lead buyer publishes who is selected and who is not, with a reason for each.

    Scored phases need the proposals opened and a consensus on every criterion of every
    proposal; a pilot phase needs a "go" for every company it selects. At most the phase's
    ``max_selected`` go on, invited to the next phase. The phase is then decided.
    """
    phase = lock_phase(phase)
    challenge = phase.challenge
    require_lead_buyer(actor, challenge)
    require_live_challenge(challenge)
    require_undecided(phase)
    scored = phase.kind in SCORED_PHASE_KINDS
    if scored and phase.proposals_opened_at is None:
        raise InvalidTransition(
            _("The proposals have not been opened yet."), code="proposals_sealed"
        )
    if scored and phase.status not in {PhaseStatus.CLOSED, PhaseStatus.EVALUATING}:
        raise InvalidTransition(
            _("Results are published once the phase is closed."), code="phase_not_closed"
        )
    candidates = selectors.phase_candidates(phase)
    if not candidates:
        raise InvalidTransition(
            _("There are no proposals to decide on in this phase."), code="no_candidates"
        )
    by_id = {p.pk: p for p in candidates}
    given = [r.proposal.pk for r in results]
    if len(set(given)) != len(given) or set(given) != set(by_id):
        raise InvalidInput(
            _("Decide on every proposal of this phase, once each."), code="incomplete"
        )

    errors: dict[str, list[str]] = {}
    reasons: dict[int, str] = {}
    for entry in results:
        try:
            reasons[entry.proposal.pk] = clean_text(
                entry.reason,
                field=reason_field(entry.proposal),
                missing=(
                    _("Say why %(company)s is selected")
                    if entry.selected
                    else _("Say why %(company)s is not selected")
                )
                % {"company": by_id[entry.proposal.pk].company.name},
            )
        except InvalidInput as error:
            for name, messages in error.field_errors.items():
                errors.setdefault(name, []).extend(messages)
    if errors:
        raise InvalidInput(_("Give a reason for every company."), field_errors=errors)
    selected = [r for r in results if r.selected]
    if phase.max_selected is not None and len(selected) > phase.max_selected:
        raise InvalidInput(
            _("This phase takes at most %(max)s companies on; you selected %(count)s.")
            % {"max": phase.max_selected, "count": len(selected)},
            code="too_many",
        )

    totals: dict[int, Any] = {}
    if scored:
        evaluation = selectors.phase_evaluation(phase)
        if evaluation.criteria and not evaluation.consensus_complete:
            raise InvalidTransition(
                _("Record the consensus score on every criterion of every proposal first."),
                code="consensus_missing",
            )
        totals = {p.proposal.pk: p.total for p in evaluation.proposals}
    else:
        plans = {
            plan.proposal_id: plan
            for plan in PilotPlan.objects.filter(phase=phase).select_related("decision")
        }
        no_go = [
            by_id[r.proposal.pk].company.name
            for r in selected
            if not (
                r.proposal.pk in plans
                and getattr(plans[r.proposal.pk], "decision", None) is not None
                and plans[r.proposal.pk].decision.go
            )
        ]
        if no_go:
            raise InvalidInput(
                _("Only companies whose pilot got a “go” can be selected: %(names)s.")
                % {"names": ", ".join(no_go)},
                code="no_go",
            )

    ranking = sorted(
        candidates,
        key=lambda p: (totals.get(p.pk) is None, -(totals.get(p.pk) or 0), p.company.name),
    )
    rank = {p.pk: n for n, p in enumerate(ranking, start=1)} if totals else {}
    invited_to = selectors.next_phase(phase)
    now = timezone.now()
    created = [
        PhaseResult.objects.create(
            phase=phase,
            proposal=by_id[entry.proposal.pk],
            selected=entry.selected,
            reason=reasons[entry.proposal.pk],
            weighted_total=totals.get(entry.proposal.pk),
            rank=rank.get(entry.proposal.pk),
            invited_to=invited_to if entry.selected else None,
            published_at=now,
            published_by=actor,
        )
        for entry in results
    ]
    before_status = phase.status
    decide_phase(
        actor,
        phase,
        _("%(selected)s of %(count)s companies selected.")
        % {"selected": len(selected), "count": len(created)},
    )
    audit_record(
        actor=actor,
        action="evaluation.phase_results_publish",
        obj=phase,
        organisation_id=challenge.lead_authority.public_id,
        before={"status": before_status},
        after={
            "status": phase.status,
            "invited_to": str(invited_to.public_id) if invited_to else None,
            "results": [
                {
                    "proposal": str(r.proposal.public_id),
                    "company": str(r.proposal.company.public_id),
                    "selected": r.selected,
                    "weighted_total": r.weighted_total,
                    "reason": r.reason,
                }
                for r in created
            ],
        },
    )
    result_ids = [r.pk for r in created]
    transaction.on_commit(lambda: notifications.phase_results_published(result_ids))
    return created
