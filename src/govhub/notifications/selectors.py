"""Reads: a person's inbox, unread count and email preferences."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.db.models import Case, IntegerField, QuerySet, Value, When

from .models import ALL_GROUPS, DeliveryMode, Notification, NotificationPreference

DEFAULT_MODE = DeliveryMode.IMMEDIATE.value


def inbox(user: Any) -> QuerySet[Notification]:
    """The user's notifications, unread first, newest first within each."""
    return (
        Notification.objects.filter(recipient=user)
        .annotate(
            unread_first=Case(
                When(read_at__isnull=True, then=Value(0)),
                default=Value(1),
                output_field=IntegerField(),
            )
        )
        .order_by("unread_first", "-created_at", "-id")
    )


def unread_count(user: Any) -> int:
    if not getattr(user, "is_authenticated", False):
        return 0
    return Notification.objects.filter(recipient=user, read_at__isnull=True).count()


def preferences_of(user: Any) -> dict[str, str]:
    """The user's stored modes by group ("*" for every group without its own)."""
    return dict(NotificationPreference.objects.filter(user=user).values_list("group", "mode"))


def mode_for(preferences: dict[str, str], group: str) -> str:
    return preferences.get(group) or preferences.get(ALL_GROUPS) or DEFAULT_MODE


def modes_for_users(user_ids: Iterable[int], group: str) -> dict[int, str]:
    """Each user's mode for one group, in one query (default: immediate)."""
    ids = list(user_ids)
    stored: dict[int, dict[str, str]] = {pk: {} for pk in ids}
    for user_id, pref_group, mode in NotificationPreference.objects.filter(
        user_id__in=ids, group__in=[group, ALL_GROUPS]
    ).values_list("user_id", "group", "mode"):
        stored[user_id][pref_group] = mode
    return {pk: mode_for(prefs, group) for pk, prefs in stored.items()}
