"""Evaluators' scores and the lead buyer's consensus, per proposal and criterion."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhub.challenges.models import AwardCriterion, Phase
from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.proposals.models import Proposal, ProposalStatus

from .. import permissions
from ..models import (
    SCORE_MAX,
    SCORE_MIN,
    AssignmentStatus,
    ConsensusScore,
    EvaluatorAssignment,
    Score,
)
from ..selectors import weighted_total_of
from ._common import (
    clean_text,
    lock_phase,
    require_lead_buyer,
    require_live_challenge,
    require_opened,
    require_undecided,
)


@dataclass(frozen=True)
class ScoreInput:
    criterion: AwardCriterion
    score: int | str | None  # as typed in a form is fine: checked here
    justification: str


@dataclass(frozen=True)
class ConsensusInput:
    criterion: AwardCriterion
    score: Decimal | int | str | None
    reason: str
    # The consensus version the buyer saw (0: there was none); a newer one is a Conflict.
    version: int = 0


def score_field(criterion: AwardCriterion) -> str:
    """The form field names a criterion's errors are reported under."""
    return f"score_{criterion.public_id}"


def reason_field(criterion: AwardCriterion) -> str:
    return f"reason_{criterion.public_id}"


def _require_proposal_in(phase: Phase, proposal: Proposal) -> Proposal:
    fresh = Proposal.objects.filter(pk=proposal.pk, phase=phase).first()
    if fresh is None or fresh.status != ProposalStatus.SUBMITTED:
        raise InvalidInput(_("This proposal was not submitted to this phase."), code="not_in_phase")
    return fresh


def _require_criteria_of(phase: Phase, criteria: Sequence[AwardCriterion]) -> None:
    if not criteria:
        raise InvalidInput(_("Score at least one criterion."))
    ids = [c.pk for c in criteria]
    if len(set(ids)) != len(ids):
        raise InvalidInput(_("Each criterion is scored once."))
    if AwardCriterion.objects.filter(pk__in=ids, phase=phase).count() != len(ids):
        raise InvalidInput(_("These criteria are not this phase’s."), code="not_in_phase")


def whole_score(value: Any, field: str) -> int:
    message = _("Enter a whole number from %(min)s to %(max)s") % {
        "min": SCORE_MIN,
        "max": SCORE_MAX,
    }
    if value is None or value == "" or isinstance(value, bool):
        raise InvalidInput(message, field_errors={field: [message]})
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(message, field_errors={field: [message]}) from None
    if number != number.to_integral_value() or not SCORE_MIN <= number <= SCORE_MAX:
        raise InvalidInput(message, field_errors={field: [message]})
    return int(number)


def consensus_value(value: Any, field: str) -> Decimal:
    message = _("Enter a score from %(min)s to %(max)s, with at most one decimal") % {
        "min": SCORE_MIN,
        "max": SCORE_MAX,
    }
    if value is None or value == "" or isinstance(value, bool):
        raise InvalidInput(message, field_errors={field: [message]})
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        raise InvalidInput(message, field_errors={field: [message]}) from None
    if not number.is_finite() or not SCORE_MIN <= number <= SCORE_MAX:
        raise InvalidInput(message, field_errors={field: [message]})
    if number != number.quantize(Decimal("0.1")):
        raise InvalidInput(message, field_errors={field: [message]})
    return number.quantize(Decimal("0.1"))


def _merge(errors: dict[str, list[str]], error: InvalidInput) -> None:
    for name, messages in error.field_errors.items():
        errors.setdefault(name, []).extend(messages)


@transaction.atomic
def score_record(
    *,
    actor: Any,
    assignment: EvaluatorAssignment,
    proposal: Proposal,
    scores: Sequence[ScoreInput],
) -> list[Score]:
    """Record or update the evaluator's scores of one proposal, one or more criteria at once.

    Every score needs a written justification. A score can change until the lead buyer
    records the consensus for that criterion, or the phase's results are published.
    All entries are checked before any is saved: one bad entry saves none.
    """
    phase = lock_phase(assignment.phase)
    assignment = (
        EvaluatorAssignment.objects.select_for_update(of=("self",))
        .select_related("authority")
        .get(pk=assignment.pk)
    )
    if not permissions.is_active_evaluator(actor, assignment):
        raise NotAllowed(_("Only the assigned evaluator can record these scores."))
    if assignment.status == AssignmentStatus.EXCLUDED:
        raise NotAllowed(
            _("You declared a conflict of interest and are excluded from this evaluation."),
            code="excluded",
        )
    if assignment.status != AssignmentStatus.DECLARED:
        raise NotAllowed(
            _("Sign the conflict-of-interest declaration before you see or score proposals."),
            code="not_declared",
        )
    require_live_challenge(phase.challenge)
    require_undecided(phase)
    require_opened(phase)
    proposal = _require_proposal_in(phase, proposal)
    _require_criteria_of(phase, [entry.criterion for entry in scores])

    errors: dict[str, list[str]] = {}
    cleaned: list[tuple[AwardCriterion, int, str]] = []
    for entry in scores:
        try:
            value = whole_score(entry.score, score_field(entry.criterion))
        except InvalidInput as error:
            _merge(errors, error)
            value = SCORE_MIN
        try:
            text = clean_text(
                entry.justification,
                field=reason_field(entry.criterion),
                missing=_("Explain the score for “%(criterion)s”")
                % {"criterion": entry.criterion.name},
            )
        except InvalidInput as error:
            _merge(errors, error)
            text = ""
        cleaned.append((entry.criterion, value, text))
    if errors:
        raise InvalidInput(_("Check the scores and justifications."), field_errors=errors)

    frozen = set(
        ConsensusScore.objects.filter(
            proposal=proposal, criterion__in=[c for c, _v, _t in cleaned]
        ).values_list("criterion_id", flat=True)
    )
    if frozen:
        names = ", ".join(c.name for c, _v, _t in cleaned if c.pk in frozen)
        raise InvalidTransition(
            _(
                "The consensus is already recorded for: %(names)s. Those scores can no longer "
                "change."
            )
            % {"names": names},
            code="consensus_recorded",
        )

    existing = {
        s.criterion_id: s
        for s in Score.objects.select_for_update().filter(assignment=assignment, proposal=proposal)
    }
    saved: list[Score] = []
    for criterion, value, text in cleaned:
        score = existing.get(criterion.pk)
        if score is None:
            score = Score.objects.create(
                assignment=assignment,
                proposal=proposal,
                criterion=criterion,
                score=value,
                justification=text,
            )
            before = None
        elif score.score == value and score.justification == text:
            saved.append(score)
            continue
        else:
            before = {"score": score.score, "justification": score.justification}
            score.score = value
            score.justification = text
            score.version += 1
            score.save(update_fields=["score", "justification", "version", "updated_at"])
        audit_record(
            actor=actor,
            action="evaluation.score_record",
            obj=score,
            organisation_id=phase.challenge.lead_authority.public_id,
            before=before,
            after={
                "assignment": str(assignment.public_id),
                "proposal": str(proposal.public_id),
                "criterion": str(criterion.public_id),
                "score": value,
                "justification": text,
            },
        )
        saved.append(score)
    return saved


