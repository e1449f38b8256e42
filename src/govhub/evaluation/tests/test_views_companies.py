from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.template import Context, Template
from django.test import RequestFactory
from django.urls import reverse

from govhub.evaluation import services
from govhub.evaluation.models import Outcome, OutcomeKind, PilotKpi, PilotPlan

from .fixtures import publish_call_results
from .helpers import assert_unchanged

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"evaluation:{name}", args=args)


# --- a company's own results -----------------------------------------------------------------


def test_a_company_reads_its_own_scores_and_reasons(
    signed_in, third_supplier, scored_world, buyer, django_assert_max_num_queries
):
    publish_call_results(scored_world, buyer)
    client = signed_in(third_supplier)
    with django_assert_max_num_queries(12):
        response = client.get(url("company_results", scored_world.challenge.public_id))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Not selected" in content
    assert "Weaker on impact and cost." in content
    assert "4.10 out of 10" in content
    assert "Agreed after discussion (4.5)." in content
    # Never another company, never an evaluator, never an individual score.
    for hidden in ("CivicTech", "Open Data Works", "Eva Evaluator", "Emil Evaluator", "8.00"):
        assert hidden not in content
    assert "Because of the evidence" not in content


def test_a_selected_company_is_told_it_is_invited(signed_in, supplier, scored_world, buyer):
    publish_call_results(scored_world, buyer)
    content = signed_in(supplier).get(url("company_results", scored_world.challenge.public_id))
    text = content.content.decode()
    assert "You are invited to the next phase: Pilot in a town hall." in text
    assert "Open Data Works" not in text


def test_before_publication_a_company_sees_no_scores(signed_in, supplier, scored_world):
    content = signed_in(supplier).get(url("company_results", scored_world.challenge.public_id))
    text = content.content.decode()
    assert "not published yet" in text
    assert "8.00" not in text


@pytest.mark.parametrize("persona", ["outsider", "buyer", "cobuyer", "evaluator", "moderator"])
def test_only_companies_that_took_part_have_a_results_page(
    request, signed_in, scored_world, buyer, persona
):
    publish_call_results(scored_world, buyer)
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(url("company_results", scored_world.challenge.public_id)).status_code == 403


def test_the_outcome_and_standstill_end_in_both_time_zones(
    signed_in, third_supplier, scored_world, buyer, supplier, rival_supplier
):
    world = scored_world
    publish_call_results(world, buyer)
    _pilot(world, "company", buyer, supplier, go=True)
    _pilot(world, "rival", buyer, rival_supplier, go=False)
    services.phase_results_publish(
        actor=buyer,
        phase=world.pilot,
        results=[
            services.ResultInput(world.proposals["company"], True, "Pilot met its targets."),
            services.ResultInput(world.proposals["rival"], False, "Pilot missed its targets."),
        ],
    )
    with time_machine.travel(dt.datetime(2025, 3, 20, 14, 0, tzinfo=dt.UTC), tick=False):
        services.outcome_publish(
            actor=buyer,
            challenge=world.challenge,
            kind=OutcomeKind.AWARDED,
            awarded=[world.proposals["company"]],
            value="150000",
            reasons="Best score and a successful pilot.",
        )
    third_supplier.time_zone = "Europe/Lisbon"
    third_supplier.save()
    content = signed_in(third_supplier).get(url("company_results", world.challenge.public_id))
    text = content.content.decode()
    assert "Best score and a successful pilot." in text
    assert "Not awarded" in text
    # Ends at midnight in Brussels at the end of 30 March (after the change to summer time).
    assert "31 March 2025, 00:00 CEST (Brussels)" in text
    assert "30 March 2025, 23:00 WEST (your time zone)" in text
    assert "EUR 150,000" in text


def _pilot(world, key, buyer, company_user, *, go):
    plan = services.pilot_plan_save(
        actor=buyer, phase=world.pilot, proposal=world.proposals[key], plan="Three months"
    )
    kpi = services.pilot_kpi_add(
        actor=buyer, plan=plan, name="Waiting time", unit="min", target=10, version=1
    )
    services.pilot_plan_agree(actor=buyer, plan=plan, version=2)
    services.pilot_plan_agree(actor=company_user, plan=plan, version=2)
    services.pilot_kpi_record_result(
        actor=buyer, kpi=kpi, measured_value=8 if go else 30, evidence="Logs"
    )
    services.pilot_decide(actor=buyer, plan=plan, go=go, reasons="Measured.")
    return plan


# --- pilots ----------------------------------------------------------------------------------


