from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from govhub.challenges.models import ChallengeStatus, PhaseStatus
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.evaluation import selectors, services
from govhub.evaluation.models import Outcome, OutcomeKind

from .helpers import assert_unchanged, events, last_event

pytestmark = pytest.mark.django_db

UTC = dt.UTC


def pilot(world, key, buyer, company_user, *, go):
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
    services.pilot_decide(actor=buyer, plan=plan, go=go, reasons="Measured against targets.")


@pytest.fixture
def piloted_world(shortlisted_world, buyer, supplier, rival_supplier):
    """``company``'s pilot got a go, ``rival_company``'s a no-go; pilot results published."""
    world = shortlisted_world
    pilot(world, "company", buyer, supplier, go=True)
    pilot(world, "rival", buyer, rival_supplier, go=False)
    services.phase_results_publish(
        actor=buyer,
        phase=world.pilot,
        results=[
            services.ResultInput(world.proposals["company"], True, "Pilot met its targets."),
            services.ResultInput(world.proposals["rival"], False, "Pilot missed its targets."),
        ],
    )
    world.refresh()
    return world


def award(world, buyer, **overrides):
    values: dict[str, Any] = {
        "kind": OutcomeKind.AWARDED,
        "reasons": "Best consensus score and a successful pilot.",
        "awarded": [world.proposals["company"]],
        "value": "150000",
    }
    values.update(overrides)
    return services.outcome_publish(actor=buyer, challenge=world.challenge, **values)


# --- standstill arithmetic -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("published", "ends"),
    [
        # Winter (CET, UTC+1): published 10 January → 10 days from 11 January → ends at
        # midnight starting 21 January, Brussels time.
        (dt.datetime(2025, 1, 10, 10, 0, tzinfo=UTC), dt.datetime(2025, 1, 20, 23, 0, tzinfo=UTC)),
        # Across the change to summer time (30 March 2025): ends at 00:00 CEST (UTC+2).
        (dt.datetime(2025, 3, 20, 14, 0, tzinfo=UTC), dt.datetime(2025, 3, 30, 22, 0, tzinfo=UTC)),
        # 22:30 UTC is already the next day in Brussels: that day is the publication day.
        (
            dt.datetime(2025, 6, 10, 22, 30, tzinfo=UTC),
            dt.datetime(2025, 6, 21, 22, 0, tzinfo=UTC),
        ),
        # Across the change back to winter time (26 October 2025).
        (
            dt.datetime(2025, 10, 20, 9, 0, tzinfo=UTC),
            dt.datetime(2025, 10, 30, 23, 0, tzinfo=UTC),
        ),
    ],
)
def test_standstill_ends_at_midnight_brussels_after_10_calendar_days(published, ends):
    assert services.standstill_end(published) == ends


def test_standstill_may_be_longer():
    published = dt.datetime(2025, 1, 10, 10, 0, tzinfo=UTC)
    assert services.standstill_end(published, 15) == dt.datetime(2025, 1, 25, 23, 0, tzinfo=UTC)


def test_settings_lengthen_but_never_shorten_the_default(settings):
    settings.EVALUATION_STANDSTILL_DAYS = 15
    assert services.default_standstill_days() == 15
    settings.EVALUATION_STANDSTILL_DAYS = 5
    assert services.default_standstill_days() == 10


# --- award -----------------------------------------------------------------------------------


def test_award_publishes_value_reasons_and_standstill(piloted_world, buyer, second_authority):
    world = piloted_world
    published = dt.datetime(2025, 3, 20, 14, 0, tzinfo=UTC)
    with time_machine.travel(published, tick=False):
        outcome = award(world, buyer)
    assert outcome.kind == OutcomeKind.AWARDED
    assert list(outcome.awarded_proposals.all()) == [world.proposals["company"]]
    assert outcome.value == Decimal("150000.00")
    assert outcome.currency == "EUR"
    assert outcome.published_at == published
    assert outcome.standstill_ends_at == dt.datetime(2025, 3, 30, 22, 0, tzinfo=UTC)
    assert outcome.becomes_final_at == outcome.standstill_ends_at
    world.refresh()
    # The outcome decides the award phase and completes the challenge, through the
    # challenges app's services.
    assert world.award.status == PhaseStatus.DECIDED
    assert world.challenge.status == ChallengeStatus.COMPLETED
    assert events("challenge.complete")
    event = last_event()
    assert event.action == "evaluation.outcome_publish"
    assert event.after["kind"] == "awarded"
    assert event.after["value"] == "150000.00"
    assert event.after["challenge_status"] == "completed"
    # One outcome binds every buyer: the lead and the co-buyer are on the record.
    assert str(second_authority.public_id) in event.after["bound_buyers"]
    assert str(world.challenge.lead_authority.public_id) in event.after["bound_buyers"]


