"""Times as the proposals pages show them: to the second, in Brussels and in the user's zone."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django import template
from django.utils import timezone

from govhub.proposals.services._common import BRUSSELS, wall_clock

register = template.Library()


@register.inclusion_tag("proposals/includes/when.html")
def both_zones(value: dt.datetime | None) -> dict[str, Any]:
    """A moment in Brussels time (the reference for deadlines) and, when it differs, in the
    signed-in user's own time zone; the machine-readable UTC value goes in <time>."""
    if value is None:
        return {"value": None}
    zone = timezone.get_current_timezone()
    return {
        "value": value,
        "iso": value.astimezone(dt.UTC).isoformat(),
        "brussels": wall_clock(value, BRUSSELS),
        "local": wall_clock(value, zone),
        "zone_name": timezone.get_current_timezone_name(),
        # Both are always shown, unless the user's own zone is Brussels itself.
        "same": timezone.get_current_timezone_name() == "Europe/Brussels",
    }


@register.filter
def filesize(value: int) -> str:
    """Bytes in the units people read (1 decimal), e.g. 2.5 MB."""
    size = float(value or 0)
    for unit in ("bytes", "KB", "MB", "GB"):
        if size < 1024 or unit == "GB":
            return f"{int(size)} {unit}" if unit == "bytes" else f"{size:.1f} {unit}"
        size /= 1024
    return f"{size:.1f} GB"


@register.filter
def utc_iso(value: dt.datetime | None) -> str:
    """ISO 8601 in UTC to the microsecond, as the receipt file records it."""
    if value is None:
        return ""
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
