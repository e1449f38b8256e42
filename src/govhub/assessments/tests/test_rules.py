"""The rules as pure functions over hand-made answers (no database)."""

from __future__ import annotations

import pytest

from govhub.assessments import rules
from govhub.assessments.questions import AI_ACT, INTEROPERABILITY

from .fixtures import answers_for

INTEROP = "interoperability"
AI = "ai_act"


def _worst() -> dict[str, object]:
    values: dict[str, object] = {}
    for question in INTEROPERABILITY.questions():
        scored = [o for o in question.options if o.score is not None]
        worst = min(scored, key=lambda o: o.score or 0)
        values[question.key] = [worst.key] if question.kind == "multiple" else worst.key
    return values


# --- Interoperability ----------------------------------------------------------------------


def test_the_best_answers_score_100_in_every_layer_and_reach_full():
    result = rules.interoperability_result(
        answers_for(
            INTEROP, tech_open_standards=["openapi", "oauth_oidc", "saml_eidas", "rdf_dcat"]
        )
    )
    assert result.layers == {"legal": 100, "organisational": 100, "semantic": 100, "technical": 100}
    assert result.overall == 100
    assert result.level == "full"
    assert result.missing == []


def test_the_worst_answers_score_0_and_stay_initial():
    result = rules.interoperability_result(_worst())
    assert set(result.layers.values()) == {0}
    assert result.level == "initial"


def test_a_layer_score_is_the_mean_of_its_questions():
    # legal: open licence 100, data protection partly 50, EU instruments no 0 → 50
    result = rules.interoperability_result(
        answers_for(INTEROP, legal_data_protection="partly", legal_eu_instruments="no")
    )
    assert result.layers["legal"] == 50


def test_not_applicable_answers_do_not_count():
    result = rules.interoperability_result(
        answers_for(
            INTEROP,
            legal_reuse_conditions="free_agreement",  # 75
            legal_data_protection="not_applicable",
            legal_eu_instruments="not_applicable",
        )
    )
    assert result.layers["legal"] == 75


def test_each_open_standard_adds_25_up_to_100():
    question = INTEROPERABILITY.question("tech_open_standards")
    assert question is not None
    assert rules.question_score(question, ["openapi"]) == 25
    assert rules.question_score(question, ["openapi", "oauth_oidc"]) == 50
    assert rules.question_score(question, [o.key for o in question.options[:6]]) == 100
    assert rules.question_score(question, ["none"]) == 0


def test_unanswered_questions_score_0_and_are_listed_as_missing():
    values = answers_for(INTEROP)
    del values["sem_data_model"]
    result = rules.interoperability_result(values)
    assert result.missing == ["sem_data_model"]
    # semantic: 100, 0 (missing), 100, 100 → 75
    assert result.layers["semantic"] == 75


@pytest.mark.parametrize(
    ("overall", "weakest", "level"),
    [
        (85, 70, "full"),
        (100, 69, "advanced"),
        (84, 100, "advanced"),
        (65, 50, "advanced"),
        (64, 60, "basic"),
        (90, 49, "basic"),
        (40, 25, "basic"),
        (39, 39, "initial"),
        (90, 24, "initial"),
        (0, 0, "initial"),
    ],
)
def test_level_thresholds_need_the_overall_score_and_the_weakest_layer(overall, weakest, level):
    layers = {"legal": 100, "organisational": 100, "semantic": 100, "technical": weakest}
    assert rules.interoperability_level(layers, overall) == level


# --- Cleaning answers ----------------------------------------------------------------------


def test_clean_value_refuses_unknown_options_and_none_with_others():
    single = INTEROPERABILITY.question("tech_api_documented")
    multiple = AI_ACT.question("ai_prohibited_practices")
    assert single is not None
    assert multiple is not None
    with pytest.raises(ValueError, match="Choose from the options"):
        rules.clean_value(single, "maybe")
    with pytest.raises(ValueError, match="Choose from the options"):
        rules.clean_value(multiple, ["nonsense"])
    with pytest.raises(ValueError, match="not both"):
        rules.clean_value(multiple, ["none", "social_scoring"])


def test_clean_value_keeps_the_options_order_and_empties_to_none():
    multiple = AI_ACT.question("ai_prohibited_practices")
    single = INTEROPERABILITY.question("tech_api_documented")
    assert multiple is not None
    assert single is not None
    assert rules.clean_value(multiple, ["social_scoring", "manipulation"]) == [
        "manipulation",
        "social_scoring",
    ]
    assert rules.clean_value(multiple, "none") == ["none"]
    assert rules.clean_value(multiple, []) is None
    assert rules.clean_value(single, "") is None
    assert rules.clean_value(single, "on_request") == "on_request"


