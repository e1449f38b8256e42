"""Mounted at /api/v1/ (outside i18n_patterns): Ninja's routes in the "api-v1" namespace."""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.urls import URLPattern

from .api import api
from .problems import CONTENT_TYPE, method_not_allowed

urlpatterns, _ninja, app_name = api.urls


def _problem_for_405(view: Callable[..., HttpResponse]) -> Callable[..., HttpResponse]:
    """Ninja answers a known path's unknown method itself, in plain text: make it a problem."""

    @functools.wraps(view)  # keeps csrf_exempt: tokens, not cookies, authenticate the API
    def wrapped(request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        response = view(request, *args, **kwargs)
        if response.status_code == 405 and response.get("Content-Type") != CONTENT_TYPE:
            return method_not_allowed(request, allow=response.get("Allow", ""))
        return response

    return wrapped


for _pattern in urlpatterns:
    if isinstance(_pattern, URLPattern):
        _pattern.callback = _problem_for_405(_pattern.callback)
