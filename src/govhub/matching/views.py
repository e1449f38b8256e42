"""The CPV suggestion fragment, and the recommendation panels the pages load after themselves.

A panel answers 404 to anyone who may not see it, as if the object had no recommendations
page: whether a draft exists, or what a company could win, is not for outsiders to probe.
The draft text for suggestions comes by POST (with the CSRF token): a draft is nobody's
business in server logs, browser history or a proxy's URL limits. Each suggestion runs the
model, so the fragment is rate-limited per address like the API's anonymous calls, and
shares their count: a script gains nothing by switching from one to the other.
"""

from __future__ import annotations

import math
from dataclasses import asdict
from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET, require_POST

from govhub.api.auth import anonymous_key, count_request

from . import permissions, selectors


@require_POST
def cpv_suggest(request: HttpRequest) -> HttpResponse:
    """The likeliest CPV codes for the posted ``text``, as a list of buttons (a partial)."""
    allowed, wait = count_request(*anonymous_key(request))
    if not allowed:
        response = render(
            request, "matching/includes/cpv_suggestions.html", {"limited": True}, status=429
        )
        response["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
    text = request.POST.get("text", "")[: selectors.MAX_TEXT]
    found = selectors.cpv_suggestions(text)
    return render(
        request,
        "matching/includes/cpv_suggestions.html",
        {"rows": found.suggestions, "available": found.available, "has_text": bool(text.strip())},
    )


def _panel_response(
    request: HttpRequest, panel: selectors.RecommendationPanel, *, subject: str, back: str
) -> HttpResponse:
    """The panel alone for htmx (it replaces the page's placeholder), else a page of its own."""
    context: dict[str, Any] = {
        **asdict(panel),
        "visible": True,
        "groups": [group for group in panel.groups if group.items],
    }
    if getattr(request, "htmx", False):
        response = render(request, "matching/includes/recommendations_panel.html", context)
    else:
        response = render(
            request,
            "matching/recommendations.html",
            {**context, "page": True, "subject": subject, "back": back},
        )
    patch_vary_headers(response, ["HX-Request"])
    patch_cache_control(response, private=True)
    return response


@require_GET
def need_recommendations(request: HttpRequest, public_id: UUID) -> HttpResponse:
    from govhub.needs import selectors as need_selectors

    need = need_selectors.need_detail(public_id=public_id)
    if need is None or not permissions.may_see_need_recommendations(request.user, need):
        raise Http404
    # In place on the need's page, leave out what its pooling suggestions already list.
    shown = need_selectors.similar_needs(need) if getattr(request, "htmx", False) else []
    return _panel_response(
        request,
        selectors.need_panel(need, shown=shown),
        subject=need.title,
        back=reverse("needs:detail", args=[need.public_id]),
    )


@require_GET
def challenge_recommendations(request: HttpRequest, public_id: UUID) -> HttpResponse:
    from govhub.challenges import selectors as challenge_selectors

    challenge = challenge_selectors.challenge_detail(public_id=public_id)
    if challenge is None or not permissions.may_see_challenge_recommendations(
        request.user, challenge
    ):
        raise Http404
    return _panel_response(
        request,
        selectors.challenge_panel(challenge),
        subject=challenge.title,
        back=reverse("challenges:detail", args=[challenge.public_id]),
    )


@require_GET
def company_recommendations(request: HttpRequest, public_id: UUID) -> HttpResponse:
    from govhub.organisations import selectors as org_selectors

    organisation = org_selectors.organisation_detail(public_id=public_id)
    if organisation is None or not permissions.may_see_company_recommendations(
        request.user, organisation
    ):
        raise Http404
    return _panel_response(
        request,
        selectors.company_panel(organisation),
        subject=organisation.name,
        back=reverse("organisations:detail", args=[organisation.public_id]),
    )
