from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from govhub.evaluation.models import (
    ConsensusScore,
    EvaluatorAssignment,
    PhaseResult,
)

from .fixtures import score_all
from .helpers import assert_unchanged

pytestmark = pytest.mark.django_db

OUTSIDERS = ["evaluator", "supplier", "outsider", "moderator"]


def url(name: str, *args) -> str:
    return reverse(f"evaluation:{name}", args=args)


# --- overview and phase page -----------------------------------------------------------------


@pytest.mark.parametrize("persona", ["buyer", "cobuyer"])
def test_buyers_see_the_overview(request, signed_in, evaluation_world, persona):
    client = signed_in(request.getfixturevalue(persona))
    response = client.get(url("challenge", evaluation_world.challenge.public_id))
    assert response.status_code == 200
    content = response.content.decode()
    assert "Open call" in content
    assert ("Publish the outcome" in content) is (persona == "buyer")


@pytest.mark.parametrize("persona", OUTSIDERS)
def test_others_may_not_see_the_evaluation(request, signed_in, evaluation_world, persona):
    client = signed_in(request.getfixturevalue(persona))
    world = evaluation_world
    for address in (
        url("challenge", world.challenge.public_id),
        url("phase", world.call.public_id),
        url("consensus", world.call.public_id, world.proposals["company"].public_id),
        url("results", world.call.public_id),
        url("outcome", world.challenge.public_id),
        url("pilots", world.pilot.public_id),
    ):
        assert client.get(address).status_code == 403, address


def test_anonymous_visitors_are_asked_to_sign_in(client, evaluation_world):
    response = client.get(url("phase", evaluation_world.call.public_id))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_unknown_ids_are_not_found(signed_in, buyer, evaluation_world):
    client = signed_in(buyer)
    assert client.get(url("phase", uuid.uuid4())).status_code == 404
    assert client.get(url("challenge", uuid.uuid4())).status_code == 404
    assert (
        client.get(url("consensus", evaluation_world.call.public_id, uuid.uuid4())).status_code
        == 404
    )


def test_lead_buyer_phase_page_shows_totals_and_divergence(
    signed_in, buyer, scored_world, django_assert_max_num_queries
):
    client = signed_in(buyer)
    with django_assert_max_num_queries(16):  # 15, and the header's unread count
        response = client.get(url("phase", scored_world.call.public_id))
    content = response.content.decode()
    assert response.status_code == 200
    assert "Weighted totals" in content
    assert "8.00" in content
    assert "6.50" in content
    assert "4.10" in content
    assert "Divergence between evaluators" in content
    # third: cost 6 vs 2 → flagged
    assert "Diverges" in content
    assert "Eva Evaluator" in content
    assert "Emil Evaluator" in content
    assert "Assign evaluator" in content
    assert "Publish the results" in content


