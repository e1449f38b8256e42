"""Reads for the evaluation: weighted totals, divergence, results as each reader may see them.

Arithmetic (scores 0–10, weights in % totalling 100):

- a criterion's evaluator value is the mean of the scores of the evaluators who declared no
  conflict; once the lead buyer records a consensus, the consensus replaces the mean;
- a proposal's weighted total is Σ value × weight / 100 over the phase's criteria, rounded
  half-up to two decimals, so it is also out of 10; it is unknown (None) while any criterion
  has neither a score nor a consensus;
- divergence on a criterion is max − min of the evaluators' scores and their population
  standard deviation (the panel is the whole population, not a sample); a spread of
  ``DIVERGENCE_FLAG`` points or more is flagged for discussion before the consensus.
"""

from __future__ import annotations

import statistics
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.db.models import Prefetch, QuerySet

from govhub.challenges.models import AwardCriterion, Challenge, Phase, PhaseKind, PhaseStatus
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation
from govhub.proposals.models import Proposal, ProposalStatus

from .models import (
    DIVERGENCE_FLAG,
    AssignmentStatus,
    ConsensusScore,
    EvaluatorAssignment,
    Outcome,
    PhaseResult,
    PilotKpi,
    PilotPlan,
    Score,
)
from .permissions import SCORED_PHASE_KINDS

CENT = Decimal("0.01")


