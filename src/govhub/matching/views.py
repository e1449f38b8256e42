"""The CPV suggestion fragment, and the recommendation panels the pages load after themselves.

A panel answers 404 to anyone who may not see it, as if the object had no recommendations
page: whether a draft exists, or what a company could win, is not for outsiders to probe.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.cache import patch_cache_control, patch_vary_headers
from django.views.decorators.http import require_GET

from govhub.reference.models import CpvCode

from .store import current_suggester
from .templatetags.matching import (
    challenge_panel,
    company_panel,
    may_see_challenge_recommendations,
    may_see_company_recommendations,
    may_see_need_recommendations,
    need_panel,
)

MAX_TEXT = 5000


@require_GET
def cpv_suggest(request: HttpRequest) -> HttpResponse:
    """Top five CPV codes for a text (``text``, or every field htmx includes), as a partial."""
    text = request.GET.get("text") or " ".join(
        str(v) for k, v in request.GET.items() if k not in {"target", "csrfmiddlewaretoken"}
    )
    text = text[:MAX_TEXT]
    suggester = current_suggester()
    suggestions = suggester.suggest(text) if suggester is not None and text.strip() else []
    labels = {c.digits: c for c in CpvCode.objects.filter(digits__in=[s.code for s in suggestions])}
    rows = [
        {"code": labels[s.code], "confidence": round(s.confidence * 100)}
        for s in suggestions
        if s.code in labels
    ]
    return render(
        request,
        "matching/includes/cpv_suggestions.html",
        {"rows": rows, "available": suggester is not None, "has_text": bool(text.strip())},
    )


def _panel_response(
    request: HttpRequest, panel: dict[str, Any], *, subject: str, back: str
) -> HttpResponse:
    """The panel alone for htmx (it replaces the page's placeholder), else a page of its own."""
    if getattr(request, "htmx", False):
        response = render(request, "matching/includes/recommendations_panel.html", panel)
    else:
        response = render(
            request,
            "matching/recommendations.html",
            {**panel, "page": True, "subject": subject, "back": back},
        )
    patch_vary_headers(response, ["HX-Request"])
    patch_cache_control(response, private=True)
    return response


@require_GET
def need_recommendations(request: HttpRequest, public_id: UUID) -> HttpResponse:
    from govhub.needs import selectors as need_selectors

    need = need_selectors.need_detail(public_id=public_id)
    if need is None or not may_see_need_recommendations(request.user, need):
        raise Http404
    # In place on the need's page, leave out what its pooling suggestions already list.
    shown = need_selectors.similar_needs(need) if getattr(request, "htmx", False) else []
    return _panel_response(
        request,
        need_panel(need, shown=shown),
        subject=need.title,
        back=reverse("needs:detail", args=[need.public_id]),
    )


@require_GET
def challenge_recommendations(request: HttpRequest, public_id: UUID) -> HttpResponse:
    from govhub.challenges import selectors as challenge_selectors

    challenge = challenge_selectors.challenge_detail(public_id=public_id)
    if challenge is None or not may_see_challenge_recommendations(request.user, challenge):
        raise Http404
    return _panel_response(
        request,
        challenge_panel(challenge),
        subject=challenge.title,
        back=reverse("challenges:detail", args=[challenge.public_id]),
    )


@require_GET
def company_recommendations(request: HttpRequest, public_id: UUID) -> HttpResponse:
    from govhub.organisations import selectors as org_selectors

    organisation = org_selectors.organisation_detail(public_id=public_id)
    if organisation is None or not may_see_company_recommendations(request.user, organisation):
        raise Http404
    return _panel_response(
        request,
        company_panel(organisation),
        subject=organisation.name,
        back=reverse("organisations:detail", args=[organisation.public_id]),
    )
