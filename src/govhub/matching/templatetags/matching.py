"""Template tags the other apps' pages place: CPV suggestions on forms, recommendations.

{% load matching %}
{% cpv_suggest source="#id_problem" target="#id_cpv_codes" %}   (in the form)
{% cpv_suggest_script %}                                          (in {% block scripts %})
{% need_recommendations need %}  {% challenge_recommendations challenge %}
{% company_recommendations organisation %}
"""

from __future__ import annotations

from typing import Any

from django import template
from django.templatetags.static import static
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import gettext as _

from govhub.matching import recommend

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


def _codes(obj: Any, field: str = "cpv_codes") -> list[str]:
    return [c.digits for c in getattr(obj, field).all()]


def _nuts(obj: Any) -> str:
    region = getattr(obj, "nuts_region", None)
    return region.code if region is not None else ""


@register.inclusion_tag("matching/includes/recommendations.html")
def need_recommendations(need: Any) -> dict[str, Any]:
    """Similar published needs elsewhere (to pool demand) and reusable catalogue solutions."""
    body = f"{need.problem}\n{need.expected_outcomes}"
    codes = _codes(need)
    similar = recommend.similar_documents(
        kind="need",
        title=need.title,
        body=body,
        cpv_codes=codes,
        nuts=_nuts(need),
        exclude_public_id=str(need.public_id),
    )
    solutions = recommend.similar_documents(
        kind="solution", title=need.title, body=body, cpv_codes=codes
    )
    return {
        "recommendations": similar + solutions,
        "heading": _("Similar needs and reusable solutions"),
        "heading_id": "need",
    }


@register.inclusion_tag("matching/includes/recommendations.html")
def challenge_recommendations(challenge: Any) -> dict[str, Any]:
    """Companies and catalogue solutions likely to answer the challenge."""
    body = f"{challenge.summary}\n{challenge.description}"
    codes = _codes(challenge)
    companies = recommend.companies_for(
        title=challenge.title, body=body, cpv_codes=codes, nuts=_nuts(challenge)
    )
    solutions = recommend.similar_documents(
        kind="solution", title=challenge.title, body=body, cpv_codes=codes
    )
    return {
        "recommendations": companies + solutions,
        "heading": _("Who could answer this challenge"),
        "heading_id": "challenge",
    }


@register.inclusion_tag("matching/includes/recommendations.html")
def company_recommendations(organisation: Any) -> dict[str, Any]:
    """Open opportunities the company is likely to win."""
    return {
        "recommendations": recommend.opportunities_for_company(organisation),
        "heading": _("Opportunities you could win"),
        "heading_id": "company",
    }
