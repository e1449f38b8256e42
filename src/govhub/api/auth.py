"""Bearer-token authentication and rate limits.

A token acts as its creator within its organisation and scopes; the creator's membership is
re-checked on every request, and the services re-check their roles. Rate-limit counters live
in the Django cache (the database cache: shared by every process).
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from typing import Any

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja.errors import AuthenticationError, Throttled
from ninja.security import HttpBearer
from ninja.throttling import BaseThrottle

from govhub.core.errors import NotAllowed

from . import selectors
from .models import ApiToken
from .services import api_token_touch

DEFAULT_TOKEN_RATE = "600/h"  # noqa: S105 (a rate, not a secret)
DEFAULT_ANON_RATE = "120/m"
_PERIODS = {"s": 1, "m": 60, "h": 3600, "d": 86400}


class TokenAuth(HttpBearer):
    def authenticate(self, request: HttpRequest, token: str) -> ApiToken:
        found = selectors.live_token(plaintext=token)
        if found is None:
            # Throttling runs after authentication: count failures per address here, so
            # that guessing tokens is limited like any anonymous traffic.
            allowed, wait = count_request(*anonymous_key(request))
            if not allowed:
                raise Throttled(wait=math.ceil(wait))
            raise AuthenticationError()
        api_token_touch(found)
        return found


def token_of(request: HttpRequest) -> ApiToken:
    token = getattr(request, "auth", None)
    if not isinstance(token, ApiToken):  # only reachable if an operation forgets auth=
        raise AuthenticationError()
    return token


def require_scope(request: HttpRequest, scope: str) -> ApiToken:
    token = token_of(request)
    if scope not in token.scopes:
        raise NotAllowed(
            _("This token does not have the “%(scope)s” scope.") % {"scope": scope},
            code="insufficient_scope",
        )
    return token


def parse_rate(rate: str) -> tuple[int, int]:
    count, _sep, period = rate.partition("/")
    return int(count), _PERIODS[period.strip()[0]]


def anonymous_key(request: HttpRequest) -> tuple[str, str]:
    # The proxy in front sets REMOTE_ADDR; X-Forwarded-For alone is the client's word.
    address = request.META.get("REMOTE_ADDR", "")
    ident = "ip:" + hashlib.sha256(address.encode()).hexdigest()[:32]
    return ident, getattr(settings, "GOVHUB_API_RATE_ANON", DEFAULT_ANON_RATE)


def token_key(token: ApiToken) -> tuple[str, str]:
    return f"t:{token.public_id}", getattr(settings, "GOVHUB_API_RATE_TOKEN", DEFAULT_TOKEN_RATE)


def count_request(ident: str, rate: str) -> tuple[bool, float]:
    """Count one request in the current fixed window: ``(allowed, seconds left in it)``."""
    limit, period = parse_rate(rate)
    now = time.time()
    window = int(now // period)
    key = f"api:rate:{ident}:{period}:{window}"
    remaining = (window + 1) * period - now
    # Read then write: two steps of the database cache (its incr() is no more atomic and
    # costs more queries). A race may let a request or two through; floods still stop.
    count = (cache.get(key) or 0) + 1
    cache.set(key, count, timeout=math.ceil(remaining) + 1)
    return count <= limit, remaining


class RateLimit(BaseThrottle):
    """Fixed windows: per token when the request carries one, else per client address."""

    def __init__(self) -> None:
        self._last = threading.local()

    def allow_request(self, request: HttpRequest) -> bool:
        token = getattr(request, "auth", None)
        key = token_key(token) if isinstance(token, ApiToken) else anonymous_key(request)
        allowed, self._last.wait = count_request(*key)
        return allowed

    def wait(self) -> float | None:
        wait: Any = getattr(self._last, "wait", None)
        return float(wait) if wait is not None else None
