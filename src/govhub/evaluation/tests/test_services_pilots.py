from __future__ import annotations

from decimal import Decimal

import pytest

from govhub.challenges.models import PhaseStatus
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.evaluation import selectors, services
from govhub.evaluation.models import PhaseResult, PilotPlan

from .helpers import assert_unchanged, events, last_event

pytestmark = pytest.mark.django_db


@pytest.fixture
def plan(shortlisted_world, buyer):
    return services.pilot_plan_save(
        actor=buyer,
        phase=shortlisted_world.pilot,
        proposal=shortlisted_world.proposals["company"],
        plan="Three months at the Ixelles town hall counter.",
    )


@pytest.fixture
def kpi(plan, buyer):
    return services.pilot_kpi_add(
        actor=buyer,
        plan=plan,
        name="Average waiting time",
        unit="minutes",
        baseline="25",
        target="10",
        higher_is_better=False,
        version=plan.version,
    )


@pytest.fixture
def agreed_plan(plan, kpi, buyer, supplier):
    plan.refresh_from_db()
    services.pilot_plan_agree(actor=buyer, plan=plan, version=plan.version)
    services.pilot_plan_agree(actor=supplier, plan=plan, version=plan.version)
    plan.refresh_from_db()
    return plan


# --- plan and KPIs ---------------------------------------------------------------------------


def test_buyer_drafts_a_plan_for_a_selected_company(plan, shortlisted_world):
    assert plan.phase == shortlisted_world.pilot
    assert plan.version == 1
    assert not plan.is_agreed
    event = last_event()
    assert event.action == "evaluation.pilot_plan_save"
    assert event.after["by"] == "buyer"


def test_the_company_may_draft_or_rewrite_the_plan(plan, supplier):
    services.pilot_plan_save(
        actor=supplier,
        phase=plan.phase,
        proposal=plan.proposal,
        plan="Four months, two counters.",
        version=1,
    )
    plan.refresh_from_db()
    assert plan.plan == "Four months, two counters."
    assert plan.version == 2
    assert last_event().after["by"] == "company"


def test_a_company_not_selected_gets_no_pilot(shortlisted_world, buyer):
    with assert_unchanged(), pytest.raises(InvalidInput, match="not selected"):
        services.pilot_plan_save(
            actor=buyer,
            phase=shortlisted_world.pilot,
            proposal=shortlisted_world.proposals["third"],
            plan="A pilot",
        )


def test_plans_belong_to_pilot_phases(shortlisted_world, buyer):
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.pilot_plan_save(
            actor=buyer,
            phase=shortlisted_world.award,
            proposal=shortlisted_world.proposals["company"],
            plan="A pilot",
        )


@pytest.mark.parametrize(
    "persona", ["cobuyer", "evaluator", "rival_supplier", "outsider", "moderator"]
)
def test_only_the_lead_buyer_and_the_company_edit_the_plan(request, plan, persona):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.pilot_plan_save(
            actor=actor, phase=plan.phase, proposal=plan.proposal, plan="Mine", version=1
        )


def test_a_plan_needs_text(plan, buyer):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.pilot_plan_save(
            actor=buyer, phase=plan.phase, proposal=plan.proposal, plan=" ", version=1
        )
    assert "plan" in caught.value.field_errors


def test_a_stale_plan_edit_is_refused(plan, buyer, supplier):
    services.pilot_plan_save(
        actor=supplier, phase=plan.phase, proposal=plan.proposal, plan="Company's", version=1
    )
    with assert_unchanged(), pytest.raises(Conflict):
        services.pilot_plan_save(
            actor=buyer, phase=plan.phase, proposal=plan.proposal, plan="Buyer's", version=1
        )


def test_kpi_added_with_baseline_and_target(kpi, plan):
    assert kpi.target == Decimal("10.00")
    assert kpi.baseline == Decimal("25.00")
    assert kpi.higher_is_better is False
    plan.refresh_from_db()
    assert plan.version == 2
    assert last_event().action == "evaluation.pilot_kpi_add"


def test_a_kpi_needs_name_unit_and_numeric_target(plan, buyer):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.pilot_kpi_add(
            actor=buyer, plan=plan, name="", unit="", target="ten", version=plan.version
        )
    assert set(caught.value.field_errors) == {"name", "unit", "target"}


