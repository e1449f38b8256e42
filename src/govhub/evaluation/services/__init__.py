"""Evaluation services: every write of the evaluation, pilots and outcomes.

Each is keyword-only, takes ``actor=``, runs in one transaction, checks permissions, raises
``govhub.core.errors`` and writes its audit events in that transaction.
"""

from .assignment import declaration_text, evaluator_assign, evaluator_declare, evaluator_unassign
from .outcome import default_standstill_days, outcome_publish, standstill_end
from .pilots import (
    pilot_decide,
    pilot_kpi_add,
    pilot_kpi_record_result,
    pilot_kpi_remove,
    pilot_plan_agree,
    pilot_plan_save,
)
from .results import ResultInput, phase_results_publish
from .scoring import ConsensusInput, ScoreInput, consensus_record, score_record

__all__ = [
    "ConsensusInput",
    "ResultInput",
    "ScoreInput",
    "consensus_record",
    "declaration_text",
    "default_standstill_days",
    "evaluator_assign",
    "evaluator_declare",
    "evaluator_unassign",
    "outcome_publish",
    "phase_results_publish",
    "pilot_decide",
    "pilot_kpi_add",
    "pilot_kpi_record_result",
    "pilot_kpi_remove",
    "pilot_plan_agree",
    "pilot_plan_save",
    "score_record",
    "standstill_end",
]
