"""Helpers for the organisations tests: proving a refused action changed nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from allauth.mfa.models import Authenticator
from django.urls import reverse

from govhub.core.models import AuditEvent
from govhub.organisations.models import Invitation, JoinRequest, Membership, Organisation


def db_state() -> dict[str, Any]:
    """Everything the organisations services may write, plus the audit log's length."""
    return {
        "organisations": list(
            Organisation.objects.order_by("pk").values_list(
                "pk",
                "name",
                "status",
                "status_reason",
                "country_id",
                "nuts_region_id",
                "buyer_legal_type_id",
                "size_id",
                "intermediary_type",
                "description",
                "updated_at",
            )
        ),
        "cpv": list(
            Organisation.cpv_capabilities.through.objects.order_by("pk").values_list(
                "organisation_id", "cpvcode_id"
            )
        ),
        "memberships": list(
            Membership.objects.order_by("pk").values_list(
                "pk", "organisation_id", "user_id", "is_admin", "is_buyer", "is_evaluator"
            )
        ),
        "invitations": list(
            Invitation.objects.order_by("pk").values_list(
                "pk", "status", "token_hash", "expires_at", "is_admin", "is_buyer", "is_evaluator"
            )
        ),
        "join_requests": list(
            JoinRequest.objects.order_by("pk").values_list("pk", "status", "decided_by_id")
        ),
        "audit_events": AuditEvent.objects.count(),
    }


@contextmanager
def assert_unchanged() -> Iterator[None]:
    """Wrap a refused action: the database and the audit log must be exactly as before."""
    before = db_state()
    yield
    after = db_state()
    assert after == before


def last_event() -> Any:
    """The newest audit event (typed loosely: tests index its JSON before/after)."""
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    return event


def with_two_factor(user: Any) -> Any:
    """Give the user an authenticator app, as buyers, evaluators and moderators must have."""
    Authenticator.objects.get_or_create(
        user=user, type=Authenticator.Type.TOTP, defaults={"data": {"secret": "test"}}
    )
    return user


PERSONAS = ["anonymous", "outsider", "supplier", "buyer", "authority_admin", "moderator"]


def url(name: str, *args: Any) -> str:
    return reverse(f"organisations:{name}", args=args)
