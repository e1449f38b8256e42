"""The evaluator's pages: the declaration first, then the proposals and their own scores."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govhub.challenges.models import PhaseStatus
from govhub.core.errors import DomainError
from govhub.proposals import selectors as proposal_selectors

from .. import permissions, selectors, services
from ..forms import DeclarationForm, ScoreForm, show_domain_error
from ..models import AssignmentStatus, ConsensusScore
from ._common import get_assignment, get_proposal, posted, require


@login_required
def my_assignments(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "evaluation/mine.html",
        {"assignments": selectors.assignments_of(request.user)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def declaration(request: HttpRequest, assignment_id: UUID) -> HttpResponse:
    assignment = get_assignment(assignment_id)
    require(permissions.is_active_evaluator(request.user, assignment))
    form = DeclarationForm(posted(request))
    if (
        request.method == "POST"
        and assignment.status == AssignmentStatus.ASSIGNED
        and form.is_valid()
    ):
        try:
            services.evaluator_declare(
                actor=request.user,
                assignment=assignment,
                has_conflict=form.cleaned_data["has_conflict"],
                statement=form.cleaned_data["statement"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            if form.cleaned_data["has_conflict"]:
                messages.success(
                    request,
                    _(
                        "Your conflict of interest is recorded. You are excluded from this "
                        "evaluation and will not see its proposals."
                    ),
                )
            else:
                messages.success(
                    request, _("Your declaration is signed. You can now read and score.")
                )
            return redirect("evaluation:assignment", assignment_id=assignment.public_id)
    return render(
        request,
        "evaluation/declaration.html",
        {
            "assignment": assignment,
            "phase": assignment.phase,
            "challenge": assignment.phase.challenge,
            "form": form,
            "declaration_text": services.declaration_text(),
            "signed": getattr(assignment, "declaration", None),
        },
    )


@login_required
def assignment_detail(request: HttpRequest, assignment_id: UUID) -> HttpResponse:
    """The proposals to score: only once the declaration is signed with no conflict."""
    assignment = get_assignment(assignment_id)
    require(permissions.is_active_evaluator(request.user, assignment))
    if assignment.status == AssignmentStatus.ASSIGNED:
        return redirect("evaluation:declaration", assignment_id=assignment.public_id)
    phase = assignment.phase
    readable = permissions.can_read_proposals(request.user, assignment)
    opened = phase.proposals_opened_at is not None
    proposals = list(selectors.submitted_proposals(phase)) if readable and opened else []
    counts = selectors.scored_counts(assignment) if proposals else {}
    total = phase.criteria.count()
    return render(
        request,
        "evaluation/assignment.html",
        {
            "assignment": assignment,
            "phase": phase,
            "challenge": phase.challenge,
            "readable": readable,
            "opened": opened,
            "rows": [
                {"proposal": p, "scored": counts.get(p.pk, 0), "total": total} for p in proposals
            ],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def score(request: HttpRequest, assignment_id: UUID, proposal_id: UUID) -> HttpResponse:
    """One proposal's content next to the evaluator's score and justification per criterion."""
    assignment = get_assignment(assignment_id)
    require(permissions.is_active_evaluator(request.user, assignment))
    if assignment.status == AssignmentStatus.ASSIGNED:
        # Nothing of any proposal is shown before the declaration is signed.
        return redirect("evaluation:declaration", assignment_id=assignment.public_id)
    require(permissions.can_read_proposals(request.user, assignment))
    phase = assignment.phase
    require(phase.proposals_opened_at is not None)
    proposal = get_proposal(proposal_id, phase=phase)
    require(proposal.status == "submitted")
    criteria = list(phase.criteria.order_by("order"))
    mine = selectors.my_scores(assignment, proposal)
    frozen = set(
        ConsensusScore.objects.filter(proposal=proposal).values_list("criterion_id", flat=True)
    )
    editable = (
        phase.status != PhaseStatus.DECIDED
        and phase.challenge.status == "published"
        and len(frozen) < len(criteria)
    )
    open_criteria = [c for c in criteria if c.pk not in frozen]
    initial: dict[str, Any] = {}
    for criterion in open_criteria:
        existing = mine.get(criterion.pk)
        if existing is not None:
            initial[f"score_{criterion.public_id}"] = existing.score
            initial[f"reason_{criterion.public_id}"] = existing.justification
    form = ScoreForm(posted(request), criteria=open_criteria, initial=initial)
    if request.method == "POST":
        require(editable)
        if form.is_valid():
            try:
                services.score_record(
                    actor=request.user,
                    assignment=assignment,
                    proposal=proposal,
                    scores=[
                        services.ScoreInput(criterion, value, reason)
                        for criterion, value, reason in form.entries()
                    ],
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("Your scores for %(company)s are saved.")
                    % {"company": proposal.company.name},
                )
                return redirect("evaluation:assignment", assignment_id=assignment.public_id)
    content = proposal_selectors.proposal_content(
        user=request.user, proposal=proposal, channel="html"
    )
    answers = {answer.criterion_id: answer for answer in content.answer_list}
    fields = {row["criterion"].pk: row for row in form.rows()}
    rows = [
        {
            "criterion": c,
            "mine": mine.get(c.pk),
            "frozen": c.pk in frozen,
            "answer": answers.get(str(c.public_id)),
            "score": fields[c.pk]["score"] if c.pk in fields and editable else None,
            "reason": fields[c.pk]["reason"] if c.pk in fields and editable else None,
        }
        for c in criteria
    ]
    return render(
        request,
        "evaluation/score.html",
        {
            "assignment": assignment,
            "phase": phase,
            "challenge": phase.challenge,
            "proposal": proposal,
            "content": content,
            "form": form,
            "rows": rows,
            "editable": editable,
        },
    )
