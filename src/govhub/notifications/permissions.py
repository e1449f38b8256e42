"""Pure predicates: who may do what with notifications and personal data."""

from __future__ import annotations

from typing import Any

from .models import Notification


def can_use_inbox(user: Any) -> bool:
    return bool(getattr(user, "is_authenticated", False) and user.is_active)


def can_read(user: Any, notification: Notification) -> bool:
    """Notifications are private to their recipient: nobody else, moderators included."""
    return can_use_inbox(user) and notification.recipient_id == user.pk


def can_erase_on_request(user: Any) -> bool:
    """Moderators erase accounts when a person asks them to (by email, by letter...)."""
    return bool(getattr(user, "is_authenticated", False) and getattr(user, "is_moderator", False))
