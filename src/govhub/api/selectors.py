"""Reads for API tokens and the reference vocabularies the API lists."""

from __future__ import annotations

from django.db.models import QuerySet
from django.utils import timezone

from govhub.organisations.models import Membership, Organisation
from govhub.reference.models import CpvCode, NutsRegion
from govhub.reference.selectors import fold, nuts_country_code

from .models import ApiToken
from .services import hash_token


def tokens_of(*, organisation: Organisation) -> QuerySet[ApiToken]:
    return ApiToken.objects.filter(organisation=organisation).select_related("created_by")


def live_token(*, plaintext: str) -> ApiToken | None:
    """The token with this secret if it is neither revoked nor expired, and its creator is
    still an active member of its organisation (re-checked on every request)."""
    token = (
        ApiToken.objects.select_related("organisation", "created_by")
        .filter(token_hash=hash_token(plaintext), revoked_at__isnull=True)
        .first()
    )
    if token is None:
        return None
    if token.expires_at is not None and token.expires_at <= timezone.now():
        return None
    if not token.created_by.is_active:
        return None
    if not Membership.objects.filter(
        organisation_id=token.organisation_id, user_id=token.created_by_id
    ).exists():
        return None
    return token


def _words(text: str) -> list[str]:
    return [w for w in fold(text).split() if w]


def cpv_codes(*, query: str | None = None, prefix: str | None = None) -> QuerySet[CpvCode]:
    qs = CpvCode.objects.order_by("digits")
    digits = "".join(ch for ch in (prefix or "") if ch.isdigit())[:8]
    if digits:
        qs = qs.filter(digits__startswith=digits)
    for word in _words(query or ""):
        qs = qs.filter(search_text__contains=word)
    return qs


def nuts_regions(*, query: str | None = None, country: str | None = None) -> QuerySet[NutsRegion]:
    qs = NutsRegion.objects.order_by("code")
    if country:
        qs = qs.filter(country_code=nuts_country_code(country))
    for word in _words(query or ""):
        qs = qs.filter(search_text__contains=word)
    return qs
