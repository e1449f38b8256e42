"""Writes for proposals. Each service is one transaction with one audit event; none ever
writes proposal content into the audit log (it is sealed; the log is not)."""

from .drafts import (
    KEEP,
    answer_field,
    proposal_attachment_add,
    proposal_attachment_remove,
    proposal_save_draft,
)
from .opening import proposals_open
from .submission import proposal_submit, proposal_withdraw

__all__ = [
    "KEEP",
    "answer_field",
    "proposal_attachment_add",
    "proposal_attachment_remove",
    "proposal_save_draft",
    "proposal_submit",
    "proposal_withdraw",
    "proposals_open",
]
