from __future__ import annotations

from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.urls import translate_url
from django.utils.translation import get_language


def govhub(request: HttpRequest) -> dict[str, Any]:
    """Site-wide template context: the language switcher's links and the demo notice."""
    current = get_language() or settings.LANGUAGE_CODE
    path = request.get_full_path()
    languages = [
        {
            "code": code,
            "name": name,
            "current": code == current,
            "href": translate_url(path, code),
        }
        for code, name in settings.LANGUAGES
    ]
    return {
        "govhub_languages": languages,
        "govhub_demo_mode": settings.GOVHUB_DEMO_MODE,
    }
