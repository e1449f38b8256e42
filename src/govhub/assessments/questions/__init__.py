"""The questionnaires as data: sections, questions and options with stable keys.

Keys are stored in the answers and results and must never change; the texts may. A question
is either a single choice (radios) or a multiple choice (checkboxes, where an ``exclusive``
option such as “none of these” cannot be ticked with another). Each option of an
interoperability question carries the score (0–100) it contributes to its layer; ``None``
means “not applicable”: the question then does not count towards the layer's score.
"""

from __future__ import annotations

from typing import Any

from .ai_act import AI_ACT
from .base import MULTIPLE, SINGLE, Option, Question, Questionnaire, Section, Text
from .interoperability import INTEROPERABILITY

__all__ = [
    "AI_ACT",
    "INTEROPERABILITY",
    "MULTIPLE",
    "QUESTIONNAIRES",
    "SINGLE",
    "Option",
    "Question",
    "Questionnaire",
    "Section",
    "Text",
    "is_answered",
    "questionnaire",
]

QUESTIONNAIRES: dict[str, Questionnaire] = {
    INTEROPERABILITY.kind: INTEROPERABILITY,
    AI_ACT.kind: AI_ACT,
}


def questionnaire(kind: str) -> Questionnaire:
    return QUESTIONNAIRES[kind]


def is_answered(value: Any) -> bool:
    return value not in (None, "", [])
