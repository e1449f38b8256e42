"""Who may change the reference vocabularies: only the platform's operators."""

from __future__ import annotations

from typing import Any


def can_load_reference(user: Any) -> bool:
    """Commands run as the system (no user); a person needs to be a superuser."""
    return user is None or bool(getattr(user, "is_superuser", False))
