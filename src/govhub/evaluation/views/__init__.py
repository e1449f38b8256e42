"""Evaluation pages. Thin: parse the request, check the object-level right, call one
service, render. Unknown public ids give 404, a missing right 403."""

from .buyers import (
    challenge_overview,
    consensus,
    evaluator_assign,
    evaluator_unassign,
    phase_evaluation,
    phase_results,
)
from .companies import company_results
from .evaluators import assignment_detail, declaration, my_assignments, score
from .outcome import outcome
from .pilots import (
    pilot_decide,
    pilot_kpi_add,
    pilot_kpi_remove,
    pilot_kpi_result,
    pilot_phase,
    pilot_plan,
    pilot_plan_agree,
)

__all__ = [
    "assignment_detail",
    "challenge_overview",
    "company_results",
    "consensus",
    "declaration",
    "evaluator_assign",
    "evaluator_unassign",
    "my_assignments",
    "outcome",
    "phase_evaluation",
    "phase_results",
    "pilot_decide",
    "pilot_kpi_add",
    "pilot_kpi_remove",
    "pilot_kpi_result",
    "pilot_phase",
    "pilot_plan",
    "pilot_plan_agree",
    "score",
]
