from __future__ import annotations

import pytest
from django.urls import reverse

from govhub.evaluation import services
from govhub.evaluation.models import AssignmentStatus, Score

from .helpers import assert_unchanged

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"evaluation:{name}", args=args)


@pytest.fixture
def assignment(evaluation_world, buyer, evaluator, authority):
    return services.evaluator_assign(
        actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
    )


def test_my_evaluations_lists_the_assignments(
    signed_in, evaluator, assignment, django_assert_max_num_queries
):
    client = signed_in(evaluator)
    with django_assert_max_num_queries(6):
        response = client.get(url("mine"))
    content = response.content.decode()
    assert "Shorter queues at the town hall: Open call" in content
    assert "Waiting for the declaration" in content


# --- declaration first -----------------------------------------------------------------------


def test_before_declaring_no_proposal_is_shown(signed_in, evaluator, assignment, evaluation_world):
    client = signed_in(evaluator)
    response = client.get(url("assignment", assignment.public_id))
    assert response.status_code == 302
    assert response["Location"] == url("declaration", assignment.public_id)
    proposal = evaluation_world.proposals["company"]
    response = client.get(url("score", assignment.public_id, proposal.public_id))
    assert response.status_code == 302
    page = client.get(url("declaration", assignment.public_id)).content.decode()
    assert "impartiality" in page
    for name in ("CivicTech", "Open Data Works", "SmartQueue", "answers to"):
        assert name not in page


def test_signing_no_conflict_opens_the_proposals(signed_in, evaluator, assignment):
    client = signed_in(evaluator)
    response = client.post(url("declaration", assignment.public_id), {"has_conflict": "no"})
    assert response.status_code == 302
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLARED
    page = client.get(url("assignment", assignment.public_id)).content.decode()
    assert "CivicTech Solutions" in page
    assert "Not started" in page


def test_declaring_a_conflict_excludes(signed_in, evaluator, assignment, evaluation_world):
    client = signed_in(evaluator)
    client.post(
        url("declaration", assignment.public_id),
        {"has_conflict": "yes", "statement": "I advised SmartQueue last year."},
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.EXCLUDED
    page = client.get(url("assignment", assignment.public_id)).content.decode()
    assert "excluded" in page
    assert "CivicTech Solutions" not in page
    proposal = evaluation_world.proposals["company"]
    assert client.get(url("score", assignment.public_id, proposal.public_id)).status_code == 403


def test_a_conflict_without_statement_keeps_the_choice(signed_in, evaluator, assignment):
    with assert_unchanged():
        response = signed_in(evaluator).post(
            url("declaration", assignment.public_id), {"has_conflict": "yes", "statement": ""}
        )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Describe your conflict of interest" in content
    assert 'value="yes" checked' in content


def test_an_empty_declaration_is_refused(signed_in, evaluator, assignment):
    with assert_unchanged():
        response = signed_in(evaluator).post(url("declaration", assignment.public_id), {})
    assert "Say whether you have a conflict of interest" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["second_evaluator", "buyer", "cobuyer", "supplier", "moderator"]
)
def test_only_the_evaluator_opens_their_assignment(request, signed_in, assignment, persona):
    client = signed_in(request.getfixturevalue(persona))
    for name in ("assignment", "declaration"):
        assert client.get(url(name, assignment.public_id)).status_code == 403
    with assert_unchanged():
        client.post(url("declaration", assignment.public_id), {"has_conflict": "no"})


# --- scoring ---------------------------------------------------------------------------------


@pytest.fixture
def declared(assignment, evaluator):
    return services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)


def _score_data(world, **overrides):
    data = {}
    for criterion, value in zip(world.criteria, ("8", "6", "9"), strict=True):
        data[f"score_{criterion.public_id}"] = value
        data[f"reason_{criterion.public_id}"] = f"My view on {criterion.name}"
    data.update(overrides)
    return data


def test_scoring_page_shows_the_proposal_and_saves(
    signed_in, evaluator, declared, evaluation_world
):
    world = evaluation_world
    proposal = world.proposals["company"]
    client = signed_in(evaluator)
    address = url("score", declared.public_id, proposal.public_id)
    page = client.get(address).content.decode()
    assert "CivicTech Solutions answers to “Quality of the solution”." in page
    response = client.post(address, _score_data(world))
    assert response.status_code == 302
    assert sorted(Score.objects.values_list("score", flat=True)) == [6, 8, 9]
    page = client.get(address).content.decode()
    assert "My view on Impact" in page  # saved scores come back into the form


def test_scoring_errors_keep_the_input(signed_in, evaluator, declared, evaluation_world):
    world = evaluation_world
    address = url("score", declared.public_id, world.proposals["company"].public_id)
    with assert_unchanged():
        response = signed_in(evaluator).post(
            address,
            _score_data(
                world,
                **{f"score_{world.quality.public_id}": "11", f"reason_{world.cost.public_id}": ""},
            ),
        )
    content = response.content.decode()
    assert response.status_code == 200
    assert 'value="11"' in content
    assert "My view on Impact" in content
    assert "Enter a whole number from 0 to 10" in content
    assert "Explain the score for “Cost”" in content


def test_one_evaluator_never_sees_the_others_scores(
    signed_in, second_evaluator, declared, evaluation_world, authority, buyer
):
    world = evaluation_world
    proposal = world.proposals["company"]
    services.score_record(
        actor=declared.user,
        assignment=declared,
        proposal=proposal,
        scores=[services.ScoreInput(world.quality, 3, "A secret opinion")],
    )
    other = services.evaluator_assign(
        actor=buyer, phase=world.call, user=second_evaluator, authority=authority
    )
    services.evaluator_declare(actor=second_evaluator, assignment=other, has_conflict=False)
    page = signed_in(second_evaluator).get(url("score", other.public_id, proposal.public_id))
    assert "A secret opinion" not in page.content.decode()


def test_scores_are_read_only_once_the_consensus_is_recorded(
    signed_in, evaluator, declared, evaluation_world, buyer
):
    world = evaluation_world
    proposal = world.proposals["company"]
    services.score_record(
        actor=declared.user,
        assignment=declared,
        proposal=proposal,
        scores=[services.ScoreInput(c, 5, "Fine") for c in world.criteria],
    )
    services.consensus_record(
        actor=buyer,
        proposal=proposal,
        entries=[services.ConsensusInput(c, 5, "Agreed") for c in world.criteria],
    )
    client = signed_in(evaluator)
    address = url("score", declared.public_id, proposal.public_id)
    page = client.get(address).content.decode()
    assert "These scores can no longer change." in page
    assert "Consensus recorded" in page
    with assert_unchanged():
        assert client.post(address, _score_data(world)).status_code == 403


@pytest.mark.parametrize("persona", ["buyer", "cobuyer", "second_evaluator", "supplier"])
def test_nobody_else_opens_an_evaluators_scoring_page(
    request, signed_in, declared, evaluation_world, persona
):
    proposal = evaluation_world.proposals["company"]
    client = signed_in(request.getfixturevalue(persona))
    address = url("score", declared.public_id, proposal.public_id)
    assert client.get(address).status_code == 403
    with assert_unchanged():
        client.post(address, _score_data(evaluation_world))
