"""Explicit lifecycles: one transition function per model refuses any move not in its table."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _

from .errors import InvalidTransition


def _state_label(obj: Any, field: str, value: str) -> str:
    # The message reaches users: name states as the interface does, in their language.
    meta = getattr(obj, "_meta", None)
    choices = dict(meta.get_field(field).flatchoices) if meta is not None else {}
    return str(choices.get(value, value))


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
            _("%(label)s cannot go from “%(current)s” to “%(to)s”.")
            % {
                "label": label or type(obj).__name__,
                "current": _state_label(obj, field, current),
                "to": _state_label(obj, field, to),
            },
            current=current,
            requested=to,
        )
    setattr(obj, field, to)
    stamp = f"{to}_at"
    if hasattr(obj, stamp):
        setattr(obj, stamp, timezone.now())
    return str(current)
