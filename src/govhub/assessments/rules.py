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


@dataclass(frozen=True)
class Obligation:
    key: str
    citation: Text
    title: Text
    text: Text
    who: Text


_PROVIDER = _("Provider")
_DEPLOYER = _("Deployer (the buying body)")
_BOTH = _("Provider and deployer")

OBLIGATIONS: dict[str, Obligation] = {
    ob.key: ob
    for ob in (
        Obligation(
            "art5_prohibited",
            _("Art. 5"),
            _("Prohibited practice"),
            _(
                "The system cannot be placed on the market, put into service or used in the "
                "EU. A public body must not buy or deploy it."
            ),
            _BOTH,
        ),
        Obligation(
            "art9_risk_management",
            _("Art. 9"),
            _("Risk management system"),
            _(
                "Identify, analyse and mitigate the risks to health, safety and fundamental "
                "rights throughout the system's life, and test against them."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art10_data_governance",
            _("Art. 10"),
            _("Data and data governance"),
            _(
                "Training, validation and test data must be relevant, representative, as free "
                "of errors as possible and examined for possible biases."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art11_technical_documentation",
            _("Art. 11"),
            _("Technical documentation"),
            _("Draw up and keep up to date the technical documentation of Annex IV."),
            _PROVIDER,
        ),
        Obligation(
            "art12_logging",
            _("Art. 12"),
            _("Record-keeping"),
            _(
                "The system must automatically log events over its lifetime so that its "
                "functioning can be traced."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art13_transparency_to_deployers",
            _("Art. 13"),
            _("Transparency and instructions for deployers"),
            _(
                "Provide instructions for use stating the system's purpose, accuracy, limits "
                "and the human oversight it needs."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art14_human_oversight",
            _("Art. 14"),
            _("Human oversight"),
            _(
                "Design the system so that people can understand, monitor, override and stop "
                "it while it is in use."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art15_accuracy_robustness",
            _("Art. 15"),
            _("Accuracy, robustness and cybersecurity"),
            _(
                "Achieve and declare appropriate levels of accuracy, resilience to errors and "
                "protection against attacks."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art17_quality_management",
            _("Art. 17"),
            _("Quality management system"),
            _("Put in place a documented quality management system."),
            _PROVIDER,
        ),
        Obligation(
            "art43_conformity_assessment",
            _("Art. 43"),
            _("Conformity assessment"),
            _(
                "Have the system's conformity assessed before placing it on the market, then "
                "draw up the EU declaration of conformity and affix the CE marking."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art49_registration",
            _("Art. 49"),
            _("Registration in the EU database"),
            _(
                "Register the system in the EU database before placing it on the market; "
                "public bodies register their use of it too."
            ),
            _BOTH,
        ),
        Obligation(
            "art26_deployer_duties",
            _("Art. 26"),
            _("Duties of deployers"),
            _(
                "Use the system following its instructions, assign trained people to oversee "
                "it, monitor it, keep its logs and inform the people affected."
            ),
            _DEPLOYER,
        ),
        Obligation(
            "art27_fundamental_rights_impact",
            _("Art. 27"),
            _("Fundamental rights impact assessment"),
            _(
                "A public body must assess the impact on fundamental rights before first "
                "using the system, and notify the market surveillance authority of the results."
            ),
            _DEPLOYER,
        ),
        Obligation(
            "art50_1_interaction",
            _("Art. 50(1)"),
            _("Tell people they are interacting with AI"),
            _("People must be informed that they are interacting with an AI system."),
            _PROVIDER,
        ),
        Obligation(
            "art50_2_marking",
            _("Art. 50(2)"),
            _("Mark generated content"),
            _(
                "Generated audio, images, video and text must be marked in a machine-readable "
                "format and detectable as artificially generated."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art50_3_emotion_biometric",
            _("Art. 50(3)"),
            _("Inform people exposed to emotion recognition"),
            _(
                "People exposed to emotion recognition or biometric categorisation must be "
                "informed of it."
            ),
            _DEPLOYER,
        ),
        Obligation(
            "art50_4_deep_fakes",
            _("Art. 50(4)"),
            _("Disclose deep fakes and generated public texts"),
            _(
                "Disclose that deep fakes, and text published to inform the public, were "
                "artificially generated or manipulated."
            ),
            _DEPLOYER,
        ),
        Obligation(
            "art6_4_documented_exemption",
            _("Art. 6(4)"),
            _("Document why it is not high-risk"),
            _(
                "Document the assessment that the system is not high-risk before placing it on "
                "the market, and register it in the EU database (Art. 49(2))."
            ),
            _PROVIDER,
        ),
        Obligation(
            "art4_ai_literacy",
            _("Art. 4"),
            _("AI literacy"),
            _("Make sure the staff who operate and use the system have sufficient AI literacy."),
            _BOTH,
        ),
        Obligation(
            "art95_codes_of_conduct",
            _("Art. 95"),
            _("Voluntary codes of conduct"),
            _(
                "No mandatory requirements; providers and deployers are encouraged to apply "
                "voluntary codes of conduct."
            ),
            _BOTH,
        ),
    )
}

_HIGH_RISK_OBLIGATIONS = (
    "art9_risk_management",
    "art10_data_governance",
    "art11_technical_documentation",
    "art12_logging",
    "art13_transparency_to_deployers",
    "art14_human_oversight",
    "art15_accuracy_robustness",
    "art17_quality_management",
    "art43_conformity_assessment",
    "art49_registration",
    "art26_deployer_duties",
    "art27_fundamental_rights_impact",
)

_TRANSPARENCY_OBLIGATIONS = {
    "interacts_with_people": "art50_1_interaction",
    "generates_content": "art50_2_marking",
    "emotion_or_biometric_categorisation": "art50_3_emotion_biometric",
    "deep_fakes_public_text": "art50_4_deep_fakes",
}

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
    transparency_duties = [_TRANSPARENCY_OBLIGATIONS[o] for o in transparency]
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
            [*_HIGH_RISK_OBLIGATIONS, *transparency_duties, "art4_ai_literacy"],
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
