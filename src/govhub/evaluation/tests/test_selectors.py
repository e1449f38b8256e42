from __future__ import annotations

from decimal import Decimal

import pytest

from govhub.evaluation import selectors, services
from govhub.evaluation.models import Score

from .fixtures import consensus_all, publish_call_results, score_all

pytestmark = pytest.mark.django_db


# --- weighted totals -------------------------------------------------------------------------


def test_weighted_total_from_evaluator_means(evaluation_world, declared_evaluators):
    world = evaluation_world
    proposal = world.proposals["company"]
    score_all(declared_evaluators[0], world, proposal, (8, 6, 9))
    score_all(declared_evaluators[1], world, proposal, (5, 7, 4))
    evaluation = selectors.proposal_evaluation(proposal)
    # Means 6.5, 6.5, 6.5 → 6.5 × 0.5 + 6.5 × 0.3 + 6.5 × 0.2 = 6.50
    assert [row.mean for row in evaluation.criteria] == [Decimal("6.50")] * 3
    assert evaluation.mean_total == Decimal("6.50")
    assert evaluation.total == Decimal("6.50")
    assert evaluation.consensus_total is None
    assert not evaluation.consensus_complete


def test_weighted_total_arithmetic_with_uneven_means(evaluation_world, declared_evaluators):
    world = evaluation_world
    proposal = world.proposals["rival"]
    score_all(declared_evaluators[0], world, proposal, (7, 3, 10))
    score_all(declared_evaluators[1], world, proposal, (8, 4, 5))
    # Means 7.5, 3.5, 7.5 → 3.75 + 1.05 + 1.5 = 6.30
    assert selectors.weighted_total_of(proposal) == Decimal("6.30")


def test_one_third_means_are_not_rounded_before_weighting(
    evaluation_world, declared_evaluators, buyer, cobuyer_evaluator, second_authority
):
    world = evaluation_world
    third = services.evaluator_assign(
        actor=buyer, phase=world.call, user=cobuyer_evaluator, authority=second_authority
    )
    third = services.evaluator_declare(
        actor=cobuyer_evaluator, assignment=third, has_conflict=False
    )
    proposal = world.proposals["company"]
    for assignment, marks in zip(
        [*declared_evaluators, third], [(7, 7, 7), (7, 7, 7), (8, 8, 8)], strict=True
    ):
        score_all(assignment, world, proposal, marks)
    # Mean 22/3 = 7.333… on every criterion; the total is 7.33, not a sum of rounded parts.
    evaluation = selectors.proposal_evaluation(proposal)
    assert evaluation.criteria[0].mean == Decimal("7.33")
    assert evaluation.total == Decimal("7.33")


def test_consensus_replaces_the_mean_where_recorded(evaluation_world, declared_evaluators, buyer):
    world = evaluation_world
    proposal = world.proposals["company"]
    score_all(declared_evaluators[0], world, proposal, (8, 6, 9))
    score_all(declared_evaluators[1], world, proposal, (5, 7, 4))
    services.consensus_record(
        actor=buyer,
        proposal=proposal,
        entries=[services.ConsensusInput(world.quality, "9", "Strongest pilot design")],
    )
    # 9 × 0.5 + 6.5 × 0.3 + 6.5 × 0.2 = 4.5 + 1.95 + 1.3 = 7.75
    evaluation = selectors.proposal_evaluation(proposal)
    assert evaluation.total == Decimal("7.75")
    assert evaluation.mean_total == Decimal("6.50")
    assert evaluation.consensus_total is None  # two criteria still without consensus


def test_total_unknown_while_a_criterion_is_unscored(evaluation_world, declared_evaluators):
    world = evaluation_world
    services.score_record(
        actor=declared_evaluators[0].user,
        assignment=declared_evaluators[0],
        proposal=world.proposals["company"],
        scores=[services.ScoreInput(world.quality, 8, "Good")],
    )
    assert selectors.weighted_total_of(world.proposals["company"]) is None


def test_phase_evaluation_ranks_by_total(scored_world):
    evaluation = selectors.phase_evaluation(scored_world.call)
    assert [(p.proposal.company.name, p.total) for p in evaluation.proposals] == [
        ("CivicTech Solutions", Decimal("8.00")),
        ("Open Data Works", Decimal("6.50")),
        ("SmartQueue", Decimal("4.10")),
    ]
    assert evaluation.consensus_complete


