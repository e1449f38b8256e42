"""Participation services (all writes). Each is one transaction with one audit event."""

from .answers import idea_answer, idea_merge
from .discussion import (
    comment_post,
    content_hide,
    report_create,
    report_dismiss,
    support_add,
    support_withdraw,
)
from .idea import idea_submit, idea_update, profile_save
from .process import (
    process_close,
    process_create,
    process_open,
    process_update,
    unanswered_ideas,
)
from .results import milestone_add, milestone_complete, result_create, result_update

__all__ = [
    "comment_post",
    "content_hide",
    "idea_answer",
    "idea_merge",
    "idea_submit",
    "idea_update",
    "milestone_add",
    "milestone_complete",
    "process_close",
    "process_create",
    "process_open",
    "process_update",
    "profile_save",
    "report_create",
    "report_dismiss",
    "result_create",
    "result_update",
    "support_add",
    "support_withdraw",
    "unanswered_ideas",
]
