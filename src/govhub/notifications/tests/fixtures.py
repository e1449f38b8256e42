"""Fixtures for notifications tests (shared with other apps via the root conftest)."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from govhub.notifications.models import Notification


@pytest.fixture
def make_notification(db: Any) -> Callable[..., Notification]:
    """``make_notification(user, subject="...")``: a notification made directly (no email)."""

    def make(recipient: Any, **fields: Any) -> Notification:
        fields.setdefault("kind", "participation.reply")
        fields.setdefault("subject", "Someone replied to your comment")
        fields.setdefault("body", "“I agree with the proposal.”")
        fields.setdefault("url", "/participation/")
        return Notification.objects.create(recipient=recipient, **fields)

    return make
