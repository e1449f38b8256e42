"""The API answers in the client's language."""

from __future__ import annotations

from collections.abc import Callable

from django.http import HttpRequest, HttpResponse
from django.utils import translation

API_PREFIX = "/api/"


class ApiLanguageMiddleware:
    """Activates the language of the request's Accept-Language (or language cookie) on API
    paths; English when it names none GovHub speaks.

    The API lives outside ``i18n_patterns``, whose unprefixed paths mean the default language
    (``prefix_default_language=False``): LocaleMiddleware activates English there whatever the
    client asks. Endpoints could override it themselves, but request validation (pydantic)
    and the problem handlers run outside them, so their messages stayed English. Installed
    right after LocaleMiddleware, which then sends this language as Content-Language and
    already varies API responses on Accept-Language.
    """

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if request.path_info.startswith(API_PREFIX):
            language = translation.get_language_from_request(request, check_path=False)
            translation.activate(language)
            request.LANGUAGE_CODE = language
        return self.get_response(request)