def _round(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


@dataclass
class CriterionResult:
    criterion: AwardCriterion
    # One cell per declared evaluator of the phase, in the phase's assignment order.
    cells: list[Score | None]
    consensus: ConsensusScore | None = None

    @property
    def scores(self) -> list[int]:
        return [cell.score for cell in self.cells if cell is not None]

    @property
    def mean(self) -> Decimal | None:
        scores = self.scores
        if not scores:
            return None
        return _round(Decimal(sum(scores)) / Decimal(len(scores)))

    @property
    def value(self) -> Decimal | None:
        """What the weighted total uses: the consensus once recorded, else the mean."""
        if self.consensus is not None:
            return self.consensus.score
        scores = self.scores
        return Decimal(sum(scores)) / Decimal(len(scores)) if scores else None

    @property
    def spread(self) -> int | None:
        scores = self.scores
        return max(scores) - min(scores) if len(scores) >= 2 else None

    @property
    def stdev(self) -> Decimal | None:
        scores = self.scores
        if len(scores) < 2:
            return None
        return _round(Decimal(str(statistics.pstdev(scores))))

    @property
    def flagged(self) -> bool:
        spread = self.spread
        return spread is not None and spread >= DIVERGENCE_FLAG


def _weighted(values: list[tuple[Decimal | None, int]]) -> Decimal | None:
    if not values or any(value is None for value, _w in values):
        return None
    return _round(
        sum((value * weight for value, weight in values if value is not None), Decimal(0)) / 100
    )


@dataclass
class ProposalEvaluation:
    proposal: Proposal
    criteria: list[CriterionResult]

    @property
    def total(self) -> Decimal | None:
        """Consensus where recorded, else the evaluators' mean."""
        return _weighted([(row.value, row.criterion.weight) for row in self.criteria])

    @property
    def mean_total(self) -> Decimal | None:
        """From the evaluators' scores alone, before any consensus."""
        return _weighted(
            [
                (
                    Decimal(sum(row.scores)) / Decimal(len(row.scores)) if row.scores else None,
                    row.criterion.weight,
                )
                for row in self.criteria
            ]
        )

    @property
    def consensus_total(self) -> Decimal | None:
        return _weighted(
            [
                (row.consensus.score if row.consensus else None, row.criterion.weight)
                for row in self.criteria
            ]
        )

    @property
    def consensus_complete(self) -> bool:
        return all(row.consensus is not None for row in self.criteria)

    @property
    def has_divergence(self) -> bool:
        return any(row.flagged for row in self.criteria)


@dataclass
class PhaseEvaluation:
    phase: Phase
    criteria: list[AwardCriterion]
    assignments: list[EvaluatorAssignment]  # every assignment, whatever its status
    proposals: list[ProposalEvaluation] = field(default_factory=list)

    @property
    def declared(self) -> list[EvaluatorAssignment]:
        return [a for a in self.assignments if a.status == AssignmentStatus.DECLARED]

    @property
    def consensus_complete(self) -> bool:
        return bool(self.proposals) and all(p.consensus_complete for p in self.proposals)


def submitted_proposals(phase: Phase) -> QuerySet[Proposal]:
    return (
        Proposal.objects.filter(phase=phase, status=ProposalStatus.SUBMITTED)
        .select_related("company")
        .order_by("company__name", "pk")
    )


def phase_assignments(phase: Phase) -> list[EvaluatorAssignment]:
    return list(
        EvaluatorAssignment.objects.filter(phase=phase)
        .select_related("user", "authority", "declaration")
        .order_by("created_at", "pk")
    )


def _evaluate(phase: Phase, proposals: list[Proposal]) -> PhaseEvaluation:
    criteria = list(AwardCriterion.objects.filter(phase=phase).order_by("order"))
    assignments = phase_assignments(phase)
    declared = [a for a in assignments if a.status == AssignmentStatus.DECLARED]
    column = {a.pk: n for n, a in enumerate(declared)}
    proposal_ids = [p.pk for p in proposals]
    cells: dict[tuple[int, int], list[Score | None]] = defaultdict(lambda: [None] * len(declared))
    for score in Score.objects.filter(
        proposal_id__in=proposal_ids, assignment__phase=phase
    ).order_by("pk"):
        if score.assignment_id in column:
            cells[(score.proposal_id, score.criterion_id)][column[score.assignment_id]] = score
    consensus = {
        (c.proposal_id, c.criterion_id): c
        for c in ConsensusScore.objects.filter(proposal_id__in=proposal_ids)
    }
    evaluation = PhaseEvaluation(phase=phase, criteria=criteria, assignments=assignments)
    for proposal in proposals:
        rows = [
            CriterionResult(
                criterion=criterion,
                cells=list(cells[(proposal.pk, criterion.pk)]),
                consensus=consensus.get((proposal.pk, criterion.pk)),
            )
            for criterion in criteria
        ]
        evaluation.proposals.append(ProposalEvaluation(proposal=proposal, criteria=rows))
    return evaluation


def phase_evaluation(phase: Phase) -> PhaseEvaluation:
    """Every submitted proposal's scores, consensus, totals and divergence, best total first.

    Five queries whatever the number of proposals, criteria and evaluators.
    """
    evaluation = _evaluate(phase, list(submitted_proposals(phase)))
    evaluation.proposals.sort(
        key=lambda p: (p.total is None, -(p.total or 0), p.proposal.company.name)
    )
    return evaluation


def proposal_evaluation(proposal: Proposal) -> ProposalEvaluation:
    return _evaluate(proposal.phase, [proposal]).proposals[0]


def weighted_total_of(proposal: Proposal) -> Decimal | None:
    return proposal_evaluation(proposal).total


def evaluator_may_read(user: Any, phase: Phase) -> bool:
    """Whether the proposals' seal lets this evaluator read the phase's proposals.

    Assigned to the phase, signed the declaration with no conflict (so not excluded), and
    still an evaluator of a verified authority. The seal itself checks the deadline.
    """
    if not org_permissions.is_signed_in(user):
        return False
    assignment = (
        EvaluatorAssignment.objects.filter(phase=phase, user=user, status=AssignmentStatus.DECLARED)
        .select_related("authority")
        .first()
    )
    return assignment is not None and org_permissions.can_evaluate_for(user, assignment.authority)


def assignment_for(user: Any, phase: Phase) -> EvaluatorAssignment | None:
    if not org_permissions.is_signed_in(user):
        return None
    return EvaluatorAssignment.objects.filter(phase=phase, user=user).first()


def assignments_of(user: Any) -> list[EvaluatorAssignment]:
    """The evaluator's own assignments, newest first, for their 'your evaluations' page."""
    if not org_permissions.is_signed_in(user):
        return []
    return list(
        EvaluatorAssignment.objects.filter(user=user)
        .select_related("phase", "phase__challenge", "authority")
        .order_by("-created_at")
    )


def my_scores(assignment: EvaluatorAssignment, proposal: Proposal) -> dict[int, Score]:
    """The evaluator's own scores of one proposal by criterion id (never their colleagues')."""
    return {
        s.criterion_id: s for s in Score.objects.filter(assignment=assignment, proposal=proposal)
    }


def scored_counts(assignment: EvaluatorAssignment) -> dict[int, int]:
    """How many criteria the evaluator has scored, per proposal id."""
    counts: dict[int, int] = defaultdict(int)
    for proposal_id in Score.objects.filter(assignment=assignment).values_list(
        "proposal_id", flat=True
    ):
        counts[proposal_id] += 1
    return counts


def consensus_for(proposal: Proposal) -> dict[int, ConsensusScore]:
    return {c.criterion_id: c for c in ConsensusScore.objects.filter(proposal=proposal)}


# --- phase results, invitations and award candidates ----------------------------------------


def next_phase(phase: Phase) -> Phase | None:
    return (
        Phase.objects.filter(challenge_id=phase.challenge_id, order__gt=phase.order)
        .order_by("order")
        .first()
    )


def phase_candidates(phase: Phase) -> list[Proposal]:
    """The proposals a phase's results decide on.

    A call or shortlist decides on the proposals submitted to it; a pilot or award phase
    takes no proposals, so it decides on those selected in an earlier phase and invited to it.
    """
    if phase.kind in SCORED_PHASE_KINDS:
        return list(submitted_proposals(phase))
    return list(
        Proposal.objects.filter(phase_results__invited_to=phase, phase_results__selected=True)
        .select_related("company", "phase")
        .order_by("company__name", "pk")
        .distinct()
    )


def phase_results(phase: Phase) -> list[PhaseResult]:
    return list(
        PhaseResult.objects.filter(phase=phase)
        .select_related("proposal", "proposal__company", "invited_to")
        .order_by("rank", "proposal__company__name")
    )


def is_invited(company: Organisation, phase: Phase) -> bool:
    """Selected in an earlier phase and invited to this one."""
    return PhaseResult.objects.filter(
        invited_to=phase, selected=True, proposal__company=company
    ).exists()


def may_take_part(company: Organisation, phase: Phase) -> bool:
    """Anyone eligible may answer a challenge's first phase; later phases are by invitation."""
    first = Phase.objects.filter(challenge_id=phase.challenge_id).order_by("order").first()
    return (first is not None and first.pk == phase.pk) or is_invited(company, phase)


def award_candidates(challenge: Challenge) -> list[Proposal]:
    """Proposals that may be awarded: selected every time a phase decided on them, through
    any pilot they were invited to (with a go), and not superseded by a later proposal.
    """
    proposals = (
        Proposal.objects.filter(phase__challenge=challenge, phase_results__selected=True)
        .select_related("company", "phase")
        .prefetch_related(
            Prefetch(
                "phase_results",
                queryset=PhaseResult.objects.select_related("invited_to", "phase"),
            ),
            Prefetch("pilot_plans", queryset=PilotPlan.objects.select_related("decision")),
        )
        .order_by("company__name", "pk")
        .distinct()
    )
    candidates = []
    for proposal in proposals:
        results = list(proposal.phase_results.all())
        if any(not r.selected for r in results):
            continue
        decided_phases = {r.phase_id for r in results}
        pending = [
            r.invited_to
            for r in results
            if r.invited_to is not None
            and r.invited_to.kind != PhaseKind.AWARD
            and r.invited_to_id not in decided_phases
        ]
        if pending:
            continue
        decisions = [getattr(p, "decision", None) for p in proposal.pilot_plans.all()]
        if any(d is not None and not d.go for d in decisions):
            continue
        candidates.append(proposal)
    return candidates


# --- pilots ----------------------------------------------------------------------------------


@dataclass
class PilotRow:
    proposal: Proposal
    plan: PilotPlan | None
    kpis: list[PilotKpi]

    @property
    def decision(self) -> Any:
        return getattr(self.plan, "decision", None) if self.plan else None


def pilot_rows(phase: Phase) -> list[PilotRow]:
    """Each company invited to a pilot phase, with its plan, KPIs and decision."""
    proposals = phase_candidates(phase)
    plans = {
        plan.proposal_id: plan
        for plan in PilotPlan.objects.filter(phase=phase, proposal__in=proposals)
        .select_related("decision")
        .prefetch_related("kpis")
    }
    return [
        PilotRow(
            proposal=p,
            plan=plans.get(p.pk),
            kpis=list(plans[p.pk].kpis.all()) if p.pk in plans else [],
        )
        for p in proposals
    ]


def pilot_plan_for(phase: Phase, proposal: Proposal) -> PilotPlan | None:
    return (
        PilotPlan.objects.filter(phase=phase, proposal=proposal)
        .select_related("decision", "agreed_by_buyer", "agreed_by_company")
        .prefetch_related("kpis")
        .first()
    )


# --- what a company sees ---------------------------------------------------------------------


@dataclass
class CriterionFeedback:
    criterion: AwardCriterion
    consensus: ConsensusScore | None


@dataclass
class ResultFeedback:
    result: PhaseResult
    criteria: list[CriterionFeedback]


@dataclass
class ProposalFeedback:
    proposal: Proposal
    results: list[ResultFeedback]
    pilots: list[PilotPlan]
    awarded: bool


@dataclass
class CompanyResults:
    challenge: Challenge
    proposals: list[ProposalFeedback]
    outcome: Outcome | None

    @property
    def any_awarded(self) -> bool:
        return any(p.awarded for p in self.proposals)


def outcome_of(challenge: Challenge) -> Outcome | None:
    return (
        Outcome.objects.filter(challenge=challenge)
        .prefetch_related(
            Prefetch(
                "awarded_proposals",
                queryset=Proposal.objects.select_related("company").order_by("company__name"),
            )
        )
        .first()
    )


def company_results(user: Any, challenge: Challenge) -> CompanyResults:
    """What the user's companies may see of their own evaluation in this challenge.

    Only published results: their selection and its reason, their consensus score and its
    reason per criterion, their weighted total, their pilots, and the public outcome. Never
    another company's scores, nor who the evaluators were or what each of them gave.
    """
    proposals: list[Proposal] = []
    if org_permissions.is_signed_in(user):
        proposals = list(
            Proposal.objects.filter(
                phase__challenge=challenge,
                company__memberships__user=user,
                status=ProposalStatus.SUBMITTED,
            )
            .select_related("company", "phase")
            .order_by("phase__order", "company__name")
            .distinct()
        )
    outcome = outcome_of(challenge)
    awarded_ids = {p.pk for p in outcome.awarded_proposals.all()} if outcome else set()
    results = defaultdict(list)
    for result in (
        PhaseResult.objects.filter(proposal__in=proposals)
        .select_related("phase", "invited_to")
        .order_by("phase__order")
    ):
        results[result.proposal_id].append(result)
    consensus = {
        (c.proposal_id, c.criterion_id): c
        for c in ConsensusScore.objects.filter(proposal__in=proposals)
    }
    criteria_by_phase: dict[int, list[AwardCriterion]] = defaultdict(list)
    for criterion in AwardCriterion.objects.filter(
        phase__in={p.phase_id for p in proposals}
    ).order_by("order"):
        criteria_by_phase[criterion.phase_id].append(criterion)
    pilots: dict[int, list[PilotPlan]] = defaultdict(list)
    for plan in (
        PilotPlan.objects.filter(proposal__in=proposals)
        .select_related("phase", "decision")
        .prefetch_related("kpis")
    ):
        pilots[plan.proposal_id].append(plan)
    feedback = []
    for proposal in proposals:
        rows = []
        for result in results[proposal.pk]:
            scored = result.phase_id == proposal.phase_id
            rows.append(
                ResultFeedback(
                    result=result,
                    criteria=[
                        CriterionFeedback(c, consensus.get((proposal.pk, c.pk)))
                        for c in criteria_by_phase[proposal.phase_id]
                    ]
                    if scored
                    else [],
                )
            )
        feedback.append(
            ProposalFeedback(
                proposal=proposal,
                results=rows,
                pilots=pilots[proposal.pk],
                awarded=proposal.pk in awarded_ids,
            )
        )
    return CompanyResults(challenge=challenge, proposals=feedback, outcome=outcome)


def decided(phase: Phase) -> bool:
    return phase.status == PhaseStatus.DECIDED
