from __future__ import annotations

import pytest

from govhub.accounts.models import User


@pytest.fixture
def make_user(db):
    counter = {"n": 0}

    def make(email: str | None = None, **extra: object) -> User:
        counter["n"] += 1
        email = email or f"user{counter['n']}@example.eu"
        return User.objects.create_user(email=email, password="correct horse battery", **extra)

    return make


@pytest.fixture
def outsider(make_user) -> User:
    """A signed-up person with no organisation and no platform role."""
    return make_user("outsider@example.eu", display_name="Olga Outsider")


@pytest.fixture
def moderator(make_user, with_totp) -> User:
    user = make_user("moderator@example.eu", display_name="Mona Moderator", is_moderator=True)
    with_totp(user)  # moderators must use two-factor authentication (accounts fixtures)
    return user
