from __future__ import annotations

from typing import Any

from allauth.account.adapter import DefaultAccountAdapter
from allauth.account.internal.flows.login import (
    get_authentication_records,
    record_authentication,
)
from allauth.core import ratelimit
from django.conf import settings
from django.contrib.auth.base_user import AbstractBaseUser
from django.db import transaction
from django.http import HttpRequest, HttpResponse
from django.http.response import HttpResponseRedirectBase
from django.urls import translate_url
from django.utils import translation

from govhub.core.audit import audit_record

from .models import User


class AccountAdapter(DefaultAccountAdapter):
    """GovHub's hooks into django-allauth (sign-up, email, login flow)."""

    def post_login(
        self, request: HttpRequest, user: AbstractBaseUser, **kwargs: Any
    ) -> HttpResponse:
        """On sign-in: switch to the user's preferred language; note a fresh password entry.

        The language lives in the URL prefix, so switching means redirecting to the translated
        address of wherever the login was going.
        """
        self._count_password_sign_in_as_recent(request, user)
        language = getattr(user, "preferred_language", "")
        if language not in dict(settings.LANGUAGES):
            return super().post_login(request, user, **kwargs)
        # Under the preferred language, the default destination is reversed with its prefix
        # and the "signed in" message is written in that language.
        with translation.override(language):
            response = super().post_login(request, user, **kwargs)
        if isinstance(response, HttpResponseRedirectBase):
            # An explicit ?next= address is still in the language of the sign-in page.
            response["Location"] = translate_url(response["Location"], language)
        return response

    @staticmethod
    def _count_password_sign_in_as_recent(request: HttpRequest, user: AbstractBaseUser) -> None:
        """A password typed to sign in counts as recent re-authentication, for a few minutes.

        allauth asks for the password again before two-factor set-up unless the user has
        re-authenticated; a buyer sent to that set-up seconds after signing in would be asked
        twice in a row. Sign-in by email link only does not count.
        """
        records = get_authentication_records(request, user)
        if any(record.get("method") == "password" for record in records):
            record_authentication(request, user, method="password", reauthenticated=True)

    def authentication_failed(self, request: HttpRequest, **credentials: Any) -> None:
        """Audit the failed attempt that locks an account's sign-in (once per lockout)."""
        super().authentication_failed(request, **credentials)
        key = self._get_login_attempts_cache_key(request, **credentials)
        if ratelimit.consume(request, action="login_failed", key=key, dry_run=True):
            return
        email = str(credentials.get("email") or credentials.get("username") or "")
        user = User.objects.filter(email__iexact=email).first() if email else None
        if user is None:
            # Guessed addresses are not personal data of anyone we know; nothing to audit.
            return
        with transaction.atomic():
            audit_record(
                actor=None,
                action="user.login_locked_out",
                obj=user,
                object_label=str(user.public_id),
            )
