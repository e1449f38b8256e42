from __future__ import annotations

import pytest

from govhub.challenges.models import PhaseStatus
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.evaluation import selectors, services
from govhub.evaluation.models import AssignmentStatus, ConflictDeclaration, EvaluatorAssignment
from govhub.organisations import services as org_services
from govhub.organisations.models import Membership

from .fixtures import score_all
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db


# --- evaluator_assign ------------------------------------------------------------------------


def test_lead_buyer_assigns_an_evaluator_of_the_lead_authority(
    evaluation_world, buyer, evaluator, authority
):
    assignment = services.evaluator_assign(
        actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
    )
    assert assignment.status == AssignmentStatus.ASSIGNED
    assert assignment.assigned_by == buyer
    event = last_event()
    assert event.action == "evaluation.evaluator_assign"
    assert event.organisation_id == authority.public_id
    assert event.after["evaluator"] == str(evaluator.public_id)
    assert event.after["authority"] == str(authority.public_id)


def test_lead_buyer_assigns_an_evaluator_of_a_co_buying_authority(
    evaluation_world, buyer, cobuyer_evaluator, second_authority
):
    assignment = services.evaluator_assign(
        actor=buyer,
        phase=evaluation_world.call,
        user=cobuyer_evaluator,
        authority=second_authority,
    )
    assert assignment.authority == second_authority


def test_co_buyer_cannot_assign(evaluation_world, cobuyer, cobuyer_evaluator, second_authority):
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.evaluator_assign(
            actor=cobuyer,
            phase=evaluation_world.call,
            user=cobuyer_evaluator,
            authority=second_authority,
        )


@pytest.mark.parametrize("persona", ["evaluator", "supplier", "outsider", "moderator"])
def test_others_cannot_assign(request, evaluation_world, evaluator, authority, persona):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.evaluator_assign(
            actor=actor, phase=evaluation_world.call, user=evaluator, authority=authority
        )


def test_refuses_an_authority_outside_the_challenge(
    evaluation_world, buyer, make_organisation, moderator, make_user, with_totp
):
    from .fixtures import make_authority_member

    other_admin = make_user()
    other = make_organisation("authority", admin=other_admin, verified_by=moderator)
    outsider_evaluator = make_authority_member(
        make_user,
        with_totp,
        authority=other,
        admin=other_admin,
        email="eval@elsewhere.example.eu",
        name="Elsewhere",
        is_evaluator=True,
    )
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.evaluator_assign(
            actor=buyer, phase=evaluation_world.call, user=outsider_evaluator, authority=other
        )
    assert "evaluator" in caught.value.field_errors


def test_refuses_someone_without_the_evaluator_role(evaluation_world, buyer, authority):
    # The buyer is a member of the lead authority, but not an evaluator.
    with assert_unchanged(), pytest.raises(InvalidInput, match="not an evaluator"):
        services.evaluator_assign(
            actor=buyer, phase=evaluation_world.call, user=buyer, authority=authority
        )


def test_refuses_an_evaluator_named_under_the_wrong_authority(
    evaluation_world, buyer, cobuyer_evaluator, authority
):
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.evaluator_assign(
            actor=buyer, phase=evaluation_world.call, user=cobuyer_evaluator, authority=authority
        )


def test_refuses_the_same_evaluator_twice(evaluation_world, buyer, evaluator, authority):
    services.evaluator_assign(
        actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
    )
    with assert_unchanged(), pytest.raises(Conflict):
        services.evaluator_assign(
            actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
        )


def test_refuses_pilot_phases(evaluation_world, buyer, evaluator, authority):
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.evaluator_assign(
            actor=buyer, phase=evaluation_world.pilot, user=evaluator, authority=authority
        )


def test_refuses_a_decided_phase(evaluation_world, buyer, evaluator, authority):
    evaluation_world.call.status = PhaseStatus.DECIDED
    evaluation_world.call.save()
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.evaluator_assign(
            actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
        )


# --- evaluator_unassign ----------------------------------------------------------------------


def test_unassign_before_any_score(evaluation_world, buyer, evaluator, authority):
    assignment = services.evaluator_assign(
        actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
    )
    services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    services.evaluator_unassign(actor=buyer, assignment=assignment)
    assert not EvaluatorAssignment.objects.exists()
    assert not ConflictDeclaration.objects.exists()
    assert last_event().action == "evaluation.evaluator_unassign"


def test_unassign_refused_once_scored(evaluation_world, declared_evaluators, buyer):
    first = declared_evaluators[0]
    score_all(first, evaluation_world, evaluation_world.proposals["company"], (5, 5, 5))
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.evaluator_unassign(actor=buyer, assignment=first)