def test_removing_a_kpi(kpi, plan, supplier):
    plan.refresh_from_db()
    services.pilot_kpi_remove(actor=supplier, kpi=kpi, version=plan.version)
    assert not plan.kpis.exists()
    assert last_event().action == "evaluation.pilot_kpi_remove"


# --- agreement -------------------------------------------------------------------------------


def test_both_sides_agree_then_the_plan_is_fixed(agreed_plan, buyer, supplier):
    assert agreed_plan.is_agreed
    assert agreed_plan.agreed_by_buyer == buyer
    assert agreed_plan.agreed_by_company == supplier
    assert [e.after["by"] for e in events("evaluation.pilot_plan_agree")] == ["buyer", "company"]
    with assert_unchanged(), pytest.raises(InvalidTransition, match="agreed"):
        services.pilot_plan_save(
            actor=buyer,
            phase=agreed_plan.phase,
            proposal=agreed_plan.proposal,
            plan="Changed",
            version=agreed_plan.version,
        )
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.pilot_kpi_add(
            actor=buyer, plan=agreed_plan, name="x", unit="y", target=1, version=agreed_plan.version
        )


def test_any_change_asks_both_sides_to_agree_again(plan, kpi, buyer, supplier):
    plan.refresh_from_db()
    services.pilot_plan_agree(actor=buyer, plan=plan, version=plan.version)
    services.pilot_kpi_add(
        actor=supplier, plan=plan, name="Satisfaction", unit="%", target=80, version=plan.version
    )
    plan.refresh_from_db()
    assert plan.agreed_by_buyer_at is None


def test_agreeing_to_an_older_version_is_refused(plan, kpi, supplier):
    with assert_unchanged(), pytest.raises(Conflict):
        services.pilot_plan_agree(actor=supplier, plan=plan, version=1)


def test_agreeing_needs_a_kpi(plan, buyer):
    with assert_unchanged(), pytest.raises(InvalidTransition, match="indicator"):
        services.pilot_plan_agree(actor=buyer, plan=plan, version=plan.version)


def test_one_side_agrees_once(plan, kpi, buyer):
    plan.refresh_from_db()
    services.pilot_plan_agree(actor=buyer, plan=plan, version=plan.version)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.pilot_plan_agree(actor=buyer, plan=plan, version=plan.version)


def test_a_co_buyer_cannot_agree_for_the_buyers(plan, kpi, cobuyer):
    plan.refresh_from_db()
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.pilot_plan_agree(actor=cobuyer, plan=plan, version=plan.version)


# --- results and decision --------------------------------------------------------------------


def test_results_are_recorded_with_evidence(agreed_plan, kpi, supplier):
    services.pilot_kpi_record_result(
        actor=supplier, kpi=kpi, measured_value="8.5", evidence="Queue logs, weeks 1–12."
    )
    kpi.refresh_from_db()
    assert kpi.measured_value == Decimal("8.50")
    assert kpi.target_met is True  # lower is better: 8.5 ≤ 10
    assert kpi.recorded_by == supplier
    assert last_event().after["target_met"] is True


def test_results_wait_for_the_agreement(plan, kpi, buyer):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.pilot_kpi_record_result(actor=buyer, kpi=kpi, measured_value=9, evidence="Logs")


def test_a_result_needs_a_number_and_evidence(agreed_plan, kpi, buyer):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.pilot_kpi_record_result(actor=buyer, kpi=kpi, measured_value="", evidence="")
    assert set(caught.value.field_errors) == {"measured_value", "evidence"}


def test_go_decision_with_reasons(agreed_plan, kpi, buyer):
    services.pilot_kpi_record_result(actor=buyer, kpi=kpi, measured_value=8, evidence="Logs")
    decision = services.pilot_decide(
        actor=buyer, plan=agreed_plan, go=True, reasons="Waiting time down by two thirds."
    )
    assert decision.go is True
    assert decision.decided_by == buyer
    assert last_event().action == "evaluation.pilot_decide"
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.pilot_kpi_record_result(actor=buyer, kpi=kpi, measured_value=20, evidence="x")
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.pilot_decide(actor=buyer, plan=agreed_plan, go=False, reasons="Changed mind")


