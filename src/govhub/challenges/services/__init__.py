"""Writes for challenges, their buyers, phases, criteria, documents and clarifications.

Every function is keyword-only, runs in one transaction, checks the actor's rights, moves
lifecycles only through the tables in ``models`` and appends one audit event tagged with the
lead authority (a clarification question: with the asking company).
"""

from ._common import weights_message
from .buyers import cobuyer_add, cobuyer_remove, cobuyer_update
from .challenge import (
    challenge_cancel,
    challenge_complete,
    challenge_create,
    challenge_create_from_need,
    challenge_publish,
    challenge_update,
    publication_problems,
)
from .clarification import clarification_answer, clarification_ask
from .criteria import CriterionSpec, criteria_set
from .documents import (
    ALLOWED_LABELS,
    FORMATS,
    MAX_DOCUMENT_BYTES,
    check_upload,
    document_add,
    document_remove,
)
from .phase import (
    phase_add,
    phase_change_deadline,
    phase_close,
    phase_decide,
    phase_move,
    phase_open,
    phase_remove,
    phase_start_evaluation,
    phase_update,
)

__all__ = [
    "ALLOWED_LABELS",
    "FORMATS",
    "MAX_DOCUMENT_BYTES",
    "CriterionSpec",
    "challenge_cancel",
    "challenge_complete",
    "challenge_create",
    "challenge_create_from_need",
    "challenge_publish",
    "challenge_update",
    "check_upload",
    "clarification_answer",
    "clarification_ask",
    "cobuyer_add",
    "cobuyer_remove",
    "cobuyer_update",
    "criteria_set",
    "document_add",
    "document_remove",
    "phase_add",
    "phase_change_deadline",
    "phase_close",
    "phase_decide",
    "phase_move",
    "phase_open",
    "phase_remove",
    "phase_start_evaluation",
    "phase_update",
    "publication_problems",
    "weights_message",
]
