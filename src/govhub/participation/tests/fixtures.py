"""Fixtures for participation tests (shared with other apps via the root conftest).

- ``open_process``: an open process of ``authority`` (by ``buyer``), everyone may take part,
  ideas and discussion phases running today, categories "Mobility" and "Green spaces".
- ``cleo``, ``nico``: signed-up people with pseudonyms ("Cleo" and "Nico").
- ``make_process(**fields)``, ``make_idea(author, process, **fields)``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

import pytest
from django.core.cache import cache
from django.utils import timezone

from govhub.accounts.models import User
from govhub.organisations.models import Organisation
from govhub.participation import services
from govhub.participation.models import Idea, ParticipatoryProcess


def today_phases(*kinds: str, days: int = 30) -> list[tuple[str, dt.date, dt.date]]:
    today = timezone.localdate()
    return [(kind, today - dt.timedelta(days=1), today + dt.timedelta(days=days)) for kind in kinds]


@pytest.fixture
def make_process(buyer: User, authority: Organisation) -> Callable[..., ParticipatoryProcess]:
    def make(
        *, open_it: bool = True, actor: User | None = None, **fields: Any
    ) -> ParticipatoryProcess:
        values: dict[str, Any] = {
            "title": "A greener city centre",
            "scope": "Streets and squares of the centre; not the ring road.",
            "goals": "Ideas to make the centre greener and easier to walk in.",
            "commitment": "We answer every idea within a month and fund the best three.",
            "methods": "Citizens propose, everyone discusses, the council answers.",
            "categories": ["Mobility", "Green spaces"],
            "phases": today_phases("ideas", "discussion"),
        }
        values.update(fields)
        process = services.process_create(actor=actor or buyer, authority=authority, **values)
        if open_it:
            services.process_open(actor=actor or buyer, process=process)
        return process

    return make


@pytest.fixture
def open_process(make_process: Callable[..., ParticipatoryProcess]) -> ParticipatoryProcess:
    return make_process()


@pytest.fixture
def cleo(make_user: Callable[..., User]) -> User:
    user = make_user("cleo@example.eu", display_name="Cleo Realname")
    services.profile_save(actor=user, pseudonym="Cleo")
    return user


@pytest.fixture
def nico(make_user: Callable[..., User]) -> User:
    user = make_user("nico@example.eu", display_name="Nico Realname")
    services.profile_save(actor=user, pseudonym="Nico")
    return user


@pytest.fixture
def make_idea() -> Callable[..., Idea]:
    def make(author: User, process: ParticipatoryProcess, **fields: Any) -> Idea:
        values: dict[str, Any] = {
            "title": "More trees on the main square",
            "body": "Shade in summer.",
        }
        values.update(fields)
        return services.idea_submit(actor=author, process=process, **values)

    return make


@pytest.fixture
def clear_rate_limits() -> Any:
    cache.clear()
    yield
    cache.clear()
