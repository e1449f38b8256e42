"""Domain errors raised by services. Views and the API turn them into responses.

Each carries a stable machine-readable ``code`` (used by the API's problem details) and a
human message that is safe to show to the user who caused it.
"""

from __future__ import annotations

from typing import Any


class DomainError(Exception):
    code = "domain_error"
    status = 400

    def __init__(self, message: str, *, code: str | None = None, **details: Any) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.details = details

    def __str__(self) -> str:
        return str(self.message)


class NotAllowed(DomainError):
    """The actor may not do this to this object."""

    code = "not_allowed"
    status = 403


class NotFound(DomainError):
    code = "not_found"
    status = 404


class InvalidTransition(DomainError):
    """A lifecycle move that the object's current state does not allow."""

    code = "invalid_transition"
    status = 409


class Conflict(DomainError):
    code = "conflict"
    status = 409


class InvalidInput(DomainError):
    """Input that fails a business rule; ``field_errors`` maps field names to messages."""

    code = "invalid_input"
    status = 422

    def __init__(
        self, message: str, *, field_errors: dict[str, list[str]] | None = None, **details: Any
    ) -> None:
        super().__init__(message, **details)
        self.field_errors = field_errors or {}
