"""Template helpers for the account pages that allauth renders (its views, our templates)."""

from __future__ import annotations

from typing import Any

from django import template

from govhub.accounts.selectors import two_factor_waived
from govhub.organisations.selectors import user_requires_two_factor

register = template.Library()


@register.simple_tag
def two_factor_required(user: Any) -> bool:
    """Whether the user's roles oblige them to keep two-factor authentication on."""
    return user_requires_two_factor(user=user) and not two_factor_waived(user=user)
