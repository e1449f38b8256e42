"""Fixtures for matching tests (shared with other apps via the root conftest)."""

from __future__ import annotations
