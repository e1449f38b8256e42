from __future__ import annotations

from decimal import Decimal

import pytest

from govhub.challenges.models import ChallengeStatus, PhaseStatus
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.evaluation import services
from govhub.evaluation.models import ConsensusScore, Score
from govhub.evaluation.services.scoring import reason_field, score_field
from govhub.organisations import services as org_services
from govhub.organisations.models import Membership

from .fixtures import consensus_all, score_all
from .helpers import assert_unchanged, events, last_event

pytestmark = pytest.mark.django_db


def _score(assignment, world, proposal_key="company", value=7, text="Solid evidence."):
    return services.score_record(
        actor=assignment.user,
        assignment=assignment,
        proposal=world.proposals[proposal_key],
        scores=[services.ScoreInput(world.quality, value, text)],
    )


# --- score_record ----------------------------------------------------------------------------


def test_a_declared_evaluator_scores_every_criterion_with_justifications(
    evaluation_world, declared_evaluators
):
    first = declared_evaluators[0]
    score_all(first, evaluation_world, evaluation_world.proposals["company"], (8, 6, 10))
    scores = Score.objects.filter(assignment=first).order_by("criterion__order")
    assert [s.score for s in scores] == [8, 6, 10]
    assert all(s.justification.startswith("Because") for s in scores)
    recorded = events("evaluation.score_record")
    assert len(recorded) == 3
    assert recorded[0].after["score"] == 8
    assert recorded[0].before is None


def test_a_score_can_be_updated_until_the_consensus(evaluation_world, declared_evaluators):
    first = declared_evaluators[0]
    _score(first, evaluation_world, value=4)
    _score(first, evaluation_world, value=6, text="Re-read the annex.")
    score = Score.objects.get(assignment=first, criterion=evaluation_world.quality)
    assert (score.score, score.justification, score.version) == (6, "Re-read the annex.", 2)
    assert Score.objects.filter(assignment=first).count() == 1
    event = last_event()
    assert event.before == {"score": 4, "justification": "Solid evidence."}
    assert event.after["score"] == 6


def test_saving_the_same_score_again_writes_nothing(evaluation_world, declared_evaluators):
    first = declared_evaluators[0]
    _score(first, evaluation_world)
    with assert_unchanged():
        _score(first, evaluation_world)


@pytest.mark.parametrize("value", [-1, 11, "7.5", "seven", None, ""])
def test_a_score_is_a_whole_number_from_0_to_10(evaluation_world, declared_evaluators, value):
    first = declared_evaluators[0]
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        _score(first, evaluation_world, value=value)
    assert score_field(evaluation_world.quality) in caught.value.field_errors


@pytest.mark.parametrize("value", [0, 10])
def test_the_scale_ends_are_allowed(evaluation_world, declared_evaluators, value):
    _score(declared_evaluators[0], evaluation_world, value=value)
    assert Score.objects.get().score == value


def test_a_justification_is_required(evaluation_world, declared_evaluators):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        _score(declared_evaluators[0], evaluation_world, text="   ")
    assert reason_field(evaluation_world.quality) in caught.value.field_errors


def test_one_bad_entry_saves_none(evaluation_world, declared_evaluators):
    first = declared_evaluators[0]
    world = evaluation_world
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.score_record(
            actor=first.user,
            assignment=first,
            proposal=world.proposals["company"],
            scores=[
                services.ScoreInput(world.quality, 8, "Fine"),
                services.ScoreInput(world.impact, 12, ""),
            ],
        )
    assert set(caught.value.field_errors) == {score_field(world.impact), reason_field(world.impact)}


def test_scoring_before_the_declaration_is_refused(evaluation_world, buyer, evaluator, authority):
    assignment = services.evaluator_assign(
        actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
    )
    with assert_unchanged(), pytest.raises(NotAllowed, match="declaration"):
        _score(assignment, evaluation_world)


def test_an_excluded_evaluator_cannot_score(evaluation_world, buyer, evaluator, authority):
    assignment = services.evaluator_assign(
        actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
    )
    services.evaluator_declare(
        actor=evaluator, assignment=assignment, has_conflict=True, statement="Former employer"
    )
    with assert_unchanged(), pytest.raises(NotAllowed, match="excluded"):
        _score(assignment, evaluation_world)


