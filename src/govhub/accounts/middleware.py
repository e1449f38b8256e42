from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse


class RequireTwoFactorMiddleware:
    """Sends users whose roles require two-factor authentication to set it up first.

    Filled in by the accounts work; until then it lets every request through.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        return self.get_response(request)