@transaction.atomic
def consensus_record(
    *,
    actor: Any,
    proposal: Proposal,
    entries: Sequence[ConsensusInput],
) -> Decimal | None:
    """The lead buyer records the agreed score per criterion with its reason.

    Needs at least one evaluator's score for that criterion. Can be revised (with a reason)
    until the phase's results are published; a version older than the stored one means
    another buyer changed it meanwhile, and is refused. Returns the proposal's weighted
    total as it now stands (None while a criterion has neither scores nor consensus).
    """
    phase = lock_phase(proposal.phase)
    challenge = phase.challenge
    require_lead_buyer(actor, challenge)
    require_live_challenge(challenge)
    require_undecided(phase)
    require_opened(phase)
    proposal = _require_proposal_in(phase, proposal)
    _require_criteria_of(phase, [entry.criterion for entry in entries])

    errors: dict[str, list[str]] = {}
    cleaned: list[tuple[ConsensusInput, Decimal, str]] = []
    for entry in entries:
        try:
            value = consensus_value(entry.score, score_field(entry.criterion))
        except InvalidInput as error:
            _merge(errors, error)
            value = Decimal(0)
        try:
            text = clean_text(
                entry.reason,
                field=reason_field(entry.criterion),
                missing=_("Give the reason for the consensus on “%(criterion)s”")
                % {"criterion": entry.criterion.name},
            )
        except InvalidInput as error:
            _merge(errors, error)
            text = ""
        cleaned.append((entry, value, text))
    if errors:
        raise InvalidInput(_("Check the consensus scores and reasons."), field_errors=errors)

    criteria_ids = [entry.criterion.pk for entry in entries]
    scored = set(
        Score.objects.filter(
            proposal=proposal,
            criterion_id__in=criteria_ids,
            assignment__status=AssignmentStatus.DECLARED,
        ).values_list("criterion_id", flat=True)
    )
    unscored = [entry.criterion.name for entry in entries if entry.criterion.pk not in scored]
    if unscored:
        raise InvalidTransition(
            _("No evaluator has scored %(names)s yet: a consensus follows their scores.")
            % {"names": ", ".join(unscored)},
            code="not_scored",
        )
    existing = {
        c.criterion_id: c
        for c in ConsensusScore.objects.select_for_update().filter(
            proposal=proposal, criterion_id__in=criteria_ids
        )
    }
    for entry, _value, _text in cleaned:
        current = existing.get(entry.criterion.pk)
        if (current.version if current else 0) != entry.version:
            raise Conflict(
                _(
                    "Someone else changed this consensus since you opened it. Reload the page "
                    "and check it again."
                ),
                code="stale",
            )

    changes: list[tuple[ConsensusScore, dict[str, Any] | None]] = []
    for entry, value, text in cleaned:
        current = existing.get(entry.criterion.pk)
        if current is None:
            current = ConsensusScore.objects.create(
                proposal=proposal,
                criterion=entry.criterion,
                score=value,
                reason=text,
                recorded_by=actor,
            )
            changes.append((current, None))
        elif current.score != value or current.reason != text:
            previous: dict[str, Any] = {"score": current.score, "reason": current.reason}
            current.score = value
            current.reason = text
            current.recorded_by = actor
            current.version += 1
            current.save(update_fields=["score", "reason", "recorded_by", "version", "updated_at"])
            changes.append((current, previous))
    total = weighted_total_of(proposal)
    for consensus, before in changes:
        audit_record(
            actor=actor,
            action="evaluation.consensus_record",
            obj=consensus,
            organisation_id=challenge.lead_authority.public_id,
            before=before,
            after={
                "proposal": str(proposal.public_id),
                "criterion": str(consensus.criterion.public_id),
                "score": consensus.score,
                "reason": consensus.reason,
                "weighted_total": total,
            },
        )
    return total
