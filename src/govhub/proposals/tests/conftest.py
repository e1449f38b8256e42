from __future__ import annotations

import pytest

from govhub.challenges import services as challenge_services
from govhub.challenges.tests.fixtures import first_phase


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
