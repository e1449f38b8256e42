import pytest


@pytest.fixture(autouse=True)
def _fresh_rate_limits(clear_rate_limits: None) -> None:
    """Posting limits live in the cache: each test starts with none used."""
