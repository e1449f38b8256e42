"""Turn stored answers and results into rows the templates show, in the reader's language."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from govhub.catalogue.models import AiRiskCategory, InteroperabilityLevel

from .obligations import OBLIGATIONS
from .questions import Question, Questionnaire, is_answered
from .rules import LEVEL_THRESHOLDS, question_score, reason_text

_LEVEL_COLOURS = {"full": "green", "advanced": "turquoise", "basic": "yellow", "initial": "orange"}
_CATEGORY_COLOURS = {
    "unacceptable": "red",
    "high": "orange",
    "limited": "yellow",
    "minimal": "green",
}


def value_labels(question: Question, value: Any) -> list[str]:
    if not is_answered(value):
        return []
    keys = [value] if isinstance(value, str) else list(value)
    labels = []
    for key in keys:
        option = question.option(key)
        labels.append(str(option.label) if option else str(key))
    return labels


def _field(answer: Any, name: str) -> Any:
    if isinstance(answer, Mapping):
        return answer.get(name)
    return getattr(answer, name, None)


def answer_rows(
    questionnaire: Questionnaire, answers: Mapping[str, Any], *, scored: bool = False
) -> list[dict[str, Any]]:
    """Per section, each question with its answer's labels and evidence (Answer rows or the
    answers stored in a result)."""
    sections = []
    for section in questionnaire.sections:
        rows = []
        for question in section.questions:
            answer = answers.get(question.key)
            rows.append(
                {
                    "question": question,
                    "labels": value_labels(question, _field(answer, "value")),
                    "evidence": _field(answer, "evidence") or "",
                    "evidence_url": _field(answer, "evidence_url") or "",
                    "version": _field(answer, "version"),
                    "scored": scored,
                    "score": question_score(question, _field(answer, "value")) if scored else None,
                }
            )
        sections.append({"section": section, "rows": rows})
    return sections


def history_rows(
    questionnaire: Questionnaire, by_question: Mapping[str, list[Any]], *, show_superseded: bool
) -> list[dict[str, Any]]:
    sections = []
    for section in questionnaire.sections:
        rows = []
        for question in section.questions:
            versions = [
                {
                    "answer": answer,
                    "labels": value_labels(question, answer.value),
                    "current": answer.superseded_at is None,
                    "superseded_at": answer.superseded_at if show_superseded else None,
                }
                for answer in by_question.get(question.key, [])
            ]
            if versions:
                rows.append({"question": question, "versions": versions})
        if rows:
            sections.append({"section": section, "rows": rows})
    return sections


def level_label(level: str) -> str:
    return str(dict(InteroperabilityLevel.choices).get(level, level))


def interoperability_report(result: Mapping[str, Any]) -> dict[str, Any]:
    from .questions import INTEROPERABILITY

    layers = [
        {"section": section, "score": result.get("layers", {}).get(section.key, 0)}
        for section in INTEROPERABILITY.sections
    ]
    return {
        "layers": layers,
        "overall": result.get("overall", 0),
        "level": result.get("level", ""),
        "colour": _LEVEL_COLOURS.get(result.get("level", ""), "grey"),
        "level_label": level_label(result.get("level", "")),
        "thresholds": [
            {"level": str(level), "label": level_label(str(level)), "overall": o, "layer": f}
            for level, o, f in LEVEL_THRESHOLDS
        ],
        "initial_label": level_label(InteroperabilityLevel.INITIAL),
    }


def category_label(category: str) -> str:
    return str(dict(AiRiskCategory.choices).get(category, category))


def ai_report(result: Mapping[str, Any]) -> dict[str, Any]:
    obligations = [OBLIGATIONS[key] for key in result.get("obligations", []) if key in OBLIGATIONS]
    return {
        "category": result.get("category", ""),
        "colour": _CATEGORY_COLOURS.get(result.get("category", ""), "grey"),
        "category_label": category_label(result.get("category", "")),
        "reasons": [reason_text(reason) for reason in result.get("reasons", [])],
        "obligations": obligations,
    }
