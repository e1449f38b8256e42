"""Services against the database: versioned answers, refusals that change nothing,
completion and the catalogue's denormalised fields."""

from __future__ import annotations

import pytest

from govhub.assessments import selectors, services
from govhub.assessments.models import Answer, Assessment, AssessmentStatus
from govhub.catalogue.models import Solution
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.core.models import AuditEvent
from govhub.organisations.models import OrganisationKind

from .fixtures import answers_for, save_all

pytestmark = pytest.mark.django_db

INTEROP = "interoperability"
AI = "ai_act"


def _save(actor, solution, section, kind=INTEROP, **answers):
    return services.assessment_save_answers(
        actor=actor, solution=solution, kind=kind, section=section, answers=answers
    )


def _nothing_saved() -> None:
    assert Assessment.objects.count() == 0
    assert Answer.objects.count() == 0
    assert not AuditEvent.objects.filter(action__startswith="assessment.").exists()


def test_a_section_saved_half_way_keeps_its_answers(supplier, ai_solution):
    assessment = _save(
        supplier,
        ai_solution,
        "legal",
        legal_reuse_conditions={"value": "open_licence", "evidence": "EUPL-1.2 in LICENCE"},
        legal_data_protection={"value": None, "evidence": "DPA being drafted"},
    )
    assert assessment.status == AssessmentStatus.DRAFT
    current = selectors.current_answers(assessment)
    assert current["legal_reuse_conditions"].value == "open_licence"
    assert current["legal_reuse_conditions"].evidence == "EUPL-1.2 in LICENCE"
    assert current["legal_data_protection"].value is None
    assert current["legal_data_protection"].evidence == "DPA being drafted"
    assert "legal_eu_instruments" not in current
    event = AuditEvent.objects.get(action="assessment.answers_save")
    assert event.after is not None
    assert event.after["answers"]["legal_reuse_conditions"]["value"] == "open_licence"


def test_a_changed_answer_adds_a_version_and_keeps_the_previous(supplier, ai_solution):
    _save(supplier, ai_solution, "technical", tech_api_documented={"value": "on_request"})
    _save(supplier, ai_solution, "technical", tech_api_documented={"value": "public_spec"})
    versions = list(Answer.objects.filter(question="tech_api_documented").order_by("version"))
    assert [(a.version, a.value) for a in versions] == [(1, "on_request"), (2, "public_spec")]
    assert versions[0].superseded_at is not None
    assert versions[1].superseded_at is None
    assert versions[1].actor == supplier


def test_only_evidence_changed_is_a_new_version_too(supplier, ai_solution):
    _save(supplier, ai_solution, "technical", tech_data_export={"value": "yes"})
    _save(
        supplier,
        ai_solution,
        "technical",
        tech_data_export={"value": "yes", "evidence_url": "https://docs.example.eu/export"},
    )
    assert Answer.objects.filter(question="tech_data_export").count() == 2


def test_saving_the_same_answers_again_changes_nothing(supplier, ai_solution):
    _save(supplier, ai_solution, "technical", tech_data_export={"value": "yes", "evidence": "X"})
    events = AuditEvent.objects.count()
    _save(supplier, ai_solution, "technical", tech_data_export={"value": "yes", "evidence": "X "})
    assert Answer.objects.count() == 1
    assert AuditEvent.objects.count() == events


def test_an_outsider_cannot_answer_and_nothing_changes(outsider, ai_solution):
    with pytest.raises(NotAllowed):
        _save(outsider, ai_solution, "legal", legal_reuse_conditions={"value": "open_licence"})
    _nothing_saved()


def test_a_member_of_another_company_cannot_answer(make_organisation, make_user, ai_solution):
    rival = make_user("rival@example.eu")
    make_organisation(OrganisationKind.COMPANY, name="Rival Ltd", admin=rival)
    with pytest.raises(NotAllowed):
        _save(rival, ai_solution, "legal", legal_reuse_conditions={"value": "open_licence"})
    with pytest.raises(NotAllowed):
        services.assessment_complete(actor=rival, solution=ai_solution, kind=INTEROP)
    _nothing_saved()


def test_a_moderator_reads_but_cannot_answer(moderator, ai_solution):
    with pytest.raises(NotAllowed):
        _save(moderator, ai_solution, "legal", legal_reuse_conditions={"value": "open_licence"})
    _nothing_saved()


def test_wrong_answers_are_refused_and_nothing_is_saved(supplier, ai_solution):
    with pytest.raises(InvalidInput) as error:
        _save(
            supplier,
            ai_solution,
            "technical",
            tech_api_documented={"value": "public_spec", "evidence_url": "not a link"},
            tech_open_standards={"value": ["none", "openapi"]},
        )
    assert set(error.value.field_errors) == {
        "tech_api_documented__evidence_url",
        "tech_open_standards",
    }
    _nothing_saved()


