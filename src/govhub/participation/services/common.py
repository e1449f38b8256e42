"""Helpers every participation service shares: clean text, rate limits, notifications."""

from __future__ import annotations

import html
import re
from collections.abc import Iterable
from typing import Any

import nh3
from django.core.cache import cache
from django.db.models import Model
from django.utils.translation import gettext as _

from govhub.core.errors import InvalidInput, NotAllowed
from govhub.organisations import permissions as org_permissions

# Posting limits per person and hour (flood protection).
RATE_LIMITS: dict[str, int] = {"idea": 5, "comment": 30, "report": 10}
RATE_WINDOW = 3600

_BLANK_LINES = re.compile(r"\n{3,}")


def clean_text(value: Any) -> str:
    """Plain text: every HTML tag removed (its text kept), line breaks normalised.

    Stored unescaped; templates escape it and turn line breaks into <br>.
    """
    text = str(value or "").replace("\r\n", "\n").replace("\r", "\n")
    text = html.unescape(nh3.clean(text, tags=set(), attributes={}))
    return _BLANK_LINES.sub("\n\n", text).strip()


def required_text(value: Any, *, field: str, message: str, max_length: int | None = None) -> str:
    text = clean_text(value)
    if not text:
        raise InvalidInput(message, field_errors={field: [message]})
    if max_length is not None and len(text) > max_length:
        too_long = _("Use %(max)d characters or fewer") % {"max": max_length}
        raise InvalidInput(too_long, field_errors={field: [too_long]})
    return text


def require_signed_in(actor: Any) -> None:
    if not org_permissions.is_signed_in(actor):
        raise NotAllowed(_("You need to sign in first."), code="not_signed_in")


def _rate_key(kind: str, actor: Any) -> str:
    return f"participation:rate:{kind}:{actor.pk}"


def check_rate(kind: str, actor: Any) -> None:
    """Refuse when the person has already posted the hour's allowance of this kind."""
    limit = RATE_LIMITS[kind]
    if int(cache.get(_rate_key(kind, actor), 0)) >= limit:
        raise NotAllowed(
            _(
                "You have posted a lot in the last hour. Wait a while before posting again: "
                "what you typed is kept below."
            ),
            code="rate_limited",
        )


def count_rate(kind: str, actor: Any) -> None:
    key = _rate_key(kind, actor)
    if cache.add(key, 1, RATE_WINDOW):
        return
    try:
        cache.incr(key)
    except ValueError:  # expired in between
        cache.add(key, 1, RATE_WINDOW)


def notify(
    *,
    recipients: Iterable[Any],
    kind: str,
    subject: str,
    body: str,
    url: str,
    actor: Any = None,
    related: Model | None = None,
) -> int:
    """Hand over to the platform's notifications (in-platform and email, per preference).

    Nobody is notified of what they did themselves; the erased (None) are skipped.
    """
    from govhub.notifications.services import notify as platform_notify

    seen: set[int] = set()
    people = []
    for person in recipients:
        if person is None or person.pk in seen:
            continue
        if actor is not None and person.pk == getattr(actor, "pk", None):
            continue
        seen.add(person.pk)
        people.append(person)
    if not people:
        return 0
    return platform_notify(
        recipients=people,
        kind=kind,
        subject=subject,
        body=body,
        url=url,
        actor=actor,
        related=related,
    )