def test_pilot_plan_made_agreed_measured_and_decided_through_the_pages(
    signed_in, shortlisted_world, buyer, supplier
):
    world = shortlisted_world
    proposal = world.proposals["company"]
    address = url("pilot_plan", world.pilot.public_id, proposal.public_id)
    client = signed_in(buyer)
    assert "No plan has been written yet." not in client.get(address).content.decode()
    assert (
        client.post(address, {"plan": "Three months at Ixelles.", "version": "0"}).status_code
        == 302
    )
    plan = PilotPlan.objects.get()
    response = client.post(
        url("kpi_add", plan.public_id),
        {
            "name": "Waiting time",
            "unit": "minutes",
            "baseline": "25",
            "target": "10",
            "higher_is_better": "no",
            "version": "1",
        },
    )
    assert response.status_code == 302
    client.post(url("pilot_agree", plan.public_id), {"version": "2"})
    company_client = signed_in(supplier)
    page = company_client.get(address).content.decode()
    assert "Three months at Ixelles." in page
    assert "Agree the plan" in page
    company_client.post(url("pilot_agree", plan.public_id), {"version": "2"})
    plan.refresh_from_db()
    assert plan.is_agreed
    kpi = PilotKpi.objects.get()
    response = company_client.post(
        url("kpi_result", kpi.public_id), {"measured_value": "8", "evidence": "Queue logs"}
    )
    assert response.status_code == 302
    client = signed_in(buyer)
    assert client.get(url("pilot_decide", plan.public_id)).status_code == 200
    response = client.post(
        url("pilot_decide", plan.public_id), {"go": "go", "reasons": "Target met."}
    )
    assert response.status_code == 302
    page = client.get(address).content.decode()
    assert "Target met." in page
    assert "Met" in page


def test_kpi_errors_keep_the_input(signed_in, shortlisted_world, buyer):
    world = shortlisted_world
    plan = services.pilot_plan_save(
        actor=buyer, phase=world.pilot, proposal=world.proposals["company"], plan="Plan"
    )
    with assert_unchanged():
        response = signed_in(buyer).post(
            url("kpi_add", plan.public_id),
            {
                "name": "Waiting time",
                "unit": "minutes",
                "target": "ten",
                "higher_is_better": "no",
                "version": "1",
            },
        )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="Waiting time"' in content
    assert 'value="ten"' in content
    assert "Enter a number, such as 12.5" in content


def test_a_stale_plan_edit_is_shown(signed_in, shortlisted_world, buyer, supplier):
    world = shortlisted_world
    proposal = world.proposals["company"]
    services.pilot_plan_save(actor=supplier, phase=world.pilot, proposal=proposal, plan="Ours")
    with assert_unchanged():
        response = signed_in(buyer).post(
            url("pilot_plan", world.pilot.public_id, proposal.public_id),
            {"plan": "Mine", "version": "0"},
        )
    assert "Someone else changed this pilot plan" in response.content.decode()
    assert "Mine" in response.content.decode()


def test_co_buyer_reads_pilots_without_editing(signed_in, cobuyer, shortlisted_world, buyer):
    world = shortlisted_world
    services.pilot_plan_save(
        actor=buyer, phase=world.pilot, proposal=world.proposals["company"], plan="The plan"
    )
    client = signed_in(cobuyer)
    assert (
        "CivicTech Solutions" in client.get(url("pilots", world.pilot.public_id)).content.decode()
    )
    address = url("pilot_plan", world.pilot.public_id, world.proposals["company"].public_id)
    page = client.get(address).content.decode()
    assert "The plan" in page
    assert "Save the plan" not in page
    with assert_unchanged():
        assert client.post(address, {"plan": "Changed", "version": "1"}).status_code == 403


def test_pilot_pages_refuse_others(
    signed_in, shortlisted_world, rival_supplier, outsider, third_supplier
):
    world = shortlisted_world
    address = url("pilot_plan", world.pilot.public_id, world.proposals["company"].public_id)
    for user in (rival_supplier, outsider):
        assert signed_in(user).get(address).status_code == 403
    # A company not selected for the pilot has no pilot page at all.
    not_invited = url("pilot_plan", world.pilot.public_id, world.proposals["third"].public_id)
    assert signed_in(third_supplier).get(not_invited).status_code == 404


def test_pilots_list_query_count(
    signed_in, buyer, shortlisted_world, django_assert_max_num_queries
):
    client = signed_in(buyer)
    with django_assert_max_num_queries(15):
        response = client.get(url("pilots", shortlisted_world.pilot.public_id))
    assert response.status_code == 200


# --- outcome ---------------------------------------------------------------------------------


@pytest.fixture
def piloted(shortlisted_world, buyer, supplier, rival_supplier):
    world = shortlisted_world
    _pilot(world, "company", buyer, supplier, go=True)
    _pilot(world, "rival", buyer, rival_supplier, go=False)
    services.phase_results_publish(
        actor=buyer,
        phase=world.pilot,
        results=[
            services.ResultInput(world.proposals["company"], True, "Go"),
            services.ResultInput(world.proposals["rival"], False, "No-go"),
        ],
    )
    return world


