"""Deadlines shown in Brussels time and in the viewer's own time zone, both named.

"17 March 2027, 12:00 CET (Brussels) — 13:00 EET (your time zone)". Deadlines are stored
in UTC; the zone names come from the time zone database for that very date, so a deadline
after the spring change reads CEST and one before it CET.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import template
from django.contrib.humanize.templatetags.humanize import intcomma
from django.utils import dateformat, formats, timezone
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

register = template.Library()

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def _zone_name(value: dt.datetime) -> str:
    name = value.tzname() or ""
    # Zones without a letter abbreviation report an offset such as "+04".
    return f"UTC{name}" if name[:1] in {"+", "-"} else name


def _viewer_zone(user: Any) -> zoneinfo.ZoneInfo | None:
    """The signed-in viewer's own zone; None when unknown (anonymous visitors)."""
    if not getattr(user, "is_authenticated", False):
        return None
    name = getattr(user, "time_zone", "") or ""
    try:
        return zoneinfo.ZoneInfo(name) if name else None
    except (zoneinfo.ZoneInfoNotFoundError, ValueError):
        return None


def format_both(value: dt.datetime, viewer: zoneinfo.ZoneInfo | None) -> dict[str, str]:
    """The parts of a deadline's display, for the template tag and for messages."""
    brussels = value.astimezone(BRUSSELS)
    date = formats.date_format(brussels, "DATE_FORMAT")
    parts = {
        "iso": value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "brussels": _("%(date)s, %(time)s %(zone)s (Brussels)")
        % {
            "date": date,
            "time": dateformat.format(brussels, "H:i"),
            "zone": _zone_name(brussels),
        },
        "local": "",
    }
    if viewer is None:
        return parts
    local = value.astimezone(viewer)
    same_zone = local.utcoffset() == brussels.utcoffset() and _zone_name(local) == _zone_name(
        brussels
    )
    if same_zone:
        parts["brussels"] = _("%(date)s, %(time)s %(zone)s (Brussels, your time zone)") % {
            "date": date,
            "time": dateformat.format(brussels, "H:i"),
            "zone": _zone_name(brussels),
        }
        return parts
    when = dateformat.format(local, "H:i")
    if local.date() != brussels.date():
        when = f"{formats.date_format(local, 'DATE_FORMAT')}, {when}"
    parts["local"] = _("%(when)s %(zone)s (your time zone)") % {
        "when": when,
        "zone": _zone_name(local),
    }
    return parts


@register.simple_tag(takes_context=True)
def deadline(context: template.Context, value: dt.datetime | None) -> SafeString | str:
    """``{% deadline phase.deadline %}``: Brussels time, then the viewer's, each named."""
    if value is None:
        return "–"
    request = context.get("request")
    user = getattr(request, "user", None) or context.get("user")
    parts = format_both(value, _viewer_zone(user))
    if parts["local"]:
        return format_html(
            '<time datetime="{}">{}</time> — {}', parts["iso"], parts["brussels"], parts["local"]
        )
    return format_html('<time datetime="{}">{}</time>', parts["iso"], parts["brussels"])


@register.simple_tag
def brussels_date(value: dt.datetime | None) -> str:
    """A day in Brussels (for dates that are not deadlines: published on, answered on)."""
    if value is None:
        return "–"
    return formats.date_format(value.astimezone(BRUSSELS), "DATE_FORMAT")


@register.filter
def money(value: Any, currency: str = "EUR") -> str:
    """12 500,00 EUR as "EUR 12,500" in English (grouped, whole units when exact)."""
    if value is None or value == "":
        return "–"
    whole = value == value.to_integral_value() if hasattr(value, "to_integral_value") else False
    amount = intcomma(int(value)) if whole else intcomma(f"{value:.2f}")
    return f"{currency} {amount}"


@register.filter
def now_before(value: dt.datetime | None) -> bool:
    """Whether the moment is still ahead."""
    return value is not None and timezone.now() < value