def test_phase_page_query_count_does_not_grow_with_proposals(
    signed_in, buyer, scored_world, django_assert_num_queries, make_organisation
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client = signed_in(buyer)
    with CaptureQueriesContext(connection) as three:
        client.get(url("phase", scored_world.call.public_id))
    # A fourth proposal (written directly: the deadline has passed for the services).
    from govhub.proposals.models import Proposal

    fourth = make_organisation("company", name="Fourth Ltd")
    Proposal.objects.create(phase=scored_world.call, company=fourth, status="submitted")
    with CaptureQueriesContext(connection) as four:
        client.get(url("phase", scored_world.call.public_id))
    assert len(four) == len(three)


def test_co_buyer_reads_the_phase_without_acting(signed_in, cobuyer, scored_world):
    content = signed_in(cobuyer).get(url("phase", scored_world.call.public_id)).content.decode()
    assert "Weighted totals" in content
    assert "Assign evaluator" not in content
    assert "Publish the results" not in content
    assert ">Remove<" not in content


def test_before_opening_no_company_is_named(signed_in, buyer, published_challenge, open_phase):
    from govhub.challenges.models import ChallengeBuyer

    content = signed_in(buyer).get(url("phase", open_phase.public_id)).content.decode()
    assert "sealed" in content
    assert "Weighted totals" not in content
    assert ChallengeBuyer.objects.filter(challenge=published_challenge).exists()


# --- assigning -------------------------------------------------------------------------------


def test_lead_buyer_assigns_from_the_page(signed_in, buyer, evaluation_world, evaluator):
    from govhub.organisations.models import Membership

    membership = Membership.objects.get(user=evaluator)
    client = signed_in(buyer)
    page = client.get(url("phase", evaluation_world.call.public_id)).content.decode()
    assert "Eva Evaluator (Brussels Digital Agency)" in page
    response = client.post(
        url("assign", evaluation_world.call.public_id), {"evaluator": str(membership.public_id)}
    )
    assert response.status_code == 302
    assert EvaluatorAssignment.objects.get().user == evaluator


def test_co_buying_evaluators_are_offered(signed_in, buyer, evaluation_world, cobuyer_evaluator):
    page = signed_in(buyer).get(url("phase", evaluation_world.call.public_id)).content.decode()
    assert "Rui Evaluator (Lisbon City Council)" in page


def test_assigning_nobody_shows_the_error(signed_in, buyer, evaluation_world, evaluator):
    client = signed_in(buyer)
    with assert_unchanged():
        response = client.post(url("assign", evaluation_world.call.public_id), {"evaluator": ""})
    assert response.status_code == 200
    assert "Choose an evaluator" in response.content.decode()
    assert "govuk-error-summary" in response.content.decode()


def test_co_buyer_cannot_assign(signed_in, cobuyer, evaluation_world, evaluator):
    from govhub.organisations.models import Membership

    membership = Membership.objects.get(user=evaluator)
    with assert_unchanged():
        response = signed_in(cobuyer).post(
            url("assign", evaluation_world.call.public_id), {"evaluator": str(membership.public_id)}
        )
    assert response.status_code == 403


def test_unassign_confirm_and_remove(signed_in, buyer, evaluation_world, evaluator, authority):
    from govhub.evaluation import services

    assignment = services.evaluator_assign(
        actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
    )
    client = signed_in(buyer)
    assert client.get(url("unassign", assignment.public_id)).status_code == 200
    response = client.post(url("unassign", assignment.public_id))
    assert response.status_code == 302
    assert not EvaluatorAssignment.objects.exists()


def test_unassign_refused_after_scoring_shows_why(
    signed_in, buyer, evaluation_world, declared_evaluators
):
    first = declared_evaluators[0]
    score_all(first, evaluation_world, evaluation_world.proposals["company"], (5, 5, 5))
    with assert_unchanged():
        response = signed_in(buyer).post(url("unassign", first.public_id))
    assert response.status_code == 200
    assert "already scored" in response.content.decode()


# --- consensus -------------------------------------------------------------------------------


@pytest.fixture
def scored_not_agreed(evaluation_world, declared_evaluators):
    world = evaluation_world
    score_all(declared_evaluators[0], world, world.proposals["company"], (8, 7, 9))
    score_all(declared_evaluators[1], world, world.proposals["company"], (4, 7, 7))
    return world


def _consensus_data(world, **overrides):
    data = {}
    for criterion, value in zip(world.criteria, ("7", "7", "8"), strict=True):
        key = criterion.public_id
        data[f"score_{key}"] = value
        data[f"reason_{key}"] = f"Agreed on {criterion.name}"
        data[f"version_{key}"] = "0"
    data.update(overrides)
    return data


def test_consensus_page_shows_every_evaluator_and_records(signed_in, buyer, scored_not_agreed):
    world = scored_not_agreed
    address = url("consensus", world.call.public_id, world.proposals["company"].public_id)
    client = signed_in(buyer)
    page = client.get(address).content.decode()
    assert "Eva Evaluator" in page
    assert "Emil Evaluator" in page
    assert "Because of the evidence (8/10)." in page
    assert "4 points apart" in page
    response = client.post(address, _consensus_data(world))
    assert response.status_code == 302
    assert ConsensusScore.objects.filter(proposal=world.proposals["company"]).count() == 3


def test_consensus_errors_keep_the_input(signed_in, buyer, scored_not_agreed):
    world = scored_not_agreed
    address = url("consensus", world.call.public_id, world.proposals["company"].public_id)
    key = world.quality.public_id
    with assert_unchanged():
        response = signed_in(buyer).post(
            address,
            _consensus_data(world, **{f"score_{key}": "12", f"reason_{world.cost.public_id}": ""}),
        )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="12"' in content
    assert "Agreed on Impact" in content
    assert "Give the reason for the consensus on “Cost”" in content


def test_stale_consensus_shows_the_conflict(signed_in, buyer, scored_not_agreed):
    world = scored_not_agreed
    address = url("consensus", world.call.public_id, world.proposals["company"].public_id)
    client = signed_in(buyer)
    client.post(address, _consensus_data(world))
    # A second buyer's form still carries version 0.
    with assert_unchanged():
        response = client.post(
            address, _consensus_data(world, **{f"score_{world.quality.public_id}": "9"})
        )
    assert "Someone else changed this consensus" in response.content.decode()


def test_co_buyer_reads_the_consensus_page_only(signed_in, cobuyer, scored_not_agreed):
    world = scored_not_agreed
    address = url("consensus", world.call.public_id, world.proposals["company"].public_id)
    client = signed_in(cobuyer)
    page = client.get(address).content.decode()
    assert "Save the consensus" not in page
    with assert_unchanged():
        assert client.post(address, _consensus_data(world)).status_code == 403


# --- results ---------------------------------------------------------------------------------


def _results_data(world, selected=("company", "rival"), **overrides):
    data = {}
    for key, proposal in world.proposals.items():
        data[f"selected_{proposal.public_id}"] = "yes" if key in selected else "no"
        data[f"reason_{proposal.public_id}"] = f"Reason for {key}"
    data.update(overrides)
    return data


def test_lead_buyer_publishes_the_results(signed_in, buyer, scored_world):
    client = signed_in(buyer)
    address = url("results", scored_world.call.public_id)
    page = client.get(address).content.decode()
    assert "At most 2 companies go on." in page
    assert "Pilot in a town hall" in page
    response = client.post(address, _results_data(scored_world))
    assert response.status_code == 302
    assert PhaseResult.objects.filter(selected=True).count() == 2
    page = client.get(address).content.decode()
    assert "Reason for third" in page
    assert "Invited to Pilot in a town hall" in page


def test_results_errors_keep_the_input(signed_in, buyer, scored_world):
    world = scored_world
    third = world.proposals["third"]
    with assert_unchanged():
        response = signed_in(buyer).post(
            url("results", world.call.public_id),
            _results_data(world, **{f"reason_{third.public_id}": ""}),
        )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Give SmartQueue the reason" in content
    assert "Reason for rival" in content


def test_too_many_selected_is_shown(signed_in, buyer, scored_world):
    with assert_unchanged():
        response = signed_in(buyer).post(
            url("results", scored_world.call.public_id),
            _results_data(scored_world, selected=("company", "rival", "third")),
        )
    assert "at most 2" in response.content.decode()


def test_co_buyer_cannot_publish_results(signed_in, cobuyer, scored_world):
    with assert_unchanged():
        response = signed_in(cobuyer).post(
            url("results", scored_world.call.public_id), _results_data(scored_world)
        )
    assert response.status_code == 403