def test_phase_evaluation_query_count_does_not_grow(scored_world, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        evaluation = selectors.phase_evaluation(scored_world.call)
        for proposal in evaluation.proposals:
            for row in proposal.criteria:
                _ = (row.mean, row.spread, row.consensus, proposal.proposal.company.name)


# --- divergence ------------------------------------------------------------------------------


def test_divergence_spread_and_standard_deviation(evaluation_world, declared_evaluators):
    world = evaluation_world
    proposal = world.proposals["third"]
    score_all(declared_evaluators[0], world, proposal, (3, 4, 6))
    score_all(declared_evaluators[1], world, proposal, (5, 4, 2))
    quality, impact, cost = selectors.proposal_evaluation(proposal).criteria
    assert (quality.spread, quality.stdev, quality.flagged) == (2, Decimal("1.00"), False)
    assert (impact.spread, impact.stdev, impact.flagged) == (0, Decimal("0.00"), False)
    # 6 and 2: 4 points apart (≥ 3 on the 0–10 scale), population deviation 2.
    assert (cost.spread, cost.stdev, cost.flagged) == (4, Decimal("2.00"), True)
    assert selectors.proposal_evaluation(proposal).has_divergence


def test_three_points_apart_is_flagged(evaluation_world, declared_evaluators):
    world = evaluation_world
    proposal = world.proposals["rival"]
    score_all(declared_evaluators[0], world, proposal, (4, 5, 5))
    score_all(declared_evaluators[1], world, proposal, (7, 7, 5))
    quality, impact, _cost = selectors.proposal_evaluation(proposal).criteria
    assert quality.flagged
    assert not impact.flagged


def test_one_evaluator_has_no_divergence(evaluation_world, declared_evaluators):
    world = evaluation_world
    score_all(declared_evaluators[0], world, world.proposals["rival"], (0, 10, 5))
    row = selectors.proposal_evaluation(world.proposals["rival"]).criteria[0]
    assert (row.spread, row.stdev, row.flagged) == (None, None, False)


def test_cells_line_up_with_the_declared_evaluators(evaluation_world, declared_evaluators):
    world = evaluation_world
    score_all(declared_evaluators[1], world, world.proposals["rival"], (2, 2, 2))
    evaluation = selectors.phase_evaluation(world.call)
    assert [a.pk for a in evaluation.declared] == [a.pk for a in declared_evaluators]
    row = next(p for p in evaluation.proposals if p.proposal == world.proposals["rival"])
    assert row.criteria[0].cells[0] is None
    cell = row.criteria[0].cells[1]
    assert cell is not None
    assert cell.score == 2


# --- what a company sees ---------------------------------------------------------------------


def test_a_company_sees_nothing_before_results_are_published(scored_world, supplier):
    view = selectors.company_results(supplier, scored_world.challenge)
    assert [p.proposal for p in view.proposals] == [scored_world.proposals["company"]]
    assert view.proposals[0].results == []
    assert view.outcome is None


def test_a_company_sees_its_own_consensus_scores_and_reasons(scored_world, buyer, third_supplier):
    publish_call_results(scored_world, buyer)
    view = selectors.company_results(third_supplier, scored_world.challenge)
    assert len(view.proposals) == 1
    feedback = view.proposals[0]
    assert feedback.proposal == scored_world.proposals["third"]
    (result,) = feedback.results
    assert result.result.selected is False
    assert result.result.reason == "Weaker on impact and cost."
    assert result.result.weighted_total == Decimal("4.10")
    assert [(c.criterion.name, c.consensus and c.consensus.score) for c in result.criteria] == [
        ("Quality of the solution", Decimal("4.0")),
        ("Impact", Decimal("4.0")),
        ("Cost", Decimal("4.5")),
    ]
    consensus = result.criteria[2].consensus
    assert consensus is not None
    assert consensus.reason == "Agreed after discussion (4.5)."


def test_a_company_never_sees_other_companies_or_evaluators(scored_world, buyer, supplier):
    publish_call_results(scored_world, buyer)
    view = selectors.company_results(supplier, scored_world.challenge)
    seen = {p.proposal.pk for p in view.proposals}
    assert seen == {scored_world.proposals["company"].pk}
    # Only consensus rows reach the company: no Score (evaluator) objects at all.
    for feedback in view.proposals:
        for result in feedback.results:
            for row in result.criteria:
                assert not isinstance(row.consensus, Score)
                assert not hasattr(row, "cells")


@pytest.mark.parametrize("persona", ["outsider", "buyer", "evaluator", "moderator"])
def test_people_outside_the_company_see_no_results(request, scored_world, buyer, persona):
    publish_call_results(scored_world, buyer)
    user = request.getfixturevalue(persona)
    assert selectors.company_results(user, scored_world.challenge).proposals == []


def test_company_results_query_count(scored_world, buyer, supplier, django_assert_max_num_queries):
    publish_call_results(scored_world, buyer)
    with django_assert_max_num_queries(8):
        view = selectors.company_results(supplier, scored_world.challenge)
        for feedback in view.proposals:
            for result in feedback.results:
                _ = [row.consensus for row in result.criteria]


def test_consensus_helper_values(evaluation_world, declared_evaluators, buyer):
    world = evaluation_world
    proposal = world.proposals["company"]
    score_all(declared_evaluators[0], world, proposal, (5, 5, 5))
    total = consensus_all(buyer, world, proposal, ("10", "0", "5"))
    # 10 × 0.5 + 0 × 0.3 + 5 × 0.2 = 6.00
    assert total == Decimal("6.00")