def test_an_unknown_section_is_refused(supplier, ai_solution):
    with pytest.raises(InvalidInput):
        _save(supplier, ai_solution, "financial", anything={"value": "yes"})
    _nothing_saved()


def test_a_solution_without_ai_has_no_ai_act_questionnaire(supplier, plain_solution):
    with pytest.raises(InvalidInput, match="artificial intelligence"):
        _save(
            supplier,
            plain_solution,
            "prohibited",
            kind=AI,
            ai_prohibited_practices={"value": ["none"]},
        )
    with pytest.raises(InvalidInput):
        services.assessment_complete(actor=supplier, solution=plain_solution, kind=AI)
    _nothing_saved()


def test_completing_with_questions_unanswered_is_refused(supplier, ai_solution):
    _save(supplier, ai_solution, "legal", legal_reuse_conditions={"value": "open_licence"})
    with pytest.raises(InvalidInput, match="Still to answer"):
        services.assessment_complete(actor=supplier, solution=ai_solution, kind=INTEROP)
    assessment = Assessment.objects.get()
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.result == {}
    ai_solution.refresh_from_db()
    assert ai_solution.interoperability_level == ""
    assert ai_solution.interoperability_score is None
    assert not AuditEvent.objects.filter(action="assessment.complete").exists()


def test_completing_the_interoperability_assessment_sets_the_solution_level(supplier, ai_solution):
    values = answers_for(INTEROP, tech_open_standards=["openapi", "oauth_oidc"])  # 50
    save_all(services, actor=supplier, solution=ai_solution, kind=INTEROP, values=values)
    assessment = services.assessment_complete(actor=supplier, solution=ai_solution, kind=INTEROP)
    assert assessment.status == AssessmentStatus.COMPLETED
    assert assessment.completed_at is not None
    assert assessment.completed_by == supplier
    assert assessment.result["layers"]["technical"] == 88  # (50 + 100 + 100 + 100) / 4
    assert assessment.result["answers"]["legal_reuse_conditions"]["evidence"] == (
        "Evidence for legal_reuse_conditions"
    )
    solution = Solution.objects.get(pk=ai_solution.pk)
    assert solution.interoperability_level == "full"
    assert solution.interoperability_score == assessment.result["overall"] == 97
    event = AuditEvent.objects.get(action="assessment.complete")
    assert event.after is not None
    assert event.before is not None
    assert event.after["solution"] == {
        "interoperability_level": "full",
        "interoperability_score": 97,
    }
    assert event.before["solution"] == {
        "interoperability_level": "",
        "interoperability_score": None,
    }


def test_completing_the_ai_act_classification_sets_the_risk_category(supplier, ai_solution):
    values = answers_for(AI, ai_annex_iii_areas=["essential_services"])
    save_all(services, actor=supplier, solution=ai_solution, kind=AI, values=values)
    assessment = services.assessment_complete(actor=supplier, solution=ai_solution, kind=AI)
    assert assessment.result["category"] == "high"
    assert "art27_fundamental_rights_impact" in assessment.result["obligations"]
    assert Solution.objects.get(pk=ai_solution.pk).ai_risk_category == "high"


def test_a_change_after_completion_reopens_and_keeps_the_last_result(supplier, ai_solution):
    save_all(services, actor=supplier, solution=ai_solution, kind=AI, values=answers_for(AI))
    services.assessment_complete(actor=supplier, solution=ai_solution, kind=AI)
    with pytest.raises(InvalidTransition):
        services.assessment_complete(actor=supplier, solution=ai_solution, kind=AI)

    assessment = _save(
        supplier,
        ai_solution,
        "transparency",
        kind=AI,
        ai_transparency_uses={"value": ["interacts_with_people"]},
    )
    assert assessment.status == AssessmentStatus.DRAFT
    assert assessment.reopened_at is not None
    assert assessment.result["category"] == "minimal"  # the last completed result stays
    assert Solution.objects.get(pk=ai_solution.pk).ai_risk_category == "minimal"
    history = Answer.objects.filter(question="ai_transparency_uses").order_by("version")
    assert [a.value for a in history] == [["none"], ["interacts_with_people"]]

    assessment = services.assessment_complete(actor=supplier, solution=ai_solution, kind=AI)
    assert assessment.result["category"] == "limited"
    assert Solution.objects.get(pk=ai_solution.pk).ai_risk_category == "limited"
    assert assessment.result["answers"]["ai_transparency_uses"]["version"] == 2


def test_the_demo_assesses_entries_once(supplier, ai_solution, plain_solution):
    from govhub.assessments.demo import build_demo

    lines = build_demo()
    assert len(lines) == 3  # two interoperability assessments, one AI Act classification
    assert Assessment.objects.filter(status=AssessmentStatus.COMPLETED).count() == 3
    assert Solution.objects.get(pk=plain_solution.pk).interoperability_level != ""
    assert build_demo() == ["assessments: nothing new to assess"]
