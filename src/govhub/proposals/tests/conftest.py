from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _private_files(proposal_files):
    """Every proposals test writes attachments to its own temporary private storage."""
    return proposal_files
