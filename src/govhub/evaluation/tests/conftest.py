from __future__ import annotations

import pytest


@pytest.fixture
def signed_in(client):
    """``signed_in(user)``: the test client signed in as that person (None: anonymous)."""

    def sign_in(user):
        client.logout()
        if user is not None:
            client.force_login(user)
        return client

    return sign_in
