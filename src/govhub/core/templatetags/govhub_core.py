from __future__ import annotations

import json
from typing import Any

from django import template

register = template.Library()


@register.filter
def changed_fields(event: Any) -> list[dict[str, Any]]:
    """The fields an audit event changed, as rows of name, before and after."""
    before = event.before or {}
    after = event.after or {}
    rows = []
    for name in sorted(set(before) | set(after)):
        old, new = before.get(name), after.get(name)
        if old != new:
            rows.append({"name": name, "before": _show(old), "after": _show(new)})
    return rows


def _show(value: Any) -> str:
    if value is None:
        return "–"
    if isinstance(value, str):
        return value
    return json.dumps(value, ensure_ascii=False)
