from __future__ import annotations

from decimal import Decimal

import pytest

from govhub.challenges.models import PhaseStatus
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.evaluation import selectors, services
from govhub.evaluation.models import ConsensusScore, PhaseResult
from govhub.evaluation.services.results import reason_field

from .helpers import assert_unchanged, events, last_event

pytestmark = pytest.mark.django_db


def decisions(world, selected=("company", "rival"), reasons=None):
    reasons = reasons or {}
    return [
        services.ResultInput(
            proposal,
            key in selected,
            reasons.get(key, "Strong on quality." if key in selected else "Weak on impact."),
        )
        for key, proposal in world.proposals.items()
    ]


def test_publishing_selects_ranks_invites_and_decides_the_phase(scored_world, buyer):
    world = scored_world
    results = services.phase_results_publish(
        actor=buyer, phase=world.call, results=decisions(world)
    )
    by_key = {key: PhaseResult.objects.get(proposal=p) for key, p in world.proposals.items()}
    assert by_key["company"].selected
    assert by_key["rival"].selected
    assert not by_key["third"].selected
    assert by_key["third"].reason == "Weak on impact."
    assert [by_key[k].weighted_total for k in ("company", "rival", "third")] == [
        Decimal("8.00"),
        Decimal("6.50"),
        Decimal("4.10"),
    ]
    assert [by_key[k].rank for k in ("company", "rival", "third")] == [1, 2, 3]
    # Selected companies are invited to the next phase (the pilot); the others are not.
    assert by_key["company"].invited_to == world.pilot
    assert by_key["third"].invited_to is None
    assert len(results) == 3
    world.refresh()
    assert world.call.status == PhaseStatus.DECIDED
    event = last_event()
    assert event.action == "evaluation.phase_results_publish"
    assert event.before == {"status": "evaluating"}
    assert event.after["status"] == "decided"
    assert event.after["invited_to"] == str(world.pilot.public_id)
    assert selectors.is_invited(world.proposals["company"].company, world.pilot)
    assert not selectors.is_invited(world.proposals["third"].company, world.pilot)


def test_the_challenges_app_decides_the_phase_with_an_anonymous_summary(scored_world, buyer):
    services.phase_results_publish(
        actor=buyer, phase=scored_world.call, results=decisions(scored_world)
    )
    # The challenges app's lifecycle service moved the phase, and audited it.
    decided = events("phase.decide")
    assert len(decided) == 1
    assert decided[0].after["summary"] == "2 of 3 companies selected."
    assert "Open Data Works" not in str(decided[0].after)


def test_may_take_part_in_the_first_phase_and_later_only_by_invitation(
    scored_world, buyer, company, third_company
):
    world = scored_world
    assert selectors.may_take_part(third_company, world.call)
    assert not selectors.may_take_part(company, world.pilot)
    services.phase_results_publish(actor=buyer, phase=world.call, results=decisions(world))
    assert selectors.may_take_part(company, world.pilot)
    assert not selectors.may_take_part(third_company, world.pilot)


def test_a_reason_is_required_for_every_company(scored_world, buyer):
    world = scored_world
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.phase_results_publish(
            actor=buyer, phase=world.call, results=decisions(world, reasons={"third": " "})
        )
    assert list(caught.value.field_errors) == [reason_field(world.proposals["third"])]


def test_at_most_max_selected_go_on(scored_world, buyer):
    world = scored_world
    with assert_unchanged(), pytest.raises(InvalidInput, match="at most 2"):
        services.phase_results_publish(
            actor=buyer,
            phase=world.call,
            results=decisions(world, selected=("company", "rival", "third")),
        )


def test_every_proposal_is_decided_once(scored_world, buyer):
    world = scored_world
    partial = decisions(world)[:2]
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.phase_results_publish(actor=buyer, phase=world.call, results=partial)
    doubled = [*decisions(world), decisions(world)[0]]
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.phase_results_publish(actor=buyer, phase=world.call, results=doubled)


def test_every_consensus_must_be_recorded_first(scored_world, buyer):
    ConsensusScore.objects.filter(proposal=scored_world.proposals["third"]).delete()
    with assert_unchanged(), pytest.raises(InvalidTransition, match="consensus"):
        services.phase_results_publish(
            actor=buyer, phase=scored_world.call, results=decisions(scored_world)
        )


def test_results_are_published_once(scored_world, buyer):
    services.phase_results_publish(
        actor=buyer, phase=scored_world.call, results=decisions(scored_world)
    )
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.phase_results_publish(
            actor=buyer, phase=scored_world.call, results=decisions(scored_world)
        )


def test_results_need_the_proposals_opened(scored_world, buyer):
    scored_world.call.proposals_opened_at = None
    scored_world.call.save()
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.phase_results_publish(
            actor=buyer, phase=scored_world.call, results=decisions(scored_world)
        )


@pytest.mark.parametrize("persona", ["cobuyer", "evaluator", "supplier", "outsider", "moderator"])
def test_only_the_lead_buyer_publishes_results(request, scored_world, persona):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.phase_results_publish(
            actor=actor, phase=scored_world.call, results=decisions(scored_world)
        )


def test_a_phase_without_proposals_has_nothing_to_decide(evaluation_world, buyer):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.phase_results_publish(actor=buyer, phase=evaluation_world.pilot, results=[])


def test_published_results_freeze_scores_and_consensus(scored_world, buyer, declared_evaluators):
    world = scored_world
    services.phase_results_publish(actor=buyer, phase=world.call, results=decisions(world))
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.consensus_record(
            actor=buyer,
            proposal=world.proposals["third"],
            entries=[services.ConsensusInput(world.quality, 9, "Late change", version=1)],
        )
