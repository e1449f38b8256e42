"""Every move the lifecycle tables do not list is refused, through the services too."""

from __future__ import annotations

import datetime as dt
from itertools import product
from typing import Any

import pytest
import time_machine

from govhub.challenges import services
from govhub.challenges.models import (
    CHALLENGE_TRANSITIONS,
    PHASE_TRANSITIONS,
    Challenge,
    ChallengeStatus,
    Phase,
    PhaseStatus,
)
from govhub.core.errors import InvalidTransition
from govhub.core.lifecycle import transition

from .fixtures import deadline_of, first_phase
from .helpers import assert_unchanged

pytestmark = pytest.mark.django_db


class _Thing:
    def __init__(self, status: str) -> None:
        self.status = status


@pytest.mark.parametrize(
    ("current", "target"), list(product(ChallengeStatus.values, ChallengeStatus.values))
)
def test_challenge_table(current, target):
    thing = _Thing(current)
    if target in CHALLENGE_TRANSITIONS[current]:
        transition(thing, to=target, allowed=CHALLENGE_TRANSITIONS)
        assert thing.status == target
    else:
        with pytest.raises(InvalidTransition):
            transition(thing, to=target, allowed=CHALLENGE_TRANSITIONS)
        assert thing.status == current


@pytest.mark.parametrize(
    ("current", "target"), list(product(PhaseStatus.values, PhaseStatus.values))
)
def test_phase_table(current, target):
    thing = _Thing(current)
    if target in PHASE_TRANSITIONS[current]:
        transition(thing, to=target, allowed=PHASE_TRANSITIONS)
    else:
        with pytest.raises(InvalidTransition):
            transition(thing, to=target, allowed=PHASE_TRANSITIONS)


PHASE_SERVICES: dict[str, Any] = {
    PhaseStatus.OPEN: services.phase_open,
    PhaseStatus.CLOSED: services.phase_close,
    PhaseStatus.EVALUATING: services.phase_start_evaluation,
    PhaseStatus.DECIDED: services.phase_decide,
}


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (current, target)
        for current, target in product(PhaseStatus.values, PHASE_SERVICES)
        if target not in PHASE_TRANSITIONS[current]
    ],
)
def test_phase_services_refuse_illegal_moves(buyer, published_challenge, current, target):
    phase = first_phase(published_challenge)
    Phase.objects.filter(pk=phase.pk).update(status=current)
    # After the deadline, so only the table (not the clock) can refuse.
    with (
        time_machine.travel(deadline_of(phase) + dt.timedelta(seconds=1), tick=False),
        assert_unchanged(),
        pytest.raises(InvalidTransition),
    ):
        PHASE_SERVICES[target](actor=buyer, phase=phase)


CHALLENGE_SERVICES = {
    ChallengeStatus.PUBLISHED: lambda actor, challenge: services.challenge_publish(
        actor=actor, challenge=challenge
    ),
    ChallengeStatus.COMPLETED: lambda actor, challenge: services.challenge_complete(
        actor=actor, challenge=challenge
    ),
    ChallengeStatus.CANCELLED: lambda actor, challenge: services.challenge_cancel(
        actor=actor, challenge=challenge, reason="Because"
    ),
}


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (current, target)
        for current, target in product(ChallengeStatus.values, CHALLENGE_SERVICES)
        if target not in CHALLENGE_TRANSITIONS[current]
    ],
)
def test_challenge_services_refuse_illegal_moves(buyer, challenge_draft, current, target):
    Challenge.objects.filter(pk=challenge_draft.pk).update(status=current)
    Phase.objects.filter(challenge=challenge_draft).update(status=PhaseStatus.DECIDED)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        CHALLENGE_SERVICES[target](buyer, challenge_draft)


@pytest.mark.parametrize("status", [ChallengeStatus.DRAFT, ChallengeStatus.CANCELLED])
def test_phases_move_only_in_a_published_challenge(buyer, published_challenge, status):
    Challenge.objects.filter(pk=published_challenge.pk).update(status=status)
    phase = first_phase(published_challenge)
    with (
        time_machine.travel(deadline_of(phase) + dt.timedelta(seconds=1), tick=False),
        assert_unchanged(),
        pytest.raises(InvalidTransition),
    ):
        services.phase_close(actor=buyer, phase=phase)
