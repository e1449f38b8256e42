"""Template tags the other apps' pages place: CPV suggestions on forms, recommendation panels.

{% load matching %}
{% cpv_suggest source="#id_title, #id_problem" target="#id_cpv_codes" %}   (in the form)
{% cpv_suggest_script %}                                     (in {% block scripts %})
{% need_recommendations_panel need %}  {% challenge_recommendations_panel challenge %}
{% company_recommendations_panel organisation %}

The ``…_panel`` tags decide who sees the recommendations (``matching.permissions``: the
owning buyers, the company's members) and render a placeholder that htmx replaces with the
panel from ``matching:<kind>-recommendations`` (a page of its own without JavaScript), built
by ``matching.selectors``. The panel says why it is empty when no model is trained.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django import template
from django.template import Context
from django.templatetags.static import static
from django.urls import reverse
from django.utils.html import format_html
from django.utils.safestring import SafeString

from govhub.matching import permissions
from govhub.matching.selectors import HEADINGS

register = template.Library()


@register.inclusion_tag("matching/includes/cpv_suggest.html")
def cpv_suggest(source: str, target: str) -> dict[str, Any]:
    return {"source": source, "target": target}


@register.simple_tag(takes_context=True)
def cpv_suggest_script(context: dict[str, Any]) -> SafeString:
    request = context.get("request")
    nonce = getattr(request, "csp_nonce", "") if request is not None else ""
    return format_html(
        '<script nonce="{}" src="{}" defer></script>', nonce, static("matching/cpv-suggest.js")
    )


# -- what the pages place: a placeholder that loads the panel after the page --------------------
# Recommendations take a few queries and some arithmetic: the page itself stays as fast as
# before, and htmx fetches the panel as soon as the page has loaded. Without JavaScript the
# placeholder is a link to the same panel on a page of its own.

MAY_SEE: dict[str, Callable[..., bool]] = {
    "need": permissions.may_see_need_recommendations,
    "challenge": permissions.may_see_challenge_recommendations,
    "company": permissions.may_see_company_recommendations,
}


def _viewer(context: Context | dict[str, Any]) -> Any:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None else context.get("user")


def _placeholder(context: Context, key: str, obj: Any) -> dict[str, Any]:
    if not MAY_SEE[key](_viewer(context), obj):
        return {"visible": False}
    return {
        "visible": True,
        "key": key,
        "heading": HEADINGS[key],
        "url": reverse(f"matching:{key}-recommendations", args=[obj.public_id]),
    }


@register.inclusion_tag("matching/includes/recommendations_slot.html", takes_context=True)
def need_recommendations_panel(context: Context, need: Any) -> dict[str, Any]:
    """For the need's buyers: similar needs at other authorities and reusable solutions."""
    return _placeholder(context, "need", need)


@register.inclusion_tag("matching/includes/recommendations_slot.html", takes_context=True)
def challenge_recommendations_panel(context: Context, challenge: Any) -> dict[str, Any]:
    """For the challenge's buyers: companies and catalogue solutions likely to answer it."""
    return _placeholder(context, "challenge", challenge)


@register.inclusion_tag("matching/includes/recommendations_slot.html", takes_context=True)
def company_recommendations_panel(context: Context, organisation: Any) -> dict[str, Any]:
    """For the company's members: open opportunities it is likely to win."""
    return _placeholder(context, "company", organisation)