@pytest.mark.parametrize("persona", ["buyer", "second_evaluator", "supplier", "moderator"])
def test_nobody_scores_for_another_evaluator(
    request, evaluation_world, declared_evaluators, persona
):
    first = declared_evaluators[0]
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.score_record(
            actor=actor,
            assignment=first,
            proposal=evaluation_world.proposals["company"],
            scores=[services.ScoreInput(evaluation_world.quality, 5, "x")],
        )


def test_an_evaluator_who_lost_the_role_cannot_score(
    evaluation_world, declared_evaluators, evaluator, authority, authority_admin
):
    membership = Membership.objects.get(user=evaluator, organisation=authority)
    org_services.membership_set_roles(
        actor=authority_admin, membership=membership, is_admin=False, is_evaluator=False
    )
    with assert_unchanged(), pytest.raises(NotAllowed):
        _score(declared_evaluators[0], evaluation_world)


def test_scoring_before_the_proposals_are_opened_is_refused(evaluation_world, declared_evaluators):
    evaluation_world.call.proposals_opened_at = None
    evaluation_world.call.save()
    with assert_unchanged(), pytest.raises(InvalidTransition, match="opened"):
        _score(declared_evaluators[0], evaluation_world)


def test_scoring_after_the_results_is_refused(evaluation_world, declared_evaluators):
    evaluation_world.call.status = PhaseStatus.DECIDED
    evaluation_world.call.save()
    with assert_unchanged(), pytest.raises(InvalidTransition):
        _score(declared_evaluators[0], evaluation_world)


def test_scoring_in_a_cancelled_challenge_is_refused(evaluation_world, declared_evaluators):
    evaluation_world.challenge.status = ChallengeStatus.CANCELLED
    evaluation_world.challenge.save()
    with assert_unchanged(), pytest.raises(InvalidTransition):
        _score(declared_evaluators[0], evaluation_world)


def test_a_criterion_of_another_phase_is_refused(
    evaluation_world, declared_evaluators, codelist_entry
):
    from govhub.challenges.models import AwardCriterion

    other = AwardCriterion.objects.create(
        phase=evaluation_world.pilot,
        order=1,
        name="Pilot quality",
        criterion_type=codelist_entry("award-criterion-type", "quality"),
        weight=100,
    )
    first = declared_evaluators[0]
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.score_record(
            actor=first.user,
            assignment=first,
            proposal=evaluation_world.proposals["company"],
            scores=[services.ScoreInput(other, 5, "x")],
        )


def test_a_proposal_of_another_phase_or_not_submitted_is_refused(
    evaluation_world, declared_evaluators
):
    proposal = evaluation_world.proposals["rival"]
    proposal.status = "withdrawn"
    proposal.save()
    with assert_unchanged(), pytest.raises(InvalidInput):
        _score(declared_evaluators[0], evaluation_world, proposal_key="rival")


def test_scores_freeze_once_the_consensus_is_recorded(evaluation_world, declared_evaluators, buyer):
    first = declared_evaluators[0]
    _score(first, evaluation_world, value=5)
    services.consensus_record(
        actor=buyer,
        proposal=evaluation_world.proposals["company"],
        entries=[services.ConsensusInput(evaluation_world.quality, 5, "Agreed")],
    )
    with assert_unchanged(), pytest.raises(InvalidTransition, match="consensus"):
        _score(first, evaluation_world, value=9)
    # Other criteria stay open.
    services.score_record(
        actor=first.user,
        assignment=first,
        proposal=evaluation_world.proposals["company"],
        scores=[services.ScoreInput(evaluation_world.impact, 3, "Little impact")],
    )


# --- consensus_record ------------------------------------------------------------------------


