from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine

from govhub.challenges import selectors, services

from .files import upload
from .fixtures import deadline_of, first_phase

pytestmark = pytest.mark.django_db


def test_public_list_has_published_ones_only(published_challenge, challenge_draft):
    assert list(selectors.public_challenges()) == [published_challenge]


def test_open_now_follows_the_clock(published_challenge, open_phase):
    row: Any = selectors.public_challenges().get()
    assert row.is_open_now
    assert row.next_deadline == open_phase.deadline
    with time_machine.travel(deadline_of(open_phase), tick=False):
        assert not selectors.public_challenges(open_now=True).exists()
        later: Any = selectors.public_challenges().get()
        assert later.next_deadline is None


def test_a_cancelled_challenge_is_not_open(buyer, published_challenge):
    services.challenge_cancel(actor=buyer, challenge=published_challenge, reason="Stopped")
    row: Any = selectors.public_challenges().get()
    assert not row.is_open_now
    assert row.next_deadline is None
    assert not selectors.public_challenges(open_now=True).exists()


def test_challenges_of_user(buyer, cobuyer, outsider, challenge_draft, second_authority):
    assert list(selectors.challenges_of_user(buyer)) == [challenge_draft]
    assert list(selectors.challenges_of_user(cobuyer)) == []
    services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=second_authority)
    assert list(selectors.challenges_of_user(cobuyer)) == [challenge_draft]
    assert list(selectors.challenges_of_user(outsider)) == []


def test_history_keeps_public_steps_only(
    buyer, supplier, company, make_challenge, settings, tmp_path
):
    settings.MEDIA_ROOT = tmp_path
    challenge = make_challenge()
    phase = first_phase(challenge)
    services.document_add(actor=buyer, phase=phase, title="Before", file=upload("terms.pdf"))
    challenge = services.challenge_publish(actor=buyer, challenge=challenge)
    services.phase_open(actor=buyer, phase=phase)
    question = services.clarification_ask(
        actor=supplier, phase=phase, organisation=company, question="Q?"
    )
    services.clarification_answer(actor=buyer, clarification=question, answer="A.")
    services.document_add(actor=buyer, phase=phase, title="Addendum", file=upload("terms.pdf"))
    new = deadline_of(phase) + dt.timedelta(days=1)
    services.phase_change_deadline(actor=buyer, phase=phase, deadline=new, reason="Holidays")
    phases = selectors.phases_for_page(challenge)
    history = selectors.public_history(challenge, phases)
    assert [item.action for item in history] == [
        "challenge.publish",
        "phase.open",
        "clarification.answer",
        "document.add",
        "phase.change_deadline",
    ]
    answer, addendum, change = history[2], history[3], history[4]
    assert answer.details == {"question": "Q?"}
    assert addendum.details == {"title": "Addendum"}
    assert change.details["after"] == new
    assert change.details["before"] == deadline_of(phase)
    assert change.phase == phases[0]
    # Nothing in an item can name who acted.
    assert not any(hasattr(item, "actor") for item in history)


def test_drafts_have_no_public_history(challenge_draft):
    assert selectors.public_history(challenge_draft, []) == []


def test_buyers_queue_holds_unanswered_questions(buyer, supplier, company, open_phase):
    first = services.clarification_ask(
        actor=supplier, phase=open_phase, organisation=company, question="One?"
    )
    second = services.clarification_ask(
        actor=supplier, phase=open_phase, organisation=company, question="Two?"
    )
    services.clarification_answer(actor=buyer, clarification=first, answer="Yes.")
    assert selectors.unanswered_clarifications(open_phase.challenge) == [second]
    own = selectors.asked_by_companies(open_phase.challenge, [company])
    assert own == [first, second]
