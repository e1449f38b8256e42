"""The buyers' pages: the lead runs the evaluation, co-buyers follow it read-only."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govhub.challenges.models import Phase, PhaseStatus
from govhub.core.errors import DomainError
from govhub.organisations.models import Membership, OrganisationKind, VerificationStatus

from .. import permissions, selectors, services
from ..forms import AssignForm, ConsensusForm, ResultsForm, show_domain_error
from ..models import Score
from ._common import get_assignment, get_challenge, get_phase, get_proposal, posted, require


def _evaluator_memberships(phase: Phase) -> list[Membership]:
    """Evaluators of the lead and co-buying authorities not yet on this phase."""
    assigned = phase.evaluator_assignments.values_list("user_id", flat=True)
    return list(
        Membership.objects.filter(
            organisation_id__in=permissions.buyer_authority_ids(phase.challenge),
            organisation__kind=OrganisationKind.AUTHORITY,
            organisation__status=VerificationStatus.VERIFIED,
            is_evaluator=True,
        )
        .exclude(user_id__in=assigned)
        .select_related("user", "organisation")
        .order_by("organisation__name", "user__display_name", "user__email")
    )


@login_required
def challenge_overview(request: HttpRequest, challenge_id: UUID) -> HttpResponse:
    challenge = get_challenge(challenge_id)
    require(permissions.can_view_evaluation(request.user, challenge))
    phases = list(challenge.phases.order_by("order"))
    return render(
        request,
        "evaluation/challenge.html",
        {
            "challenge": challenge,
            "phases": phases,
            "scored_kinds": permissions.SCORED_PHASE_KINDS,
            "is_lead": permissions.is_lead_buyer(request.user, challenge),
            "outcome": selectors.outcome_of(challenge),
        },
    )


def _phase_page(request: HttpRequest, phase: Phase, form: AssignForm | None) -> HttpResponse:
    challenge = phase.challenge
    is_lead = permissions.is_lead_buyer(request.user, challenge)
    undecided = phase.status != PhaseStatus.DECIDED
    if form is None and is_lead and undecided:
        form = AssignForm(memberships=_evaluator_memberships(phase))
    opened = phase.proposals_opened_at is not None
    evaluation = selectors.phase_evaluation(phase) if opened else None
    assignments = evaluation.assignments if evaluation else selectors.phase_assignments(phase)
    scored = set(
        Score.objects.filter(assignment__phase=phase).values_list("assignment_id", flat=True)
    )
    return render(
        request,
        "evaluation/phase.html",
        {
            "challenge": challenge,
            "phase": phase,
            "is_lead": is_lead,
            "undecided": undecided,
            "opened": opened,
            "evaluation": evaluation,
            "assignments": assignments,
            "with_scores": scored,
            "form": form if is_lead and undecided else None,
        },
    )


@login_required
def phase_evaluation(request: HttpRequest, phase_id: UUID) -> HttpResponse:
    phase = get_phase(phase_id)
    require(permissions.can_view_evaluation(request.user, phase.challenge))
    require(phase.kind in permissions.SCORED_PHASE_KINDS)
    return _phase_page(request, phase, None)


@login_required
@require_POST
def evaluator_assign(request: HttpRequest, phase_id: UUID) -> HttpResponse:
    phase = get_phase(phase_id)
    require(permissions.can_manage_evaluation(request.user, phase.challenge))
    form = AssignForm(request.POST, memberships=_evaluator_memberships(phase))
    if form.is_valid():
        membership = form.membership()
        try:
            services.evaluator_assign(
                actor=request.user,
                phase=phase,
                user=membership.user,
                authority=membership.organisation,
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "%(name)s is assigned. They must sign the conflict-of-interest declaration "
                    "before they see any proposal."
                )
                % {"name": membership.user.display_name or membership.user.email},
            )
            return redirect("evaluation:phase", phase_id=phase.public_id)
    return _phase_page(request, phase, form)


@login_required
@require_http_methods(["GET", "POST"])
def evaluator_unassign(request: HttpRequest, assignment_id: UUID) -> HttpResponse:
    assignment = get_assignment(assignment_id)
    phase = assignment.phase
    require(permissions.can_manage_evaluation(request.user, phase.challenge))
    error = None
    if request.method == "POST":
        try:
            services.evaluator_unassign(actor=request.user, assignment=assignment)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The evaluator is no longer assigned."))
            return redirect("evaluation:phase", phase_id=phase.public_id)
    return render(
        request,
        "evaluation/unassign.html",
        {"assignment": assignment, "phase": phase, "challenge": phase.challenge, "error": error},
    )


def _consensus_initial(row: Any) -> dict[str, Any]:
    consensus = row.consensus
    key = row.criterion.public_id
    if consensus is None:
        return {f"version_{key}": 0}
    return {
        f"score_{key}": consensus.score,
        f"reason_{key}": consensus.reason,
        f"version_{key}": consensus.version,
    }


@login_required
@require_http_methods(["GET", "POST"])
def consensus(request: HttpRequest, phase_id: UUID, proposal_id: UUID) -> HttpResponse:
    """Every evaluator's score and justification per criterion; the lead records consensus."""
    phase = get_phase(phase_id)
    challenge = phase.challenge
    require(permissions.can_view_evaluation(request.user, challenge))
    require(phase.proposals_opened_at is not None)
    proposal = get_proposal(proposal_id, phase=phase)
    evaluation = selectors.proposal_evaluation(proposal)
    assignments = [a for a in selectors.phase_assignments(phase) if a.status == "declared"]
    editable = (
        permissions.can_manage_evaluation(request.user, challenge)
        and phase.status != PhaseStatus.DECIDED
    )
    initial: dict[str, Any] = {}
    for row in evaluation.criteria:
        initial.update(_consensus_initial(row))
    form = ConsensusForm(
        posted(request), criteria=phase.criteria.order_by("order"), initial=initial
    )
    if request.method == "POST":
        require(editable)
        if form.is_valid():
            try:
                total = services.consensus_record(
                    actor=request.user,
                    proposal=proposal,
                    entries=[
                        services.ConsensusInput(criterion, score, reason, version)
                        for criterion, score, reason, version in form.entries()
                    ],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                shown = total if total is not None else "–"
                messages.success(
                    request,
                    _("The consensus for %(company)s is saved. Weighted total: %(total)s / 10.")
                    % {"company": proposal.company.name, "total": shown},
                )
                return redirect("evaluation:phase", phase_id=phase.public_id)
    rows = [
        {"result": row, "fields": fields, "cells": list(zip(assignments, row.cells, strict=True))}
        for row, fields in zip(evaluation.criteria, form.rows(), strict=True)
    ]
    return render(
        request,
        "evaluation/consensus.html",
        {
            "challenge": challenge,
            "phase": phase,
            "proposal": proposal,
            "evaluation": evaluation,
            "assignments": assignments,
            "rows": rows,
            "form": form,
            "editable": editable,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_results(request: HttpRequest, phase_id: UUID) -> HttpResponse:
    """The lead publishes who goes on and why; afterwards everyone entitled sees the list."""
    phase = get_phase(phase_id)
    challenge = phase.challenge
    require(permissions.can_view_evaluation(request.user, challenge))
    decided = phase.status == PhaseStatus.DECIDED
    editable = permissions.can_manage_evaluation(request.user, challenge) and not decided
    scored = phase.kind in permissions.SCORED_PHASE_KINDS
    if scored and phase.proposals_opened_at is None:
        candidates = []
        totals: dict[int, Any] = {}
        complete = False
    elif scored:
        evaluation = selectors.phase_evaluation(phase)
        candidates = [p.proposal for p in evaluation.proposals]
        totals = {p.proposal.pk: p.total for p in evaluation.proposals}
        complete = evaluation.consensus_complete or not evaluation.criteria
    else:
        rows = selectors.pilot_rows(phase)
        candidates = [row.proposal for row in rows]
        totals = {}
        complete = True
    form = ResultsForm(posted(request), proposals=candidates)
    if request.method == "POST":
        require(editable)
        if form.is_valid():
            try:
                services.phase_results_publish(
                    actor=request.user,
                    phase=phase,
                    results=[
                        services.ResultInput(proposal, selected, reason)
                        for proposal, selected, reason in form.entries()
                    ],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The results are published. Each company can now read its own result "
                        "and the reasons."
                    ),
                )
                return redirect("evaluation:results", phase_id=phase.public_id)
    return render(
        request,
        "evaluation/results.html",
        {
            "challenge": challenge,
            "phase": phase,
            "form": form,
            "rows": [
                {"fields": fields, "total": totals.get(fields["proposal"].pk)}
                for fields in form.rows()
            ],
            "editable": editable and bool(candidates),
            "complete": complete,
            "decided": decided,
            "results": selectors.phase_results(phase) if decided else [],
            "next_phase": selectors.next_phase(phase),
        },
    )
