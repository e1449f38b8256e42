"""Reads of proposals, and the seal (Directive 2014/24/EU, Annex IV).

Every read of proposal content — answers, attachments, declared price, title, receipt
snapshots — goes through a function here, whatever the channel (HTML page, file download,
JSON receipt, a future API, export or search). The rule:

- members of the proposing company always read their own proposal;
- after the deadline, and once a lead buyer has opened the phase's proposals, buyers of the
  lead and co-buying authorities read the received (submitted) proposals, as received;
  their evaluators too, when the evaluation app says they may (conflict-of-interest
  declaration signed);
- nobody else: not moderators, not superusers, not staff.

A refused read raises :class:`Sealed` and records ``proposal.sealed_access_refused`` in its
own, durable transaction, so the trace survives the refused request (guarantee (g)). Call
these selectors outside any transaction: Django refuses to nest a durable one (RuntimeError),
which is what keeps a caller's rollback from erasing the trace.

Lists and metadata (status, counts, times) are not content; before opening, the buying side
sees counts only, never which companies applied.
"""

from .metadata import (
    HISTORY_LABELS,
    HistoryItem,
    PhaseOverview,
    ReceivedRow,
    attachment_detail,
    criteria_of,
    my_proposals,
    phase_detail,
    phase_overview,
    proposal_detail,
    proposal_for,
    proposal_history,
    receipt_detail,
    receipts_of,
    refusal_for,
)
from .seal import (
    REFUSED_ACTION,
    ROLE_BUYER,
    ROLE_COMPANY,
    ROLE_EVALUATOR,
    AnswerView,
    AttachmentDownload,
    FileView,
    ProposalContent,
    ReceiptView,
    Sealed,
    attachment_file,
    proposal_content,
    read_role,
    receipt_content,
    receipt_document,
)

__all__ = [
    "HISTORY_LABELS",
    "REFUSED_ACTION",
    "ROLE_BUYER",
    "ROLE_COMPANY",
    "ROLE_EVALUATOR",
    "AnswerView",
    "AttachmentDownload",
    "FileView",
    "HistoryItem",
    "PhaseOverview",
    "ProposalContent",
    "ReceiptView",
    "ReceivedRow",
    "Sealed",
    "attachment_detail",
    "attachment_file",
    "criteria_of",
    "my_proposals",
    "phase_detail",
    "phase_overview",
    "proposal_content",
    "proposal_detail",
    "proposal_for",
    "proposal_history",
    "read_role",
    "receipt_content",
    "receipt_detail",
    "receipt_document",
    "receipts_of",
    "refusal_for",
]
