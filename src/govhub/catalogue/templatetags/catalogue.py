"""Template helpers of the catalogue."""

from __future__ import annotations

from typing import Any

from django import template
from django.urls import NoReverseMatch, reverse

from ..rules import language_name

register = template.Library()


@register.simple_tag
def optional_url(name: str, **kwargs: Any) -> str:
    """The URL, or "" when the named page does not exist (yet): assessments pages live in
    another app."""
    try:
        return reverse(name, kwargs=kwargs)
    except NoReverseMatch:
        return ""


@register.filter
def language_label(code: str) -> str:
    from django.utils.translation import get_language

    return language_name(code, get_language())


@register.filter
def stars(rating: Any) -> str:
    try:
        value = round(float(rating))
    except (TypeError, ValueError):
        return ""
    return "★" * value + "☆" * (5 - value)
