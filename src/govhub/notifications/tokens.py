"""Signed one-click unsubscribe tokens: they stand in for signing in, for one person only."""

from __future__ import annotations

import uuid
from typing import Any

from django.core import signing

from govhub.accounts.models import User

from .models import ALL_GROUPS

SALT = "govhub.notifications.unsubscribe"


def unsubscribe_token(user: Any, group: str = ALL_GROUPS) -> str:
    """A token that unsubscribes ``user`` from the emails of ``group`` ("*": all emails)."""
    return signing.dumps({"u": str(user.public_id), "g": group}, salt=SALT, compress=True)


def read_unsubscribe_token(token: str) -> tuple[User, str] | None:
    """The person and group a token names, or None when it was altered or names nobody."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("g"), str):
        return None
    try:
        public_id = uuid.UUID(str(data.get("u")))
    except ValueError:
        return None
    user = User.objects.filter(public_id=public_id).first()
    if user is None:
        return None
    return user, data["g"]
