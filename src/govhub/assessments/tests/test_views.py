"""Pages: who sees what (drafts private, reports public once the solution is published),
saving half-way through the form, and the summary tag."""

from __future__ import annotations

import pytest
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from govhub.assessments import services
from govhub.assessments.models import Answer, Assessment
from govhub.catalogue.models import SolutionStatus

from .fixtures import answers_for, save_all

pytestmark = pytest.mark.django_db

INTEROP = "interoperability"
AI = "ai_act"


def _url(name, solution, **extra):
    return reverse(f"assessments:{name}", kwargs={"solution_id": solution.public_id, **extra})


def _complete(supplier, solution, kind, **overrides):
    save_all(
        services,
        actor=supplier,
        solution=solution,
        kind=kind,
        values=answers_for(kind, **overrides),
    )
    return services.assessment_complete(actor=supplier, solution=solution, kind=kind)


def _publish(solution):
    solution.status = SolutionStatus.PUBLISHED
    solution.save(update_fields=["status"])


def test_the_provider_sees_every_page(client, supplier, ai_solution):
    client.force_login(supplier)
    for name, extra in [
        ("interop", {}),
        ("interop-section", {"section_key": "legal"}),
        ("interop-check", {}),
        ("ai", {}),
        ("ai-section", {"section_key": "high_risk"}),
        ("ai-check", {}),
    ]:
        assert client.get(_url(name, ai_solution, **extra)).status_code == 200, name


def test_anonymous_people_are_sent_to_sign_in(client, ai_solution):
    response = client.get(_url("interop", ai_solution))
    assert response.status_code == 302
    assert "login" in response["Location"]


def test_an_outsider_cannot_see_the_questionnaire_or_a_draft(
    client, outsider, supplier, ai_solution
):
    _save_legal(supplier, ai_solution)
    client.force_login(outsider)
    for name, extra in [
        ("interop", {}),
        ("interop-section", {"section_key": "legal"}),
        ("interop-check", {}),
    ]:
        assert client.get(_url(name, ai_solution, **extra)).status_code == 403, name
    assert client.get(_url("interop-report", ai_solution)).status_code == 404
    assert client.get(_url("interop-history", ai_solution)).status_code == 404


def test_an_unknown_solution_or_section_is_not_found(client, supplier, ai_solution):
    client.force_login(supplier)
    assert client.get(_url("interop-section", ai_solution, section_key="fiscal")).status_code == 404
    missing = reverse(
        "assessments:interop", kwargs={"solution_id": "00000000-0000-0000-0000-000000000000"}
    )
    assert client.get(missing).status_code == 404


def _save_legal(supplier, solution):
    services.assessment_save_answers(
        actor=supplier,
        solution=solution,
        kind=INTEROP,
        section="legal",
        answers={"legal_reuse_conditions": {"value": "open_licence", "evidence": "EUPL"}},
    )


def test_a_moderator_reads_the_answers_but_cannot_change_them(
    client, moderator, supplier, ai_solution
):
    _save_legal(supplier, ai_solution)
    client.force_login(moderator)
    response = client.get(_url("interop-check", ai_solution))
    assert response.status_code == 200
    assert "EUPL" in response.content.decode()
    assert client.get(_url("interop-history", ai_solution)).status_code == 200
    assert client.get(_url("interop-section", ai_solution, section_key="legal")).status_code == 403
    assert client.post(_url("interop-check", ai_solution)).status_code == 403


def test_save_and_continue_keeps_half_answered_parts_and_goes_on(client, supplier, ai_solution):
    client.force_login(supplier)
    response = client.post(
        _url("interop-section", ai_solution, section_key="legal"),
        {"legal_reuse_conditions": "open_licence", "legal_reuse_conditions__evidence": "EUPL-1.2"},
    )
    assert response.status_code == 302
    assert response["Location"] == _url(
        "interop-section", ai_solution, section_key="organisational"
    )
    answer = Answer.objects.get(question="legal_reuse_conditions")
    assert (answer.value, answer.evidence) == ("open_licence", "EUPL-1.2")
    page = client.get(_url("interop-section", ai_solution, section_key="legal")).content.decode()
    assert 'value="open_licence" checked' in page
    assert "EUPL-1.2" in page
    response = client.post(_url("interop-section", ai_solution, section_key="technical"), {})
    assert response["Location"] == _url("interop-check", ai_solution)


def test_a_refused_answer_keeps_what_was_typed(client, supplier, ai_solution):
    client.force_login(supplier)
    response = client.post(
        _url("interop-section", ai_solution, section_key="technical"),
        {
            "tech_api_documented": "public_spec",
            "tech_api_documented__evidence": "OpenAPI 3.1 document",
            "tech_api_documented__evidence_url": "docs dot example",
        },
    )
    assert response.status_code == 200
    page = response.content.decode()
    assert "govuk-error-summary" in page
    assert "Enter a web address" in page
    assert "docs dot example" in page
    assert "OpenAPI 3.1 document" in page
    assert not Answer.objects.exists()