def test_lead_buyer_publishes_the_outcome(signed_in, buyer, piloted):
    world = piloted
    client = signed_in(buyer)
    address = url("outcome", world.challenge.public_id)
    page = client.get(address).content.decode()
    assert "CivicTech Solutions" in page
    assert "Open Data Works" not in page  # no-go: not a candidate
    assert "Lisbon City Council" in page  # bound by the outcome
    response = client.post(
        address,
        {
            "kind": "awarded",
            "awarded": [str(world.proposals["company"].public_id)],
            "value": "150000",
            "standstill_days": "10",
            "reasons": "Best consensus score and a successful pilot.",
        },
    )
    assert response.status_code == 302
    outcome = Outcome.objects.get()
    assert outcome.standstill_ends_at is not None
    page = client.get(address).content.decode()
    assert "Standstill period ends" in page


def test_outcome_errors_keep_the_input(signed_in, buyer, piloted):
    with assert_unchanged():
        response = signed_in(buyer).post(
            url("outcome", piloted.challenge.public_id),
            {"kind": "awarded", "value": "150000", "standstill_days": "10", "reasons": "Because"},
        )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Choose the company or companies awarded" in content
    assert 'value="150000"' in content
    assert "Because" in content


def test_co_buyer_reads_the_outcome_but_cannot_publish(signed_in, cobuyer, piloted):
    client = signed_in(cobuyer)
    address = url("outcome", piloted.challenge.public_id)
    assert "Publish the outcome" not in client.get(address).content.decode()
    with assert_unchanged():
        response = client.post(address, {"kind": "not_awarded", "reasons": "No"})
    assert response.status_code == 403


def test_public_outcome_include(piloted, buyer):
    services.outcome_publish(
        actor=buyer,
        challenge=piloted.challenge,
        kind=OutcomeKind.AWARDED,
        awarded=[piloted.proposals["company"]],
        value="150000",
        reasons="Best consensus score and a successful pilot.",
    )
    request = RequestFactory().get("/")
    from django.contrib.auth.models import AnonymousUser

    request.user = AnonymousUser()
    html = Template('{% include "evaluation/_public_outcome.html" %}').render(
        Context({"challenge": piloted.challenge, "request": request})
    )
    assert "Best consensus score and a successful pilot." in html
    assert "CivicTech Solutions" in html
    assert "Standstill period ends" in html
    assert "Open Data Works" not in html


def test_public_outcome_include_is_empty_before_the_outcome(evaluation_world):
    html = Template('{% include "evaluation/_public_outcome.html" %}').render(
        Context({"challenge": evaluation_world.challenge})
    )
    assert html.strip() == ""


def test_removing_a_kpi_from_the_page(signed_in, shortlisted_world, buyer, supplier):
    world = shortlisted_world
    plan = services.pilot_plan_save(
        actor=buyer, phase=world.pilot, proposal=world.proposals["company"], plan="Plan"
    )
    kpi = services.pilot_kpi_add(
        actor=buyer, plan=plan, name="Waiting time", unit="min", target=10, version=1
    )
    client = signed_in(supplier)
    with assert_unchanged():  # an old version of the plan: refused, shown as a message
        response = client.post(url("kpi_remove", kpi.public_id), {"version": "1"}, follow=True)
    assert "Someone else changed this pilot plan" in response.content.decode()
    response = client.post(url("kpi_remove", kpi.public_id), {"version": "2"})
    assert response.status_code == 302
    assert not PilotKpi.objects.exists()


@pytest.mark.parametrize("persona", ["supplier", "cobuyer", "outsider"])
def test_only_the_lead_buyer_opens_the_decision_page(
    request, signed_in, shortlisted_world, buyer, persona
):
    world = shortlisted_world
    plan = services.pilot_plan_save(
        actor=buyer, phase=world.pilot, proposal=world.proposals["company"], plan="Plan"
    )
    client = signed_in(request.getfixturevalue(persona))
    assert client.get(url("pilot_decide", plan.public_id)).status_code == 403
    with assert_unchanged():
        response = client.post(url("pilot_decide", plan.public_id), {"go": "go", "reasons": "x"})
    assert response.status_code == 403


def test_a_cancelled_challenge_shows_its_reason_to_companies(
    signed_in, supplier, evaluation_world, buyer
):
    services.outcome_publish(
        actor=buyer,
        challenge=evaluation_world.challenge,
        kind=OutcomeKind.CANCELLED,
        reasons="The council withdrew the budget.",
    )
    page = signed_in(supplier).get(url("company_results", evaluation_world.challenge.public_id))
    assert "The council withdrew the budget." in page.content.decode()
