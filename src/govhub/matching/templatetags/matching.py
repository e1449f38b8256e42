"""Template tags the other apps' pages place: CPV suggestions on forms, recommendations.

{% load matching %}
{% cpv_suggest source="#id_title, #id_problem" target="#id_cpv_codes" %}   (in the form)
{% cpv_suggest_script %}                                     (in {% block scripts %})
{% need_recommendations need %}  {% challenge_recommendations challenge %}
{% company_recommendations organisation %}                   (plain lists, no permission check)

The pages place the ``…_panel`` tags instead: they decide who sees the recommendations (the
owning buyers, the company's members) and render a placeholder that htmx replaces with the
panel from ``matching:<kind>-recommendations`` (a page of its own without JavaScript). The
panel says why it is empty when no model is trained, and re-checks that every recommended
need, challenge or solution is still published.
"""

from __future__ import annotations

import re
from typing import Any

from django import template
from django.conf import settings
from django.template import Context
from django.templatetags.static import static
from django.urls import reverse, translate_url
from django.utils.html import format_html
from django.utils.safestring import SafeString
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from govhub.matching import recommend
from govhub.matching.store import current_suggester

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


# -- panels the pages place: who sees them, and what they say when there is nothing --------

_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
PANEL_LIMIT = recommend.LIMIT


def _viewer(context: Context | dict[str, Any]) -> Any:
    request = context.get("request")
    user = getattr(request, "user", None)
    return user if user is not None else context.get("user")


def may_see_need_recommendations(user: Any, need: Any) -> bool:
    """The need's own buyers, as for the pooling suggestions: they decide what to reuse."""
    from govhub.needs import permissions as need_permissions
    from govhub.needs.models import NeedStatus

    return need.status in (NeedStatus.DRAFT, NeedStatus.PUBLISHED) and bool(
        need_permissions.sees_similar_needs(user, need)
    )


def may_see_challenge_recommendations(user: Any, challenge: Any) -> bool:
    """Buyers of the lead or of a co-buying authority, while the challenge is being run."""
    from govhub.challenges.models import ChallengeStatus
    from govhub.organisations import permissions as org_permissions
    from govhub.organisations.models import Membership, OrganisationKind, VerificationStatus

    if challenge.status not in (ChallengeStatus.DRAFT, ChallengeStatus.PUBLISHED):
        return False
    if not org_permissions.is_signed_in(user):
        return False
    return Membership.objects.filter(
        user=user,
        is_buyer=True,
        organisation__kind=OrganisationKind.AUTHORITY,
        organisation__status=VerificationStatus.VERIFIED,
        organisation__challenge_buyers__challenge=challenge,
    ).exists()


def may_see_company_recommendations(user: Any, organisation: Any) -> bool:
    """A company's members only: what it could win says much about its plans."""
    from govhub.organisations import permissions as org_permissions
    from govhub.organisations.models import OrganisationKind

    return organisation.kind == OrganisationKind.COMPANY and org_permissions.is_member(
        user, organisation
    )


def _public_ids(recs: list[recommend.Recommendation]) -> dict[str, recommend.Recommendation]:
    out = {}
    for rec in recs:
        found = _UUID.search(rec.url)
        if found:
            out[found.group(0)] = rec
    return out


def _localised(recs: list[recommend.Recommendation]) -> list[dict[str, Any]]:
    # The index stores the address in the language it was built in: show the viewer's.
    language = get_language() or settings.LANGUAGE_CODE
    return [
        {"title": r.title, "url": translate_url(r.url, language), "reasons": r.reasons}
        for r in recs
    ]


def _published_needs(
    recs: list[recommend.Recommendation], *, authority_id: int, hidden: set[str]
) -> list[recommend.Recommendation]:
    """Needs still published, of other authorities, not already listed on the page.

    The index admits only published needs; asking the needs table again (one query) keeps a
    stale index row from ever showing a need that is no longer public."""
    from govhub.needs.models import InnovationNeed, NeedStatus

    by_id = _public_ids(recs)
    allowed = {
        str(public_id)
        for public_id in InnovationNeed.objects.filter(
            public_id__in=list(by_id), status=NeedStatus.PUBLISHED
        )
        .exclude(authority_id=authority_id)
        .values_list("public_id", flat=True)
    }
    return [rec for pid, rec in by_id.items() if pid in allowed and pid not in hidden]


def _published_solutions(recs: list[recommend.Recommendation]) -> list[recommend.Recommendation]:
    from govhub.catalogue.models import Solution

    by_id = _public_ids(recs)
    allowed = {
        str(public_id)
        for public_id in Solution.objects.filter(
            public_id__in=list(by_id), status="published"
        ).values_list("public_id", flat=True)
    }
    return [rec for pid, rec in by_id.items() if pid in allowed]


