"""Emails rendered from plain-text templates in the recipient's language.

Every email carries RFC 8058 one-click unsubscribe headers: mail programs show an
"Unsubscribe" button that POSTs to the signed link, without signing in.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from .groups import group_label
from .models import ALL_GROUPS, Notification
from .tokens import unsubscribe_token


def language_of(user: Any) -> str:
    language = getattr(user, "preferred_language", "") or ""
    return language if language in dict(settings.LANGUAGES) else settings.LANGUAGE_CODE


def absolute(url: str) -> str:
    if not url or url.startswith(("http://", "https://")):
        return url
    return settings.GOVHUB_SITE_URL.rstrip("/") + "/" + url.lstrip("/")


def _links(user: Any, group: str) -> dict[str, str]:
    """Absolute links, in the active language (call inside translation.override)."""
    return {
        "unsubscribe_url": absolute(
            reverse("notifications:unsubscribe", args=[unsubscribe_token(user, group)])
        ),
        "preferences_url": absolute(reverse("notifications:preferences")),
        "inbox_url": absolute(reverse("notifications:inbox")),
    }


def _message(user: Any, subject: str, body: str, unsubscribe_url: str) -> EmailMessage:
    return EmailMessage(
        subject=" ".join(subject.split()),  # no line breaks in a header
        body=body,
        from_email=settings.DEFAULT_FROM_EMAIL,
        to=[user.email],
        headers={
            "List-Unsubscribe": f"<{unsubscribe_url}>",
            "List-Unsubscribe-Post": "List-Unsubscribe=One-Click",
            "Auto-Submitted": "auto-generated",
        },
    )


def immediate_message(notification: Notification) -> EmailMessage:
    user = notification.recipient
    with translation.override(language_of(user)):
        links = _links(user, notification.group)
        context = {
            "user": user,
            "notification": notification,
            "url": absolute(notification.url),
            "group_label": group_label(notification.group),
            **links,
        }
        subject = render_to_string("notifications/email/immediate_subject.txt", context)
        body = render_to_string("notifications/email/immediate_body.txt", context)
    return _message(user, subject, body, links["unsubscribe_url"])


def digest_message(user: Any, notifications: Sequence[Notification]) -> EmailMessage:
    with translation.override(language_of(user)):
        links = _links(user, ALL_GROUPS)
        context = {
            "user": user,
            "items": [{"notification": n, "url": absolute(n.url)} for n in notifications],
            "count": len(notifications),
            **links,
        }
        subject = render_to_string("notifications/email/digest_subject.txt", context)
        body = render_to_string("notifications/email/digest_body.txt", context)
    return _message(user, subject, body, links["unsubscribe_url"])
