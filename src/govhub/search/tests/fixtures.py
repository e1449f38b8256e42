"""Fixtures for search tests (shared with other apps via the root conftest)."""

from __future__ import annotations

from pathlib import Path

import pytest


@pytest.fixture
def indexed_notices(ted_sample: list[Path], reference_data: None) -> None:
    """The sample of real TED notices imported, the CPV suggester trained, all indexed."""
    from govhub.matching.store import forget_cached, suggester_train
    from govhub.opportunities.services import ted_import
    from govhub.search.indexing import reindex

    ted_import(paths=ted_sample)
    forget_cached()
    suggester_train()
    reindex()
