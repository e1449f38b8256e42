"""The assessments' rules: pure functions over answers (question key → option key(s)).

Nothing here touches the database, so every rule is unit-tested with hand-made answers.

Interoperability
    Each question's answer scores 0–100 (see the options in ``questions.py``); a multiple
    choice adds its ticked options' scores up to 100; “not applicable” leaves the question
    out; an unanswered question scores 0. A layer's score is the rounded mean of its
    questions; the overall score is the rounded mean of the four layers. The overall level
    needs both a high enough overall score and no layer below a floor, because exchanges
    are only as interoperable as their weakest layer (``LEVEL_THRESHOLDS``):

    ========  ===============  ===================
    level     overall at least every layer at least
    ========  ===============  ===================
    full      85               70
    advanced  65               50
    basic     40               25
    initial   anything else
    ========  ===============  ===================

EU AI Act (Regulation (EU) 2024/1689)
    1. any practice of Article 5 → unacceptable (prohibited);
    2. else a safety component under Annex I (Art. 6(1)), or an Annex III area (Art. 6(2))
       unless it only performs a narrow or preparatory task (Art. 6(3)), which never
       applies to a system that profiles people → high;
    3. else a use listed in Article 50 → limited (transparency duties);
    4. else → minimal.
    The obligations follow from the category; Article 50 duties also apply to a high-risk
    system that has such a use, and AI literacy (Art. 4) to every system on the market.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from django.utils.translation import gettext_lazy as _

from govhub.catalogue.models import AiRiskCategory, InteroperabilityLevel

from .obligations import (
    HIGH_RISK_OBLIGATIONS,
    TRANSPARENCY_OBLIGATIONS,
)
from .obligations import OBLIGATIONS as OBLIGATIONS  # re-exported: the rules' vocabulary
from .questions import (
    AI_ACT,
    INTEROPERABILITY,
    MULTIPLE,
    Question,
    Questionnaire,
    Text,
    is_answered,
)

Answers = Mapping[str, Any]

# (level, minimum overall score, minimum score of every layer), strongest first.
LEVEL_THRESHOLDS: tuple[tuple[str, int, int], ...] = (
    (InteroperabilityLevel.FULL, 85, 70),
    (InteroperabilityLevel.ADVANCED, 65, 50),
    (InteroperabilityLevel.BASIC, 40, 25),
)


# --- Answers -------------------------------------------------------------------------------


def clean_value(question: Question, value: Any) -> Any:
    """The answer in its stored form (option key, or sorted list of keys; None when empty).

    Raises ValueError with a message for the user when the value is not one of the options.
    """
    keys = [option.key for option in question.options]
    if question.kind == MULTIPLE:
        if value in (None, "", []):
            return None
        selected = [value] if isinstance(value, str) else list(value)
        if any(key not in keys for key in selected):
            raise ValueError(_("Choose from the options given"))
        exclusive = [key for key in selected if question.option(key).exclusive]  # type: ignore[union-attr]
        if exclusive and len(set(selected)) > 1:
            label = question.option(exclusive[0]).label  # type: ignore[union-attr]
            raise ValueError(
                _("Either choose “%(none)s” or choose the options that apply, not both")
                % {"none": label}
            )
        return [key for key in keys if key in selected]
    if value in (None, ""):
        return None
    if value not in keys:
        raise ValueError(_("Choose from the options given"))
    return value


def missing_questions(questionnaire: Questionnaire, answers: Answers) -> list[str]:
    return [q.key for q in questionnaire.questions() if not is_answered(answers.get(q.key))]


def _selected(answers: Answers, key: str) -> list[str]:
    value = answers.get(key)
    if not is_answered(value):
        return []
    return [value] if isinstance(value, str) else list(value or [])


# --- Interoperability ----------------------------------------------------------------------


def question_score(question: Question, value: Any) -> int | None:
    """0–100, or None when the answer is “not applicable”."""
    if not is_answered(value):
        return 0
    if question.kind == MULTIPLE:
        total = 0
        for key in [value] if isinstance(value, str) else value:
            option = question.option(key)
            total += (option.score or 0) if option else 0
        return min(100, total)
    option = question.option(value)
    if option is None:
        return 0
    return option.score


@dataclass(frozen=True)
class InteroperabilityResult:
    layers: dict[str, int]
    overall: int
    level: str
    missing: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def interoperability_level(layers: Mapping[str, int], overall: int) -> str:
    weakest = min(layers.values()) if layers else 0
    for level, minimum_overall, minimum_layer in LEVEL_THRESHOLDS:
        if overall >= minimum_overall and weakest >= minimum_layer:
            return str(level)
    return str(InteroperabilityLevel.INITIAL)


def interoperability_result(answers: Answers) -> InteroperabilityResult:
    layers: dict[str, int] = {}
    for section in INTEROPERABILITY.sections:
        scores = [
            score
            for question in section.questions
            if (score := question_score(question, answers.get(question.key))) is not None
        ]
        # A layer whose every question is “not applicable” has nothing in the way.
        layers[section.key] = round(sum(scores) / len(scores)) if scores else 100
    overall = round(sum(layers.values()) / len(layers))
    return InteroperabilityResult(
        layers=layers,
        overall=overall,
        level=interoperability_level(layers, overall),
        missing=missing_questions(INTEROPERABILITY, answers),
    )


# --- EU AI Act -----------------------------------------------------------------------------


@dataclass(frozen=True)
class Reason:
    """One step of the classification: which answer led to it, citing the Act."""

    code: str
    question: str = ""
    option: str = ""


# What each reason says; {option} is the answer's label and {citation} its article.
REASON_TEXTS: dict[str, Text] = {
    "prohibited": _(
        "You answered that the system “%(option)s”: a prohibited practice under %(citation)s."
    ),
    "annex_i": _(
        "The system is a safety component of a product under Annex I: high-risk under %(citation)s."
    ),
    "annex_iii": _("The system is used for “%(option)s”: a high-risk area under %(citation)s."),
    "profiling": _(
        "The system profiles people, so the narrow-task exception cannot apply "
        "(%(citation)s): it stays high-risk."
    ),
    "narrow_task": _(
        "It only performs a narrow or preparatory task and does not profile people, so it "
        "is not high-risk despite its Annex III area (%(citation)s)."
    ),
    "transparency": _(
        "The system “%(option)s”: a transparency duty under %(citation)s, so at least limited risk."
    ),
    "none": _(
        "None of the prohibited practices, high-risk uses or transparency cases apply: "
        "minimal risk."
    ),
}


@dataclass(frozen=True)
class AiActResult:
    category: str
    reasons: list[Reason]
    obligations: list[str]
    missing: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return asdict(self)


def ai_act_result(answers: Answers) -> AiActResult:
    def reasons_for(code: str, question: str, options: list[str]) -> list[Reason]:
        return [Reason(code, question, option) for option in options if option != "none"]

    transparency = [o for o in _selected(answers, "ai_transparency_uses") if o != "none"]
    transparency_reasons = reasons_for("transparency", "ai_transparency_uses", transparency)
    transparency_duties = [TRANSPARENCY_OBLIGATIONS[o] for o in transparency]
    missing = missing_questions(AI_ACT, answers)

    prohibited = reasons_for(
        "prohibited", "ai_prohibited_practices", _selected(answers, "ai_prohibited_practices")
    )
    if prohibited:
        return AiActResult(
            str(AiRiskCategory.UNACCEPTABLE), prohibited, ["art5_prohibited"], missing
        )

    reasons: list[Reason] = []
    high = False
    if answers.get("ai_annex_i_safety_component") == "yes":
        reasons.append(Reason("annex_i", "ai_annex_i_safety_component", "yes"))
        high = True
    areas = reasons_for("annex_iii", "ai_annex_iii_areas", _selected(answers, "ai_annex_iii_areas"))
    exempted = False
    if areas:
        reasons.extend(areas)
        if answers.get("ai_profiling") == "yes":
            reasons.append(Reason("profiling", "ai_profiling", "yes"))
            high = True
        elif answers.get("ai_narrow_task") == "yes":
            reasons.append(Reason("narrow_task", "ai_narrow_task", "yes"))
            exempted = True
        else:
            high = True
    exemption = ["art6_4_documented_exemption"] if exempted and not high else []

    if high:
        return AiActResult(
            str(AiRiskCategory.HIGH),
            reasons + transparency_reasons,
            [*HIGH_RISK_OBLIGATIONS, *transparency_duties, "art4_ai_literacy"],
            missing,
        )
    if transparency:
        return AiActResult(
            str(AiRiskCategory.LIMITED),
            reasons + transparency_reasons,
            [*transparency_duties, *exemption, "art4_ai_literacy"],
            missing,
        )
    return AiActResult(
        str(AiRiskCategory.MINIMAL),
        [*reasons, Reason("none")],
        [*exemption, "art4_ai_literacy", "art95_codes_of_conduct"],
        missing,
    )


def reason_text(reason: Mapping[str, str]) -> str:
    """The sentence shown for a stored reason, in the reader's language."""
    question = AI_ACT.question(reason.get("question", ""))
    option = question.option(reason.get("option", "")) if question else None
    template = REASON_TEXTS.get(reason.get("code", ""), "")
    return str(template) % {
        "option": str(option.label) if option else "",
        "citation": str(option.citation) if option else "",
    }


def result_for(kind: str, answers: Answers) -> dict[str, Any]:
    if kind == INTEROPERABILITY.kind:
        return interoperability_result(answers).as_json()
    return ai_act_result(answers).as_json()
