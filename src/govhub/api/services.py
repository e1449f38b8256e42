"""Writes for API tokens: create (the plaintext is returned once) and revoke."""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.organisations.models import Organisation

from . import permissions
from .models import ApiToken, Scope

TOKEN_PREFIX = "ghb_"  # noqa: S105 (marks GovHub tokens for secret scanners)
PREFIX_LENGTH = 12


def hash_token(plaintext: str) -> str:
    return hashlib.sha256(plaintext.encode()).hexdigest()


@dataclass(frozen=True)
class NewToken:
    token: ApiToken
    plaintext: str  # shown to its creator once; never stored


def _facts(token: ApiToken) -> dict[str, Any]:
    return {
        "name": token.name,
        "scopes": list(token.scopes),
        "prefix": token.prefix,
        "expires_at": token.expires_at,
        "revoked_at": token.revoked_at,
    }


def api_token_create(
    *,
    actor: Any,
    organisation: Organisation,
    name: str,
    scopes: Iterable[str],
    expires_at: dt.datetime | None = None,
) -> NewToken:
    """A new token acting as ``actor`` within ``organisation`` (admins only)."""
    if not permissions.can_manage_tokens(actor, organisation):
        raise NotAllowed(_("Only the organisation's administrators can create API tokens."))
    name = (name or "").strip()
    wanted = sorted(set(scopes))
    errors: dict[str, list[str]] = {}
    if not name:
        errors["name"] = [_("Enter a name for the token.")]
    elif len(name) > 100:
        errors["name"] = [_("The name must be 100 characters or fewer.")]
    if not wanted:
        errors["scopes"] = [_("Choose at least one scope.")]
    elif not set(wanted) <= set(Scope.values):
        errors["scopes"] = [_("Choose scopes from the list.")]
    if expires_at is not None and expires_at <= timezone.now():
        errors["expires_at"] = [_("The expiry date must be in the future.")]
    if errors:
        raise InvalidInput(_("The token could not be created."), field_errors=errors)
    plaintext = TOKEN_PREFIX + secrets.token_urlsafe(32)
    with transaction.atomic():
        token = ApiToken.objects.create(
            organisation=organisation,
            name=name,
            scopes=wanted,
            created_by=actor,
            prefix=plaintext[:PREFIX_LENGTH],
            token_hash=hash_token(plaintext),
            expires_at=expires_at,
        )
        audit_record(
            actor=actor,
            action="api_token.create",
            obj=token,
            object_label=token.name,
            organisation_id=organisation.public_id,
            after=_facts(token),
        )
    return NewToken(token=token, plaintext=plaintext)


def api_token_revoke(*, actor: Any, token: ApiToken) -> ApiToken:
    """Revoke a token at once (admins of its organisation only)."""
    if not permissions.can_manage_tokens(actor, token.organisation):
        raise NotAllowed(_("Only the organisation's administrators can revoke API tokens."))
    with transaction.atomic():
        locked = ApiToken.objects.select_for_update().get(pk=token.pk)
        if locked.revoked_at is not None:
            raise InvalidTransition(_("This token is already revoked."), code="already_revoked")
        before = _facts(locked)
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at", "updated_at"])
        audit_record(
            actor=actor,
            action="api_token.revoke",
            obj=locked,
            object_label=locked.name,
            organisation_id=token.organisation.public_id,
            before=before,
            after=_facts(locked),
        )
    return locked


def api_token_touch(token: ApiToken) -> None:
    """Record use, at most once a minute: not a state change worth an audit event."""
    now = timezone.now()
    if token.last_used_at is None or now - token.last_used_at > dt.timedelta(minutes=1):
        ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        token.last_used_at = now