def test_a_longer_standstill_may_be_set(piloted_world, buyer):
    published = dt.datetime(2025, 1, 10, 10, 0, tzinfo=UTC)
    with time_machine.travel(published, tick=False):
        outcome = award(piloted_world, buyer, standstill_days=15)
    assert outcome.standstill_ends_at == dt.datetime(2025, 1, 25, 23, 0, tzinfo=UTC)


def test_a_shorter_standstill_is_refused(piloted_world, buyer):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        award(piloted_world, buyer, standstill_days=5)
    assert "standstill_days" in caught.value.field_errors


def test_only_candidates_through_every_phase_can_be_awarded(piloted_world, buyer):
    world = piloted_world
    assert selectors.award_candidates(world.challenge) == [world.proposals["company"]]
    for key in ("rival", "third"):  # no-go in the pilot; not selected in the call
        with assert_unchanged(), pytest.raises(InvalidInput) as caught:
            award(world, buyer, awarded=[world.proposals[key]])
        assert "awarded" in caught.value.field_errors


def test_companies_invited_to_a_pilot_not_yet_run_are_not_candidates(shortlisted_world):
    assert selectors.award_candidates(shortlisted_world.challenge) == []


def test_an_award_names_companies_and_a_value(piloted_world, buyer):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        award(piloted_world, buyer, awarded=[], value="")
    assert set(caught.value.field_errors) == {"awarded", "value"}
    with assert_unchanged(), pytest.raises(InvalidInput):
        award(piloted_world, buyer, value="-5")


def test_reasons_are_required(piloted_world, buyer):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        award(piloted_world, buyer, reasons="  ")
    assert "reasons" in caught.value.field_errors


def test_the_outcome_is_published_once(piloted_world, buyer):
    award(piloted_world, buyer)
    with assert_unchanged(), pytest.raises((Conflict, InvalidTransition)):
        award(piloted_world, buyer)


@pytest.mark.parametrize("persona", ["cobuyer", "evaluator", "supplier", "outsider", "moderator"])
def test_only_the_lead_buyer_publishes_the_outcome(request, piloted_world, persona):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        award(piloted_world, actor)


def test_an_unknown_kind_is_refused(piloted_world, buyer):
    with assert_unchanged(), pytest.raises(InvalidInput):
        award(piloted_world, buyer, kind="maybe")


# --- not awarded, cancelled ------------------------------------------------------------------


def test_not_awarded_after_the_call_completes_the_challenge(shortlisted_world, buyer):
    world = shortlisted_world
    outcome = services.outcome_publish(
        actor=buyer,
        challenge=world.challenge,
        kind=OutcomeKind.NOT_AWARDED,
        reasons="No solution met the accessibility requirements.",
    )
    assert outcome.standstill_ends_at is None
    assert outcome.becomes_final_at == outcome.published_at
    world.refresh()
    assert world.challenge.status == ChallengeStatus.COMPLETED
    # The pilot never happened: it stays planned.
    assert world.pilot.status == PhaseStatus.PLANNED


def test_not_awarded_takes_no_companies_or_value(shortlisted_world, buyer):
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.outcome_publish(
            actor=buyer,
            challenge=shortlisted_world.challenge,
            kind=OutcomeKind.NOT_AWARDED,
            reasons="None",
            awarded=[shortlisted_world.proposals["company"]],
        )


def test_no_decision_while_a_phase_is_running(evaluation_world, buyer):
    with assert_unchanged(), pytest.raises(InvalidTransition, match="still running"):
        services.outcome_publish(
            actor=buyer,
            challenge=evaluation_world.challenge,
            kind=OutcomeKind.NOT_AWARDED,
            reasons="Nothing suitable.",
        )


def test_cancelling_publishes_the_reason_on_the_challenge(evaluation_world, buyer):
    outcome = services.outcome_publish(
        actor=buyer,
        challenge=evaluation_world.challenge,
        kind=OutcomeKind.CANCELLED,
        reasons="The budget was withdrawn by the council.",
    )
    evaluation_world.refresh()
    assert evaluation_world.challenge.status == ChallengeStatus.CANCELLED
    assert (
        evaluation_world.challenge.cancellation_reason == "The budget was withdrawn by the council."
    )
    assert events("challenge.cancel")
    assert outcome.becomes_final_at == outcome.published_at
    # Nothing more can change in the evaluation of a cancelled challenge.
    with pytest.raises(InvalidTransition):
        services.outcome_publish(
            actor=buyer,
            challenge=evaluation_world.challenge,
            kind=OutcomeKind.NOT_AWARDED,
            reasons="x",
        )
    assert Outcome.objects.count() == 1