def test_deciding_needs_every_result(agreed_plan, buyer):
    with assert_unchanged(), pytest.raises(InvalidTransition, match="every indicator"):
        services.pilot_decide(actor=buyer, plan=agreed_plan, go=True, reasons="Fine")


def test_deciding_needs_reasons(agreed_plan, kpi, buyer):
    services.pilot_kpi_record_result(actor=buyer, kpi=kpi, measured_value=8, evidence="Logs")
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.pilot_decide(actor=buyer, plan=agreed_plan, go=True, reasons="")


@pytest.mark.parametrize("persona", ["supplier", "cobuyer", "evaluator", "moderator"])
def test_only_the_lead_buyer_decides(request, agreed_plan, kpi, buyer, persona):
    services.pilot_kpi_record_result(actor=buyer, kpi=kpi, measured_value=8, evidence="Logs")
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.pilot_decide(actor=actor, plan=agreed_plan, go=True, reasons="Yes")


# --- pilot phase results ---------------------------------------------------------------------


def _pilot_to_decision(world, key, buyer, company_user, go):
    plan = services.pilot_plan_save(
        actor=buyer, phase=world.pilot, proposal=world.proposals[key], plan=f"Pilot for {key}"
    )
    kpi = services.pilot_kpi_add(
        actor=buyer, plan=plan, name="Waiting time", unit="min", target=10, version=1
    )
    services.pilot_plan_agree(actor=buyer, plan=plan, version=2)
    services.pilot_plan_agree(actor=company_user, plan=plan, version=2)
    services.pilot_kpi_record_result(
        actor=buyer, kpi=kpi, measured_value=8 if go else 30, evidence="Logs"
    )
    return services.pilot_decide(
        actor=buyer, plan=plan, go=go, reasons="Met the target." if go else "Missed it."
    )


def test_pilot_results_select_only_companies_with_a_go(
    shortlisted_world, buyer, supplier, rival_supplier
):
    world = shortlisted_world
    _pilot_to_decision(world, "company", buyer, supplier, go=True)
    _pilot_to_decision(world, "rival", buyer, rival_supplier, go=False)
    assert {p.pk for p in selectors.phase_candidates(world.pilot)} == {
        world.proposals["company"].pk,
        world.proposals["rival"].pk,
    }
    with assert_unchanged(), pytest.raises(InvalidInput, match="go"):
        services.phase_results_publish(
            actor=buyer,
            phase=world.pilot,
            results=[
                services.ResultInput(world.proposals["company"], True, "Go"),
                services.ResultInput(world.proposals["rival"], True, "No-go but..."),
            ],
        )
    services.phase_results_publish(
        actor=buyer,
        phase=world.pilot,
        results=[
            services.ResultInput(world.proposals["company"], True, "Pilot met its targets."),
            services.ResultInput(world.proposals["rival"], False, "Pilot missed its targets."),
        ],
    )
    world.refresh()
    assert world.pilot.status == PhaseStatus.DECIDED
    result = PhaseResult.objects.get(phase=world.pilot, proposal=world.proposals["company"])
    assert result.invited_to == world.award
    assert result.weighted_total is None
    # The pilot phase went planned → open → closed → evaluating → decided, each step audited
    # by the challenges app.
    for action in ("phase.open", "phase.close", "phase.start_evaluation"):
        assert events(action)[-1].object_id == str(world.pilot.public_id)
    assert [p.company.name for p in selectors.award_candidates(world.challenge)] == [
        "CivicTech Solutions"
    ]


def test_pilot_work_stops_once_the_pilot_phase_is_decided(
    shortlisted_world, buyer, supplier, rival_supplier
):
    world = shortlisted_world
    _pilot_to_decision(world, "company", buyer, supplier, go=True)
    _pilot_to_decision(world, "rival", buyer, rival_supplier, go=True)
    services.phase_results_publish(
        actor=buyer,
        phase=world.pilot,
        results=[
            services.ResultInput(world.proposals["company"], True, "Best"),
            services.ResultInput(world.proposals["rival"], False, "Second"),
        ],
    )
    plan = PilotPlan.objects.get(proposal=world.proposals["company"])
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.pilot_kpi_add(
            actor=buyer, plan=plan, name="x", unit="y", target=1, version=plan.version
        )
