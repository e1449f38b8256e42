"""Demo content: assessments of the catalogue's demo entries, answered by their providers.

Runs after the catalogue's demo step (it needs entries); idempotent: an entry that already
has an assessment of a kind is left alone. Works with or without the shared data.
"""

from __future__ import annotations

from typing import Any

from govhub.catalogue.models import Solution
from govhub.organisations.models import Membership

from . import services
from .models import Assessment, AssessmentKind
from .questions import MULTIPLE, questionnaire

# A few answer profiles, so the catalogue shows different levels and categories.
_INTEROP_PROFILES: list[dict[str, Any]] = [
    {"tech_open_standards": ["openapi", "oauth_oidc", "rdf_dcat", "other_open"]},
    {
        "legal_reuse_conditions": "commercial_licence",
        "org_change_governance": "partly",
        "sem_vocabularies": "partly",
        "sem_multilingual": "no",
        "tech_open_standards": ["openapi", "oauth_oidc"],
        "tech_api_documented": "on_request",
    },
    {
        "legal_reuse_conditions": "no_reuse",
        "org_processes_documented": "no",
        "org_agreements": "partly",
        "sem_data_formats": "open_undocumented",
        "sem_data_model": "no",
        "sem_vocabularies": "no",
        "tech_open_standards": ["none"],
        "tech_api_documented": "undocumented",
        "tech_data_export": "partly",
    },
]
_AI_PROFILES: list[dict[str, Any]] = [
    {"ai_transparency_uses": ["interacts_with_people", "generates_content"]},
    {"ai_annex_iii_areas": ["essential_services"]},
    {},
]
DEMO_LIMIT = 6


def _values(kind: str, overrides: dict[str, Any]) -> dict[str, Any]:
    values: dict[str, Any] = {}
    for question in questionnaire(kind).questions():
        if kind == AssessmentKind.AI_ACT:
            values[question.key] = ["none"] if question.kind == MULTIPLE else "no"
        else:
            first = question.options[0].key
            values[question.key] = [first] if question.kind == MULTIPLE else first
    values.update(overrides)
    return values


def _assess(solution: Solution, actor: Any, kind: str, overrides: dict[str, Any]) -> None:
    values = _values(kind, overrides)
    for section in questionnaire(kind).sections:
        services.assessment_save_answers(
            actor=actor,
            solution=solution,
            kind=kind,
            section=section.key,
            answers={
                q.key: {
                    "value": values[q.key],
                    "evidence": "Stated by the provider for the GovHub demonstration.",
                }
                for q in section.questions
            },
        )
    services.assessment_complete(actor=actor, solution=solution, kind=kind)


def build_demo() -> list[str]:
    lines: list[str] = []
    solutions = list(
        Solution.objects.select_related("provider").order_by("created_at")[:DEMO_LIMIT]
    )
    for index, solution in enumerate(solutions):
        membership = (
            Membership.objects.filter(organisation=solution.provider).select_related("user").first()
        )
        if membership is None:
            continue
        done = set(Assessment.objects.filter(solution=solution).values_list("kind", flat=True))
        if AssessmentKind.INTEROPERABILITY not in done:
            profile = _INTEROP_PROFILES[index % len(_INTEROP_PROFILES)]
            _assess(solution, membership.user, AssessmentKind.INTEROPERABILITY, profile)
            solution.refresh_from_db()
            lines.append(
                f"assessments: {solution.name}: interoperability {solution.interoperability_level}"
            )
        if solution.uses_ai and AssessmentKind.AI_ACT not in done:
            profile = _AI_PROFILES[index % len(_AI_PROFILES)]
            _assess(solution, membership.user, AssessmentKind.AI_ACT, profile)
            solution.refresh_from_db()
            lines.append(f"assessments: {solution.name}: AI Act {solution.ai_risk_category}")
    if not lines:
        lines.append("assessments: nothing new to assess")
    return lines