def test_unassign_refused_to_others(evaluation_world, declared_evaluators, cobuyer, evaluator):
    for actor in (cobuyer, evaluator):
        with assert_unchanged(), pytest.raises(NotAllowed):
            services.evaluator_unassign(actor=actor, assignment=declared_evaluators[0])


# --- evaluator_declare -----------------------------------------------------------------------


@pytest.fixture
def assignment(evaluation_world, buyer, evaluator, authority):
    return services.evaluator_assign(
        actor=buyer, phase=evaluation_world.call, user=evaluator, authority=authority
    )


def test_declaring_no_conflict_lets_the_evaluator_read(evaluation_world, assignment, evaluator):
    assert not selectors.evaluator_may_read(evaluator, evaluation_world.call)
    services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.DECLARED
    declaration = assignment.declaration
    assert declaration.has_conflict is False
    assert "impartiality" in declaration.declaration_text
    assert selectors.evaluator_may_read(evaluator, evaluation_world.call)
    event = last_event()
    assert event.action == "evaluation.evaluator_declare"
    assert event.before == {"status": "assigned"}
    assert event.after["status"] == "declared"


def test_declaring_a_conflict_excludes_the_evaluator(evaluation_world, assignment, evaluator):
    services.evaluator_declare(
        actor=evaluator,
        assignment=assignment,
        has_conflict=True,
        statement="My brother works at Open Data Works.",
    )
    assignment.refresh_from_db()
    assert assignment.status == AssignmentStatus.EXCLUDED
    assert assignment.declaration.statement == "My brother works at Open Data Works."
    assert not selectors.evaluator_may_read(evaluator, evaluation_world.call)


def test_a_conflict_needs_a_statement(assignment, evaluator):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.evaluator_declare(
            actor=evaluator, assignment=assignment, has_conflict=True, statement="  "
        )
    assert "statement" in caught.value.field_errors


def test_declaring_twice_is_refused(assignment, evaluator):
    services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.evaluator_declare(
            actor=evaluator, assignment=assignment, has_conflict=True, statement="Changed mind"
        )


def test_an_excluded_evaluator_cannot_declare_again(assignment, evaluator):
    services.evaluator_declare(
        actor=evaluator, assignment=assignment, has_conflict=True, statement="Shareholder"
    )
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)


@pytest.mark.parametrize("persona", ["buyer", "second_evaluator", "supplier", "moderator"])
def test_only_the_evaluator_declares(request, assignment, persona):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.evaluator_declare(actor=actor, assignment=assignment, has_conflict=False)


def test_an_evaluator_who_lost_the_role_cannot_declare(
    assignment, evaluator, authority, authority_admin
):
    membership = Membership.objects.get(user=evaluator, organisation=authority)
    org_services.membership_set_roles(
        actor=authority_admin, membership=membership, is_admin=False, is_evaluator=False
    )
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    assert not selectors.evaluator_may_read(evaluator, assignment.phase)


def test_a_member_of_a_proposing_company_must_declare_the_conflict(
    assignment, evaluator, company, supplier
):
    _, token = org_services.invitation_create(
        actor=supplier, organisation=company, email=evaluator.email
    )
    org_services.invitation_accept(actor=evaluator, token=token)
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    assert "has_conflict" in caught.value.field_errors


def test_declaring_is_refused_once_the_phase_is_decided(evaluation_world, assignment, evaluator):
    evaluation_world.call.status = PhaseStatus.DECIDED
    evaluation_world.call.save()
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)


# --- evaluator_may_read ----------------------------------------------------------------------


def test_evaluator_may_read_only_their_own_phase(evaluation_world, assignment, evaluator):
    services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    assert selectors.evaluator_may_read(evaluator, evaluation_world.call)
    assert not selectors.evaluator_may_read(evaluator, evaluation_world.pilot)


@pytest.mark.parametrize("persona", ["buyer", "cobuyer", "supplier", "outsider", "moderator"])
def test_nobody_else_may_read_as_an_evaluator(request, evaluation_world, persona):
    assert not selectors.evaluator_may_read(request.getfixturevalue(persona), evaluation_world.call)


def test_anonymous_may_not_read(evaluation_world):
    from django.contrib.auth.models import AnonymousUser

    assert not selectors.evaluator_may_read(AnonymousUser(), evaluation_world.call)


def test_the_proposals_seal_asks_the_evaluation_app(evaluation_world, assignment, evaluator):
    from govhub.proposals import permissions as proposal_permissions

    assert not proposal_permissions.evaluator_may_read(evaluator, evaluation_world.call)
    services.evaluator_declare(actor=evaluator, assignment=assignment, has_conflict=False)
    assert proposal_permissions.evaluator_may_read(evaluator, evaluation_world.call)
