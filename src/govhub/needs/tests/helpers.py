"""Helpers for the needs tests: proving a refused action changed nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from govhub.core.models import AuditEvent
from govhub.needs.models import InnovationNeed, NeedInterest


def db_state() -> dict[str, Any]:
    """Everything the needs services may write, plus the audit log's length."""
    return {
        "needs": list(
            InnovationNeed.objects.order_by("pk").values_list(
                "pk",
                "authority_id",
                "title",
                "problem",
                "status",
                "published_at",
                "withdrawn_at",
                "converted_at",
                "withdrawal_reason",
                "budget_min",
                "budget_max",
                "currency",
                "nuts_region_id",
                "open_to_pooling",
                "version",
                "updated_at",
            )
        ),
        "cpv": list(
            InnovationNeed.cpv_codes.through.objects.order_by("pk").values_list(
                "innovationneed_id", "cpvcode_id"
            )
        ),
        "interests": list(
            NeedInterest.objects.order_by("pk").values_list(
                "pk",
                "need_id",
                "authority_id",
                "status",
                "quantity",
                "budget_share",
                "note",
                "withdrawn_at",
                "updated_at",
            )
        ),
        "audit_events": AuditEvent.objects.count(),
    }


@contextmanager
def assert_unchanged() -> Iterator[None]:
    """Wrap a refused action: the database and the audit log must be exactly as before."""
    before = db_state()
    yield
    assert db_state() == before


def last_event() -> Any:
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    return event
