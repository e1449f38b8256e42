"""Suggestion fragments for the CPV and NUTS pickers. Reference data is public: no login."""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.cache import patch_cache_control
from django.utils.translation import get_language
from django.views.decorators.http import require_GET

from . import selectors
from .forms import LookupForm

SUGGESTIONS = 12
_MAX_QUERY = 100


def _options(request: HttpRequest, options: list[dict[str, str]]) -> HttpResponse:
    response = render(request, "reference/_options.html", {"options": options})
    patch_cache_control(response, public=True, max_age=300)
    return response


@require_GET
def cpv_suggest(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:_MAX_QUERY]
    language = get_language() or "en"
    found = selectors.cpv_search(query, language=language, limit=SUGGESTIONS)
    return _options(request, [{"code": c.code, "label": c.label} for c in found])


@require_GET
def nuts_suggest(request: HttpRequest) -> HttpResponse:
    query = request.GET.get("q", "")[:_MAX_QUERY]
    country = request.GET.get("country", "")[:3] or None
    language = get_language() or "en"
    found = selectors.nuts_search(query, language=language, country=country, limit=SUGGESTIONS)
    return _options(request, [{"code": r.code, "label": r.label} for r in found])


@require_GET
def lookup(request: HttpRequest) -> HttpResponse:
    """Look up CPV codes and NUTS regions: the pickers on a page of their own."""
    form = LookupForm(request.GET if request.GET else None)
    cpv_codes: list[Any] = []
    region = None
    if form.is_bound and form.is_valid():
        cpv_codes = selectors.cpv_with_ancestors(form.cleaned_data["cpv"])
        region = form.cleaned_data["nuts"]
    return render(
        request,
        "reference/lookup.html",
        {
            "form": form,
            "cpv_codes": cpv_codes,
            "region": region,
            "region_ancestors": selectors.nuts_ancestors(region) if region else [],
        },
    )
