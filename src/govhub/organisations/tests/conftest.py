"""Fixtures only the organisations tests use (the shared personas are in fixtures.py)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from .helpers import with_two_factor


@pytest.fixture
def as_persona(request: pytest.FixtureRequest, client: Any) -> Callable[[str], Any]:
    """A client signed in as the named persona (two-factor set up: buyers and moderators
    need it), or anonymous."""

    def sign_in(name: str) -> Any:
        if name != "anonymous":
            user = request.getfixturevalue(name)
            with_two_factor(user)
            client.force_login(user)
        return client

    return sign_in
