"""This app's part of a personal-data export and erasure (see govhub.accounts.privacy)."""

from __future__ import annotations

from typing import Any

from .models import Notification, NotificationPreference


def export_user(user: Any) -> dict[str, Any]:
    return {
        "preferences": [
            {"group": p.group, "mode": p.mode}
            for p in NotificationPreference.objects.filter(user=user).order_by("group")
        ],
        "notifications": [
            {
                "kind": n.kind,
                "subject": n.subject,
                "body": n.body,
                "url": n.url,
                "created_at": n.created_at.isoformat(),
                "read_at": n.read_at.isoformat() if n.read_at else None,
                "emailed_at": n.emailed_at.isoformat() if n.emailed_at else None,
            }
            for n in Notification.objects.filter(recipient=user).order_by("created_at", "id")
        ],
    }


def erase_user(user: Any) -> None:
    """The person's own notifications and settings go; others' no longer name them as actor."""
    Notification.objects.filter(recipient=user).delete()
    NotificationPreference.objects.filter(user=user).delete()
    Notification.objects.filter(actor=user).update(actor=None)
