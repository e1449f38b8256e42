"""Fixtures for matching tests (shared with other apps via the root conftest).

- ``small_model``: a CPV suggester trained on a few sentences with real CPV codes (enough for
  pages and API; training on the whole vocabulary is the store's own test).
- ``no_model``: no trained model at all (what a fresh installation has).
- ``ted_slice``: the first 150 real TED notices with a CPV code.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from govhub.matching.models import TrainedModel
from govhub.matching.store import NAME, forget_cached
from govhub.matching.suggester import CpvSuggester, Example
from govhub.opportunities.ted import TedNotice

EXAMPLES = [
    Example("Real-time occupancy of car parks with parking sensors", "34970000"),
    Example("Parking guidance system and open data on free spaces", "34970000"),
    Example("Programming of application software for the city", "72212000"),
    Example("Software development of a mobile app", "72212000"),
    Example("Catering services for school canteens", "55520000"),
    Example("Construction work for hospital facilities", "45215140"),
]


def install_small_model() -> None:
    model = CpvSuggester.fit(EXAMPLES)
    TrainedModel.objects.create(name=NAME, data=model.to_bytes(), examples=model.size)
    forget_cached()


@pytest.fixture
def small_model(reference_data: None) -> Iterator[None]:
    install_small_model()
    yield
    forget_cached()


@pytest.fixture
def no_model(reference_data: None) -> Iterator[None]:
    TrainedModel.objects.all().delete()
    forget_cached()
    yield
    forget_cached()


@pytest.fixture
def ted_slice(ted_notices_dir: Path) -> list[TedNotice]:
    """The first 150 real notices that parse, with a CPV code (name order)."""
    from govhub.matching.bench import load_notices

    files = sorted(ted_notices_dir.glob("*.xml"))[:160]
    notices = load_notices(files)
    return notices[:150]
