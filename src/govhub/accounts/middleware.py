from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.contrib import messages
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django_htmx.http import HttpResponseClientRedirect

from .selectors import two_factor_missing

# Pages a user must still reach before setting up two-factor authentication: the set-up
# itself (which may ask to re-enter the password), signing out, and machine endpoints.
# Matched by view name (namespace included), so every language prefix is covered.
EXEMPT_URL_NAMES = frozenset(
    {
        "account_logout",
        "account_reauthenticate",
        "health",
    }
)
EXEMPT_URL_NAME_PREFIXES = ("mfa_",)
# Static files never reach a view in production (WhiteNoise answers first); in development
# they go through `runserver`'s handler, and media through a plain path.
EXEMPT_PATH_PREFIXES = ("/static/", "/media/")

REQUEST_CACHE_ATTR = "_govhub_two_factor_missing"


def request_two_factor_missing(request: HttpRequest) -> bool:
    """:func:`two_factor_missing` for the request's user, computed once per request."""
    cached = getattr(request, REQUEST_CACHE_ATTR, None)
    if cached is None:
        cached = two_factor_missing(request.user)
        setattr(request, REQUEST_CACHE_ATTR, cached)
    return bool(cached)


class RequireTwoFactorMiddleware:
    """Sends users whose roles require two-factor authentication to set it up first.

    Buyers, evaluators and moderators without an authenticator app reach only the two-factor
    pages and sign-out until they have one. Demo accounts are waived while in demo mode
    (base.html tells them so).
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)

    def process_view(
        self,
        request: HttpRequest,
        view_func: Callable[..., Any],
        view_args: tuple[Any, ...],
        view_kwargs: dict[str, Any],
    ) -> HttpResponse | None:
        if not request.user.is_authenticated or self._is_exempt(request):
            return None
        if not request_two_factor_missing(request):
            return None
        target = reverse("mfa_activate_totp")
        if getattr(request, "htmx", False):
            return HttpResponseClientRedirect(target)
        messages.warning(
            request,
            _(
                "Your role as a buyer, evaluator or moderator requires two-factor "
                "authentication. Set up an authenticator app to continue."
            ),
        )
        return HttpResponseRedirect(target)

    @staticmethod
    def _is_exempt(request: HttpRequest) -> bool:
        if request.path_info.startswith(EXEMPT_PATH_PREFIXES):
            return True
        match = request.resolver_match
        name = match.view_name if match else None
        if not name:
            return False
        return name in EXEMPT_URL_NAMES or name.startswith(EXEMPT_URL_NAME_PREFIXES)
