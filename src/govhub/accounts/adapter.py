from __future__ import annotations

from allauth.account.adapter import DefaultAccountAdapter


class AccountAdapter(DefaultAccountAdapter):
    """GovHub's hooks into django-allauth (sign-up, email, login flow)."""
