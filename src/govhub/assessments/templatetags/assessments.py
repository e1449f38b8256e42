"""``{% load assessments %}{% assessment_summary solution %}``: the short summary box of a
solution's assessments (interoperability level, AI Act category), for the solution's page."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import reverse

from govhub.catalogue.models import Solution

from .. import permissions, selectors
from ..models import AssessmentKind
from ..presentation import category_label, level_label

register = template.Library()


@register.inclusion_tag("assessments/includes/summary.html", takes_context=True)
def assessment_summary(context: Any, solution: Solution) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    assessments = selectors.assessments_by_kind(solution=solution)
    interop = assessments.get(AssessmentKind.INTEROPERABILITY)
    ai = assessments.get(AssessmentKind.AI_ACT) if solution.uses_ai else None
    can_edit = permissions.can_edit(user, solution)
    kwargs = {"solution_id": solution.public_id}
    return {
        "solution": solution,
        "can_edit": can_edit,
        "interop": {
            "level": solution.interoperability_level,
            "level_label": level_label(solution.interoperability_level),
            "score": solution.interoperability_score,
            "report_url": reverse("assessments:interop-report", kwargs=kwargs)
            if permissions.can_view_report(user, solution, interop)
            else "",
            "start_url": reverse("assessments:interop", kwargs=kwargs),
            "in_progress": interop is not None and interop.status == "draft",
        },
        "ai": {
            "uses_ai": solution.uses_ai,
            "category": solution.ai_risk_category,
            "category_label": category_label(solution.ai_risk_category),
            "obligations": len(ai.result.get("obligations", [])) if ai and ai.has_result else 0,
            "report_url": reverse("assessments:ai-report", kwargs=kwargs)
            if permissions.can_view_report(user, solution, ai)
            else "",
            "start_url": reverse("assessments:ai", kwargs=kwargs),
            "in_progress": ai is not None and ai.status == "draft",
        },
    }
