"""Who may do what with a solution's assessments. Pure predicates: services and views ask them.

The provider's members answer the questionnaires; moderators read everything; the report of a
completed assessment is public once the solution is published (a buyer reads it before
adopting). Answers in progress and their history stay private to the provider and moderators.
"""

from __future__ import annotations

from typing import Any

from govhub.catalogue.models import Solution, SolutionStatus
from govhub.organisations import permissions as org_permissions

from .models import Assessment, AssessmentKind


def can_edit(user: Any, solution: Solution) -> bool:
    return org_permissions.is_member(user, solution.provider)


def can_read_answers(user: Any, solution: Solution) -> bool:
    """The answers as they are now (drafts included) and their full history."""
    return org_permissions.can_moderate(user) or can_edit(user, solution)


def applies(solution: Solution, kind: str) -> bool:
    """The AI Act questionnaire is only for solutions that use AI."""
    return kind != AssessmentKind.AI_ACT or solution.uses_ai


def is_report_public(solution: Solution, assessment: Assessment | None) -> bool:
    return (
        assessment is not None
        and assessment.has_result
        and solution.status == SolutionStatus.PUBLISHED
        and applies(solution, assessment.kind)
    )


def can_view_report(user: Any, solution: Solution, assessment: Assessment | None) -> bool:
    if assessment is None or not assessment.has_result:
        return False
    return is_report_public(solution, assessment) or can_read_answers(user, solution)
