"""Fixtures for matching tests (shared with other apps via the root conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest

from govhub.opportunities.ted import TedNotice


@pytest.fixture
def ted_slice(ted_notices_dir: Path) -> list[TedNotice]:
    """The first 150 real notices that parse, with a CPV code (name order)."""
    from govhub.matching.bench import load_notices

    files = sorted(ted_notices_dir.glob("*.xml"))[:160]
    notices = load_notices(files)
    return notices[:150]
