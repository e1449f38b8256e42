"""``{% load notifications %}{% notifications_link %}``: the header's "Notifications (3)" item."""

from __future__ import annotations

from typing import Any

from django import template

from govhub.notifications.selectors import unread_count

register = template.Library()


@register.inclusion_tag("notifications/includes/nav_link.html", takes_context=True)
def notifications_link(context: template.Context) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    signed_in = bool(getattr(user, "is_authenticated", False))
    view_name = getattr(getattr(request, "resolver_match", None), "view_name", "") or ""
    return {
        "signed_in": signed_in,
        "unread": unread_count(user) if signed_in else 0,
        "active": view_name.startswith("notifications:"),
    }


@register.simple_tag(takes_context=True)
def notifications_unread(context: template.Context) -> int:
    request = context.get("request")
    return unread_count(getattr(request, "user", None))
