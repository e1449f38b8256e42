"""Evaluators: assigned by the lead buyer, each signing a conflict-of-interest declaration."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.challenges.models import Phase
from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.core.lifecycle import transition
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation
from govhub.proposals.models import Proposal, ProposalStatus

from .. import permissions
from ..models import (
    ASSIGNMENT_TRANSITIONS,
    AssignmentStatus,
    ConflictDeclaration,
    EvaluatorAssignment,
    Score,
)
from ._common import (
    clean_text,
    lock_phase,
    require_lead_buyer,
    require_live_challenge,
    require_undecided,
    user_ref,
)


def declaration_text() -> str:
    """The wording every evaluator signs (Directive 2014/24/EU, art. 24)."""
    return _(
        "I declare that I have no direct or indirect financial, economic or other personal "
        "interest in the outcome of this evaluation, and no link with any company taking part, "
        "that might compromise my impartiality and independence. I will keep the proposals "
        "and the deliberations confidential, and I will declare at once any conflict of "
        "interest that arises later."
    )


@transaction.atomic
def evaluator_assign(
    *, actor: Any, phase: Phase, user: Any, authority: Organisation
) -> EvaluatorAssignment:
    """The lead buyer asks an evaluator of the lead or of a co-buying authority to score."""
    phase = lock_phase(phase)
    challenge = phase.challenge
    require_lead_buyer(actor, challenge)
    if phase.kind not in permissions.SCORED_PHASE_KINDS:
        raise InvalidInput(
            _("Only phases that take proposals are scored by evaluators."), code="not_scored"
        )
    if challenge.status not in {"draft", "published"}:
        require_live_challenge(challenge)
    require_undecided(phase)
    if authority.pk not in permissions.buyer_authority_ids(challenge):
        message = _("Evaluators come from the lead authority or a co-buying authority.")
        raise InvalidInput(message, field_errors={"evaluator": [message]})
    if not org_permissions.can_evaluate_for(user, authority):
        message = _("This person is not an evaluator of %(authority)s.") % {
            "authority": authority.name
        }
        raise InvalidInput(message, field_errors={"evaluator": [message]})
    if EvaluatorAssignment.objects.filter(phase=phase, user=user).exists():
        raise Conflict(_("This evaluator is already assigned to this phase."), code="duplicate")
    assignment = EvaluatorAssignment.objects.create(
        phase=phase, user=user, authority=authority, assigned_by=actor
    )
    audit_record(
        actor=actor,
        action="evaluation.evaluator_assign",
        obj=assignment,
        organisation_id=challenge.lead_authority.public_id,
        after={
            "phase": str(phase.public_id),
            "evaluator": user_ref(user),
            "authority": str(authority.public_id),
            "status": assignment.status,
        },
    )
    return assignment


@transaction.atomic
def evaluator_unassign(*, actor: Any, assignment: EvaluatorAssignment) -> None:
    """Undo an assignment made by mistake: only before the evaluator has scored anything."""
    phase = lock_phase(assignment.phase)
    require_lead_buyer(actor, phase.challenge)
    require_undecided(phase)
    assignment = EvaluatorAssignment.objects.select_for_update().get(pk=assignment.pk)
    if Score.objects.filter(assignment=assignment).exists():
        raise InvalidTransition(
            _("This evaluator has already scored proposals and stays on the record."),
            code="has_scores",
        )
    before = {
        "phase": str(phase.public_id),
        "evaluator": user_ref(assignment.user),
        "status": assignment.status,
    }
    public_id = assignment.public_id
    if hasattr(assignment, "declaration"):
        assignment.declaration.delete()
    assignment.delete()
    audit_record(
        actor=actor,
        action="evaluation.evaluator_unassign",
        object_type=EvaluatorAssignment._meta.label_lower,
        object_id=str(public_id),
        object_label=f"evaluator assignment {public_id}",
        organisation_id=phase.challenge.lead_authority.public_id,
        before=before,
    )


def _companies_in_phase_of(user: Any, phase: Phase) -> bool:
    return Proposal.objects.filter(
        phase=phase,
        status=ProposalStatus.SUBMITTED,
        company__memberships__user=user,
    ).exists()


@transaction.atomic
def evaluator_declare(
    *, actor: Any, assignment: EvaluatorAssignment, has_conflict: bool, statement: str = ""
) -> EvaluatorAssignment:
    """Sign the declaration: no conflict opens the proposals, a conflict excludes for good."""
    phase = lock_phase(assignment.phase)
    assignment = (
        EvaluatorAssignment.objects.select_for_update(of=("self",))
        .select_related("authority", "user")
        .get(pk=assignment.pk)
    )
    if not permissions.is_active_evaluator(actor, assignment):
        raise NotAllowed(_("Only the assigned evaluator can sign this declaration."))
    require_undecided(phase)
    if assignment.status != AssignmentStatus.ASSIGNED:
        raise InvalidTransition(
            _("You have already signed your declaration for this phase."), code="declared"
        )
    if has_conflict:
        statement = clean_text(
            statement,
            field="statement",
            missing=_("Describe your conflict of interest"),
        )
    else:
        statement = (statement or "").strip()
        if _companies_in_phase_of(actor, phase):
            message = _(
                "You belong to a company that sent a proposal to this phase: that is a conflict "
                "of interest. Declare it."
            )
            raise InvalidInput(message, field_errors={"has_conflict": [message]})
    before = {"status": assignment.status}
    transition(
        assignment,
        to=AssignmentStatus.EXCLUDED if has_conflict else AssignmentStatus.DECLARED,
        allowed=ASSIGNMENT_TRANSITIONS,
        label=_("Evaluator assignment"),
    )
    assignment.save(update_fields=["status", "updated_at"])
    declaration = ConflictDeclaration.objects.create(
        assignment=assignment,
        declared_at=timezone.now(),
        has_conflict=has_conflict,
        declaration_text=declaration_text(),
        statement=statement,
    )
    audit_record(
        actor=actor,
        action="evaluation.evaluator_declare",
        obj=assignment,
        organisation_id=phase.challenge.lead_authority.public_id,
        before=before,
        after={
            "status": assignment.status,
            "has_conflict": has_conflict,
            "declaration": str(declaration.public_id),
        },
    )
    return assignment