# --- EU AI Act -----------------------------------------------------------------------------


def _texts(result: rules.AiActResult) -> list[str]:
    return [rules.reason_text(vars(reason)) for reason in result.reasons]


def test_nothing_ticked_is_minimal_risk_with_voluntary_codes():
    result = rules.ai_act_result(answers_for(AI))
    assert result.category == "minimal"
    assert result.obligations == ["art4_ai_literacy", "art95_codes_of_conduct"]
    assert [r.code for r in result.reasons] == ["none"]
    assert result.missing == []


def test_a_prohibited_practice_is_unacceptable_whatever_else_is_ticked():
    result = rules.ai_act_result(
        answers_for(
            AI,
            ai_prohibited_practices=["social_scoring"],
            ai_annex_iii_areas=["essential_services"],
            ai_transparency_uses=["interacts_with_people"],
        )
    )
    assert result.category == "unacceptable"
    assert result.obligations == ["art5_prohibited"]
    assert [(r.code, r.option) for r in result.reasons] == [("prohibited", "social_scoring")]
    assert "Art. 5(1)(c)" in _texts(result)[0]


def test_an_annex_iii_area_is_high_risk_with_the_full_list_of_obligations():
    result = rules.ai_act_result(answers_for(AI, ai_annex_iii_areas=["essential_services"]))
    assert result.category == "high"
    for key in (
        "art9_risk_management",
        "art10_data_governance",
        "art12_logging",
        "art13_transparency_to_deployers",
        "art14_human_oversight",
        "art15_accuracy_robustness",
        "art43_conformity_assessment",
        "art49_registration",
        "art26_deployer_duties",
        "art27_fundamental_rights_impact",
    ):
        assert key in result.obligations
    assert "Annex III, point 5" in _texts(result)[0]


def test_a_safety_component_under_annex_i_is_high_risk():
    result = rules.ai_act_result(answers_for(AI, ai_annex_i_safety_component="yes"))
    assert result.category == "high"
    assert "Art. 6(1)" in _texts(result)[0]


def test_a_narrow_task_without_profiling_is_not_high_risk_but_documented():
    result = rules.ai_act_result(
        answers_for(AI, ai_annex_iii_areas=["employment"], ai_narrow_task="yes")
    )
    assert result.category == "minimal"
    assert "art6_4_documented_exemption" in result.obligations
    assert [r.code for r in result.reasons] == ["annex_iii", "narrow_task", "none"]


def test_profiling_keeps_an_annex_iii_system_high_risk_even_for_a_narrow_task():
    result = rules.ai_act_result(
        answers_for(AI, ai_annex_iii_areas=["employment"], ai_narrow_task="yes", ai_profiling="yes")
    )
    assert result.category == "high"
    assert "profiling" in [r.code for r in result.reasons]
    assert "art6_4_documented_exemption" not in result.obligations


def test_a_chatbot_has_limited_risk_with_its_transparency_duty():
    result = rules.ai_act_result(
        answers_for(AI, ai_transparency_uses=["interacts_with_people", "generates_content"])
    )
    assert result.category == "limited"
    assert result.obligations == ["art50_1_interaction", "art50_2_marking", "art4_ai_literacy"]
    assert "Art. 50(1)" in _texts(result)[0]


def test_emotion_recognition_outside_work_and_education_is_limited():
    result = rules.ai_act_result(
        answers_for(AI, ai_transparency_uses=["emotion_or_biometric_categorisation"])
    )
    assert result.category == "limited"
    assert "art50_3_emotion_biometric" in result.obligations


def test_a_high_risk_chatbot_also_has_the_transparency_duty():
    result = rules.ai_act_result(
        answers_for(
            AI,
            ai_annex_iii_areas=["education"],
            ai_transparency_uses=["interacts_with_people"],
        )
    )
    assert result.category == "high"
    assert "art50_1_interaction" in result.obligations


def test_missing_answers_are_listed():
    values = answers_for(AI)
    del values["ai_profiling"]
    assert rules.ai_act_result(values).missing == ["ai_profiling"]


def test_every_obligation_key_used_is_defined():
    cases = [
        answers_for(AI),
        answers_for(AI, ai_prohibited_practices=["manipulation"]),
        answers_for(AI, ai_annex_i_safety_component="yes"),
        answers_for(
            AI,
            ai_transparency_uses=[
                "interacts_with_people",
                "generates_content",
                "emotion_or_biometric_categorisation",
                "deep_fakes_public_text",
            ],
        ),
    ]
    for values in cases:
        for key in rules.ai_act_result(values).obligations:
            assert key in rules.OBLIGATIONS