def test_consensus_records_scores_and_reasons_and_returns_the_weighted_total(
    evaluation_world, declared_evaluators, buyer
):
    world = evaluation_world
    proposal = world.proposals["company"]
    score_all(declared_evaluators[0], world, proposal, (8, 7, 9))
    score_all(declared_evaluators[1], world, proposal, (6, 9, 7))
    total = consensus_all(buyer, world, proposal, ("7.5", 8, "8.5"))
    # 7.5 × 0.5 + 8 × 0.3 + 8.5 × 0.2 = 3.75 + 2.4 + 1.7
    assert total == Decimal("7.85")
    consensus = ConsensusScore.objects.get(proposal=proposal, criterion=world.quality)
    assert consensus.score == Decimal("7.5")
    assert consensus.recorded_by == buyer
    event = last_event()
    assert event.action == "evaluation.consensus_record"
    assert event.after["weighted_total"] == "7.85"


def test_consensus_can_be_revised_with_the_version_seen(
    evaluation_world, declared_evaluators, buyer
):
    world = evaluation_world
    proposal = world.proposals["company"]
    _score(declared_evaluators[0], world, value=6)
    services.consensus_record(
        actor=buyer, proposal=proposal, entries=[services.ConsensusInput(world.quality, 6, "A")]
    )
    services.consensus_record(
        actor=buyer,
        proposal=proposal,
        entries=[services.ConsensusInput(world.quality, 7, "After re-reading", version=1)],
    )
    consensus = ConsensusScore.objects.get()
    assert (consensus.score, consensus.reason, consensus.version) == (
        Decimal(7),
        "After re-reading",
        2,
    )
    assert last_event().before == {"score": "6.0", "reason": "A"}


def test_a_stale_consensus_edit_is_refused(evaluation_world, declared_evaluators, buyer):
    world = evaluation_world
    proposal = world.proposals["company"]
    _score(declared_evaluators[0], world, value=6)
    services.consensus_record(
        actor=buyer, proposal=proposal, entries=[services.ConsensusInput(world.quality, 6, "A")]
    )
    # A second buyer opened the form before the first saved (version 0: no consensus then).
    with assert_unchanged(), pytest.raises(Conflict):
        services.consensus_record(
            actor=buyer,
            proposal=proposal,
            entries=[services.ConsensusInput(world.quality, 9, "Mine", version=0)],
        )


def test_consensus_needs_a_reason(evaluation_world, declared_evaluators, buyer):
    _score(declared_evaluators[0], evaluation_world)
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.consensus_record(
            actor=buyer,
            proposal=evaluation_world.proposals["company"],
            entries=[services.ConsensusInput(evaluation_world.quality, 6, "")],
        )
    assert reason_field(evaluation_world.quality) in caught.value.field_errors


@pytest.mark.parametrize("value", ["10.5", "-1", "7.25", "x", None])
def test_consensus_is_0_to_10_with_one_decimal(evaluation_world, declared_evaluators, buyer, value):
    _score(declared_evaluators[0], evaluation_world)
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.consensus_record(
            actor=buyer,
            proposal=evaluation_world.proposals["company"],
            entries=[services.ConsensusInput(evaluation_world.quality, value, "r")],
        )


def test_consensus_follows_at_least_one_evaluator_score(
    evaluation_world, declared_evaluators, buyer
):
    with assert_unchanged(), pytest.raises(InvalidTransition, match="scored"):
        services.consensus_record(
            actor=buyer,
            proposal=evaluation_world.proposals["company"],
            entries=[services.ConsensusInput(evaluation_world.quality, 6, "r")],
        )


@pytest.mark.parametrize("persona", ["cobuyer", "evaluator", "supplier", "outsider", "moderator"])
def test_only_the_lead_buyer_records_consensus(
    request, evaluation_world, declared_evaluators, persona
):
    _score(declared_evaluators[0], evaluation_world)
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.consensus_record(
            actor=actor,
            proposal=evaluation_world.proposals["company"],
            entries=[services.ConsensusInput(evaluation_world.quality, 6, "r")],
        )


def test_consensus_refused_after_the_results(evaluation_world, declared_evaluators, buyer):
    _score(declared_evaluators[0], evaluation_world)
    evaluation_world.call.status = PhaseStatus.DECIDED
    evaluation_world.call.save()
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.consensus_record(
            actor=buyer,
            proposal=evaluation_world.proposals["company"],
            entries=[services.ConsensusInput(evaluation_world.quality, 6, "r")],
        )