def test_completing_from_the_check_page_shows_the_report(client, supplier, ai_solution):
    save_all(
        services, actor=supplier, solution=ai_solution, kind=INTEROP, values=answers_for(INTEROP)
    )
    client.force_login(supplier)
    response = client.post(_url("interop-check", ai_solution))
    assert response["Location"] == _url("interop-report", ai_solution)
    page = client.get(_url("interop-report", ai_solution)).content.decode()
    assert "Level: Full" in page
    assert "Evidence for legal_reuse_conditions" in page
    assert "Score: 100 out of 100" in page  # each answer's contribution to its layer
    assert "Only your organisation and moderators" in page  # the solution is a draft


def test_completing_with_answers_missing_shows_the_problem(client, supplier, ai_solution):
    _save_legal(supplier, ai_solution)
    client.force_login(supplier)
    response = client.post(_url("interop-check", ai_solution))
    assert response.status_code == 200
    assert "Still to answer" in response.content.decode()
    assert Assessment.objects.get().status == "draft"


def test_the_report_of_a_draft_solution_is_private(client, outsider, supplier, ai_solution):
    _complete(supplier, ai_solution, AI)
    assert client.get(_url("ai-report", ai_solution)).status_code == 404
    client.force_login(outsider)
    assert client.get(_url("ai-report", ai_solution)).status_code == 404


def test_the_report_is_public_once_the_solution_is_published(client, supplier, ai_solution):
    _complete(supplier, ai_solution, AI, ai_annex_iii_areas=["essential_services"])
    _publish(ai_solution)
    page = client.get(_url("ai-report", ai_solution)).content.decode()
    assert "High risk" in page
    assert "Annex III, point 5" in page
    assert "Fundamental rights impact assessment" in page
    assert client.get(_url("ai-history", ai_solution)).status_code == 200


def test_the_public_never_sees_answers_changed_after_completion(client, supplier, ai_solution):
    _complete(supplier, ai_solution, AI)
    _publish(ai_solution)
    services.assessment_save_answers(
        actor=supplier,
        solution=ai_solution,
        kind=AI,
        section="transparency",
        answers={"ai_transparency_uses": {"value": ["generates_content"], "evidence": "SECRET"}},
    )
    report = client.get(_url("ai-report", ai_solution)).content.decode()
    assert "Minimal risk" in report
    assert "SECRET" not in report
    history = client.get(_url("ai-history", ai_solution)).content.decode()
    assert "SECRET" not in history
    client.force_login(supplier)
    assert "SECRET" in client.get(_url("ai-history", ai_solution)).content.decode()


def test_a_published_solution_never_assessed_has_no_report(client, ai_solution):
    _publish(ai_solution)
    assert client.get(_url("interop-report", ai_solution)).status_code == 404
    assert client.get(_url("interop-history", ai_solution)).status_code == 404


def test_a_solution_without_ai_says_why_there_is_no_classification(
    client, supplier, plain_solution
):
    client.force_login(supplier)
    page = client.get(_url("ai", plain_solution)).content.decode()
    assert "not described as using artificial intelligence" in page
    response = client.get(_url("ai-section", plain_solution, section_key="prohibited"))
    assert response["Location"] == _url("ai", plain_solution)


def _summary(solution, user):
    request = RequestFactory().get("/")
    request.user = user
    template = Template("{% load assessments %}{% assessment_summary solution %}")
    return template.render(Context({"solution": solution, "request": request}))


def test_the_summary_box_shows_level_category_and_links(supplier, outsider, ai_solution):
    _complete(supplier, ai_solution, INTEROP)
    _complete(supplier, ai_solution, AI, ai_transparency_uses=["interacts_with_people"])
    ai_solution.refresh_from_db()
    _publish(ai_solution)
    html = _summary(ai_solution, outsider)
    assert "Level Full (score 95 out of 100)" in html
    assert "Limited risk (transparency duties), 2 obligations" in html
    assert _url("interop-report", ai_solution) in html
    assert _url("ai-report", ai_solution) in html
    assert "Change the interoperability assessment" not in html
    assert "Change the interoperability assessment" in _summary(ai_solution, supplier)


def test_the_summary_box_of_a_solution_not_assessed(plain_solution, outsider):
    html = _summary(plain_solution, outsider)
    assert "Not assessed yet" in html
    assert "Does not use artificial intelligence" in html


def test_a_completed_assessment_offers_its_report_instead_of_completing_again(
    client, supplier, ai_solution
):
    _complete(supplier, ai_solution, INTEROP)
    client.force_login(supplier)
    page = client.get(_url("interop-check", ai_solution)).content.decode()
    assert "Complete the assessment" not in page
    assert _url("interop-report", ai_solution) in page


def test_a_moderator_reads_the_report_of_a_draft_solution(client, moderator, supplier, ai_solution):
    _complete(supplier, ai_solution, INTEROP)
    client.force_login(moderator)
    assert client.get(_url("interop-report", ai_solution)).status_code == 200
    page = client.get(_url("interop", ai_solution)).content.decode()
    assert _url("interop-section", ai_solution, section_key="legal") not in page  # read only


def test_the_ai_report_is_withdrawn_when_the_solution_no_longer_uses_ai(
    client, supplier, ai_solution
):
    _complete(supplier, ai_solution, AI)
    _publish(ai_solution)
    assert client.get(_url("ai-report", ai_solution)).status_code == 200
    ai_solution.uses_ai = False
    ai_solution.save(update_fields=["uses_ai"])
    assert client.get(_url("ai-report", ai_solution)).status_code == 404