def _published_challenges(
    recs: list[recommend.Recommendation],
) -> list[recommend.Recommendation]:
    from govhub.challenges.models import Challenge, ChallengeStatus

    by_id = _public_ids(recs)
    allowed = {
        str(public_id)
        for public_id in Challenge.objects.filter(
            public_id__in=list(by_id), status=ChallengeStatus.PUBLISHED
        ).values_list("public_id", flat=True)
    }
    return [rec for pid, rec in by_id.items() if pid in allowed]


def _shown_ids(shown: Any) -> set[str]:
    """Public ids of needs the page lists already (the needs app's pooling suggestions)."""
    ids = set()
    for item in shown or []:
        need = getattr(item, "need", item)
        public_id = getattr(need, "public_id", None)
        if public_id is not None:
            ids.add(str(public_id))
    return ids


def _panel(
    *,
    key: str,
    heading: str,
    audience: str,
    groups: list[tuple[str, list[recommend.Recommendation]]],
    listed_above: bool = False,
) -> dict[str, Any]:
    model_ready = current_suggester() is not None
    shown = [{"title": title, "items": _localised(items)} for title, items in groups if items]
    return {
        "visible": True,
        "key": key,
        "heading": heading,
        "audience": audience,
        "groups": shown,
        "model_ready": model_ready,
        "listed_above": listed_above,
    }


def need_panel(need: Any, *, shown: Any = None) -> dict[str, Any]:
    """Similar needs at other authorities and reusable solutions (ask ``may_see…`` first)."""
    body = f"{need.problem}\n{need.expected_outcomes}"
    codes = _codes(need)
    similar = recommend.similar_documents(
        kind="need",
        title=need.title,
        body=body,
        cpv_codes=codes,
        nuts=_nuts(need),
        exclude_public_id=str(need.public_id),
        limit=PANEL_LIMIT * 3,
    )
    needs = _published_needs(similar, authority_id=need.authority_id, hidden=_shown_ids(shown))
    solutions = recommend.similar_documents(
        kind="solution", title=need.title, body=body, cpv_codes=codes
    )
    return _panel(
        key="need",
        heading=_("Recommended for this need"),
        audience=_("Only the buyers of your authority see these recommendations."),
        groups=[
            (_("Similar needs at other authorities"), needs[:PANEL_LIMIT]),
            (_("Catalogue solutions you could reuse"), _published_solutions(solutions)),
        ],
        listed_above=bool(_shown_ids(shown)),
    )


def challenge_panel(challenge: Any) -> dict[str, Any]:
    """Companies and catalogue solutions likely to answer the challenge."""
    body = f"{challenge.summary}\n{challenge.description}"
    codes = _codes(challenge)
    companies = recommend.companies_for(
        title=challenge.title, body=body, cpv_codes=codes, nuts=_nuts(challenge)
    )
    solutions = recommend.similar_documents(
        kind="solution", title=challenge.title, body=body, cpv_codes=codes
    )
    return _panel(
        key="challenge",
        heading=_("Who could answer this challenge"),
        audience=_("Only the buyers of this challenge see these recommendations."),
        groups=[
            (_("Companies"), companies),
            (_("Catalogue solutions"), _published_solutions(solutions)),
        ],
    )


def company_panel(organisation: Any) -> dict[str, Any]:
    """Published challenges and open TED calls the company is likely to win."""
    codes = _codes(organisation, "cpv_capabilities")
    challenges: list[recommend.Recommendation] = []
    if codes or organisation.description:
        challenges = recommend.similar_documents(
            kind="challenge",
            title=organisation.name,
            body=organisation.description,
            cpv_codes=codes,
            nuts=_nuts(organisation),
            status="published",
        )
    return _panel(
        key="company",
        heading=_("Opportunities you could win"),
        audience=_("Only the members of your company see these recommendations."),
        groups=[
            (_("Challenges on GovHub"), _published_challenges(challenges)),
            (
                _("Open calls for tenders published on TED"),
                recommend.opportunities_for_company(organisation),
            ),
        ],
    )


# -- what the pages place: a placeholder that loads the panel after the page --------------------
# Recommendations take a few queries and some arithmetic: the page itself stays as fast as
# before, and htmx fetches the panel as soon as the page has loaded. Without JavaScript the
# placeholder is a link to the same panel on a page of its own.

MAY_SEE = {
    "need": may_see_need_recommendations,
    "challenge": may_see_challenge_recommendations,
    "company": may_see_company_recommendations,
}


def _placeholder(context: Context, key: str, obj: Any) -> dict[str, Any]:
    if not MAY_SEE[key](_viewer(context), obj):
        return {"visible": False}
    headings = {
        "need": _("Recommended for this need"),
        "challenge": _("Who could answer this challenge"),
        "company": _("Opportunities you could win"),
    }
    return {
        "visible": True,
        "key": key,
        "heading": headings[key],
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
