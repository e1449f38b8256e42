"""Fixtures for assessments tests (shared with other apps via the root conftest).

- ``make_assessed_solution``: a catalogue entry of ``company`` (``supplier`` is its member),
  made directly (the catalogue's own services are the catalogue's business).
- ``ai_solution``: a draft entry that uses AI; ``plain_solution``: one that does not.
- ``answers_for``: complete answers to a questionnaire, with overrides.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govhub.catalogue.models import Solution, SolutionStatus
from govhub.organisations.models import Organisation

from ..questions import MULTIPLE, questionnaire

# A solution that would reach the “full” level: the first option of every question.
BEST = "best"


@pytest.fixture
def make_assessed_solution(company: Organisation) -> Callable[..., Solution]:
    def make(
        *,
        provider: Organisation | None = None,
        name: str = "Open permit desk",
        uses_ai: bool = True,
        published: bool = False,
    ) -> Solution:
        return Solution.objects.create(
            provider=provider or company,
            name=name,
            summary="Online permit applications for municipalities.",
            uses_ai=uses_ai,
            status=SolutionStatus.PUBLISHED if published else SolutionStatus.DRAFT,
        )

    return make


@pytest.fixture
def ai_solution(make_assessed_solution: Callable[..., Solution]) -> Solution:
    return make_assessed_solution(name="Permit chatbot", uses_ai=True)


@pytest.fixture
def plain_solution(make_assessed_solution: Callable[..., Solution]) -> Solution:
    return make_assessed_solution(name="Open permit desk", uses_ai=False)


def answers_for(kind: str, **overrides: Any) -> dict[str, Any]:
    """Values for every question: the first option (or, for the AI Act, “none”/“no”)."""
    values: dict[str, Any] = {}
    for question in questionnaire(kind).questions():
        if kind == "ai_act":
            keys = [option.key for option in question.options]
            values[question.key] = ["none"] if question.kind == MULTIPLE else "no"
            assert ("none" in keys) if question.kind == MULTIPLE else ("no" in keys)
        else:
            first = question.options[0].key
            values[question.key] = [first] if question.kind == MULTIPLE else first
    values.update(overrides)
    return values


def save_all(
    services: Any, *, actor: Any, solution: Solution, kind: str, values: dict[str, Any]
) -> None:
    """Save every section of the questionnaire with the given values."""
    for section in questionnaire(kind).sections:
        services.assessment_save_answers(
            actor=actor,
            solution=solution,
            kind=kind,
            section=section.key,
            answers={
                q.key: {"value": values.get(q.key), "evidence": f"Evidence for {q.key}"}
                for q in section.questions
            },
        )
