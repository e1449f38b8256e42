"""Challenge pages. Thin: parse the request, check the object-level right, call one service,
render. Unknown public ids give 404, a missing right 403."""

from .clarifications import clarification_answer, clarification_ask, clarification_queue
from .drafting import (
    buyer_edit,
    buyer_remove,
    buyers,
    challenge_create,
    challenge_create_from_need,
    challenge_edit,
    criteria,
    document_remove,
    documents,
    phase_add,
    phase_edit,
    phase_move,
    phase_remove,
)
from .public import challenge_detail, challenge_list, document_download
from .running import (
    cancel,
    complete,
    deadline_change,
    manage,
    my_challenges,
    phase_action,
    publish,
)

__all__ = [
    "buyer_edit",
    "buyer_remove",
    "buyers",
    "cancel",
    "challenge_create",
    "challenge_create_from_need",
    "challenge_detail",
    "challenge_edit",
    "challenge_list",
    "clarification_answer",
    "clarification_ask",
    "clarification_queue",
    "complete",
    "criteria",
    "deadline_change",
    "document_download",
    "document_remove",
    "documents",
    "manage",
    "my_challenges",
    "phase_action",
    "phase_add",
    "phase_edit",
    "phase_move",
    "phase_remove",
    "publish",
]
