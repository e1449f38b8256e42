from __future__ import annotations

import datetime as dt

import pytest
import time_machine

from govhub.challenges import services
from govhub.challenges.models import Challenge, ChallengeStatus
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed

from .fixtures import first_phase
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db

QUESTION = "May a consortium of two SMEs apply together?"


def test_company_member_asks_while_the_phase_is_open(supplier, company, open_phase):
    clarification = services.clarification_ask(
        actor=supplier, phase=open_phase, organisation=company, question=f"  {QUESTION} "
    )
    assert clarification.question == QUESTION
    assert (clarification.asked_by, clarification.asked_by_organisation) == (supplier, company)
    assert clarification.answered_at is None
    event = last_event()
    assert event.action == "clarification.ask"
    # Only the asking company's admins (and moderators) read this event.
    assert event.organisation_id == company.public_id


@pytest.mark.parametrize("persona", ["outsider", "buyer", "cobuyer", "second_supplier"])
def test_only_members_of_the_company_ask(request, persona, company, open_phase):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.clarification_ask(
            actor=actor, phase=open_phase, organisation=company, question=QUESTION
        )


def test_authorities_do_not_ask(buyer, authority, open_phase):
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.clarification_ask(
            actor=buyer, phase=open_phase, organisation=authority, question=QUESTION
        )


def test_no_question_on_a_planned_phase(supplier, company, published_challenge):
    pilot = published_challenge.phases.get(order=2)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.clarification_ask(
            actor=supplier, phase=pilot, organisation=company, question=QUESTION
        )


def test_no_question_on_a_draft(supplier, company, challenge_draft):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.clarification_ask(
            actor=supplier,
            phase=first_phase(challenge_draft),
            organisation=company,
            question=QUESTION,
        )


def test_no_question_once_the_deadline_passed(supplier, company, open_phase):
    with (
        time_machine.travel(open_phase.deadline, tick=False),
        assert_unchanged(),
        pytest.raises(InvalidTransition),
    ):
        services.clarification_ask(
            actor=supplier, phase=open_phase, organisation=company, question=QUESTION
        )
    with time_machine.travel(open_phase.deadline - dt.timedelta(seconds=1), tick=False):
        services.clarification_ask(
            actor=supplier, phase=open_phase, organisation=company, question=QUESTION
        )


def test_empty_question_refused(supplier, company, open_phase):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.clarification_ask(
            actor=supplier, phase=open_phase, organisation=company, question="  "
        )
    assert "question" in caught.value.field_errors


@pytest.fixture
def question(supplier, company, open_phase):
    return services.clarification_ask(
        actor=supplier, phase=open_phase, organisation=company, question=QUESTION
    )


@pytest.mark.parametrize("persona", ["buyer", "cobuyer"])
def test_lead_or_cobuyer_buyers_answer(request, persona, question, published_challenge):
    if persona == "cobuyer":
        # Co-buyers join while drafting; this one is added to the published fixture directly.
        from govhub.challenges.models import ChallengeBuyer

        ChallengeBuyer.objects.create(
            challenge=published_challenge, authority=request.getfixturevalue("second_authority")
        )
    actor = request.getfixturevalue(persona)
    answered = services.clarification_answer(
        actor=actor, clarification=question, answer="Yes: name a lead company."
    )
    assert answered.answer == "Yes: name a lead company."
    assert answered.answered_by == actor
    event = last_event()
    assert event.action == "clarification.answer"
    assert event.after == {
        "phase": str(question.phase.public_id),
        "question": QUESTION,
        "answer": "Yes: name a lead company.",
    }


@pytest.mark.parametrize(
    "persona", ["cobuyer", "supplier", "outsider", "moderator", "authority_admin"]
)
def test_others_do_not_answer(request, persona, question):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.clarification_answer(actor=actor, clarification=question, answer="Yes")


def test_answer_once(buyer, question):
    services.clarification_answer(actor=buyer, clarification=question, answer="Yes")
    with assert_unchanged(), pytest.raises(Conflict):
        services.clarification_answer(actor=buyer, clarification=question, answer="No")


def test_empty_answer_refused(buyer, question):
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.clarification_answer(actor=buyer, clarification=question, answer="")


def test_no_answers_on_a_cancelled_challenge(buyer, question, published_challenge):
    Challenge.objects.filter(pk=published_challenge.pk).update(status=ChallengeStatus.CANCELLED)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.clarification_answer(actor=buyer, clarification=question, answer="Yes")


def test_answers_after_the_deadline_are_still_published(buyer, question, open_phase):
    with time_machine.travel(open_phase.deadline + dt.timedelta(hours=1), tick=False):
        answered = services.clarification_answer(actor=buyer, clarification=question, answer="Y")
    assert answered.answered_at is not None
