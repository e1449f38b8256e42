from __future__ import annotations

from decimal import Decimal

import pytest
import time_machine

from govhub.challenges import services as challenge_services
from govhub.challenges.tests.fixtures import first_phase
from govhub.evaluation import services as evaluation_services
from govhub.proposals import services
from govhub.proposals.models import ProposalAttachment, ProposalReceipt

from .fixtures import after_deadline, pdf
from .sealing import SECRET, SECRET_BYTES, SECRET_FILE, SECRET_PRICE, World


@pytest.fixture(autouse=True)
def _private_files(proposal_files):
    """Every proposals test writes attachments to its own temporary private storage."""
    return proposal_files


@pytest.fixture
def superuser(make_user, with_totp):
    user = make_user("root@example.eu", display_name="Root", is_superuser=True, is_staff=True)
    with_totp(user)
    return user


@pytest.fixture
def joint_phase(make_challenge, buyer, second_authority, cobuyer):
    """An open call of a joint challenge: ``authority`` leads, ``second_authority`` co-buys."""
    challenge = make_challenge(title="Joint parking challenge")
    challenge_services.cobuyer_add(
        actor=buyer, challenge=challenge, authority=second_authority, quantity="2 car parks"
    )
    challenge_services.challenge_publish(actor=buyer, challenge=challenge)
    phase = first_phase(challenge)
    return challenge_services.phase_open(actor=buyer, phase=phase)


@pytest.fixture
def cleared_evaluator(evaluator, buyer, authority, joint_phase):
    """An evaluator of the lead authority, assigned to the phase, declared free of conflicts."""
    assignment = evaluation_services.evaluator_assign(
        actor=buyer, phase=joint_phase, user=evaluator, authority=authority
    )
    evaluation_services.evaluator_declare(
        actor=evaluator, assignment=assignment, has_conflict=False
    )
    return evaluator


@pytest.fixture
def world(joint_phase, make_proposal, cleared_evaluator) -> World:
    """``company``'s proposal to ``joint_phase``, full of secrets: answers, price, a file."""
    joint_phase.asks_price = True
    joint_phase.save()
    proposal = make_proposal(
        joint_phase,
        files=[pdf(SECRET_FILE, SECRET_BYTES)],
        price=Decimal(SECRET_PRICE),
        text=SECRET,
    )
    joint_phase.refresh_from_db()
    return World(
        phase=joint_phase,
        proposal=proposal,
        receipt=ProposalReceipt.objects.get(proposal=proposal),
        attachment=ProposalAttachment.objects.get(proposal=proposal),
    )


@pytest.fixture
def opened(world, buyer):
    """``world`` after its deadline, opened by the lead buyer (the clock stays there)."""
    with time_machine.travel(after_deadline(world.phase), tick=True):
        services.proposals_open(actor=buyer, phase=world.phase)
        world.phase.refresh_from_db()
        yield world
