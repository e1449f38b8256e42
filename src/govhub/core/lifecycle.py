"""Explicit lifecycles: one transition function per model refuses any move not in its table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone

from .errors import InvalidTransition


def transition(
    obj: Any,
    *,
    to: str,
    allowed: Mapping[str, frozenset[str] | set[str]],
    field: str = "status",
    label: str = "",
) -> str:
    """Move ``obj.<field>`` to ``to`` if the table allows it; stamp ``<to>_at`` if present.

    Returns the previous state. Does not save: the calling service saves and audits.
    """
    current = getattr(obj, field)
    if to not in allowed.get(current, frozenset()):
        raise InvalidTransition(
            f"{label or type(obj).__name__} cannot go from “{current}” to “{to}”.",
            current=current,
            requested=to,
        )
    setattr(obj, field, to)
    stamp = f"{to}_at"
    if hasattr(obj, stamp):
        setattr(obj, stamp, timezone.now())
    return str(current)
