"""Small helpers every app's HTML views share."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import PermissionDenied
from django.http import HttpRequest


def require(allowed: bool) -> None:
    """Object-level permission check in a view: 403 when the actor may not."""
    if not allowed:
        raise PermissionDenied


def posted(request: HttpRequest) -> Any:
    # Not `request.POST or None`: an empty POST must still be validated (and show errors).
    return request.POST if request.method == "POST" else None
