"""Helpers for the challenges tests: proving a refused action changed nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from govhub.challenges.models import (
    AwardCriterion,
    Challenge,
    ChallengeBuyer,
    Clarification,
    Phase,
    PhaseDocument,
)
from govhub.core.models import AuditEvent
from govhub.needs.models import InnovationNeed


def db_state() -> dict[str, Any]:
    """Everything the challenges services may write, plus the audit log's length."""
    return {
        "challenges": list(
            Challenge.objects.order_by("pk").values_list(
                "pk",
                "title",
                "summary",
                "description",
                "status",
                "version",
                "total_budget",
                "currency",
                "nuts_region_id",
                "published_at",
                "cancelled_at",
                "completed_at",
                "cancellation_reason",
                "updated_at",
            )
        ),
        "cpv": list(
            Challenge.cpv_codes.through.objects.order_by("pk").values_list(
                "challenge_id", "cpvcode_id"
            )
        ),
        "buyers": list(
            ChallengeBuyer.objects.order_by("pk").values_list(
                "pk", "challenge_id", "authority_id", "is_lead", "quantity", "budget_share"
            )
        ),
        "phases": list(
            Phase.objects.order_by("pk").values_list(
                "pk",
                "order",
                "kind",
                "title",
                "status",
                "version",
                "opens_at",
                "deadline",
                "ends_at",
                "budget",
                "sme_only",
                "updated_at",
            )
        ),
        "criteria": list(
            AwardCriterion.objects.order_by("pk").values_list(
                "pk", "phase_id", "order", "name", "weight", "criterion_type_id"
            )
        ),
        "gpp": list(
            AwardCriterion.gpp_criteria.through.objects.order_by("pk").values_list(
                "awardcriterion_id", "codelistentry_id"
            )
        ),
        "documents": list(
            PhaseDocument.objects.order_by("pk").values_list("pk", "phase_id", "title", "file")
        ),
        "clarifications": list(
            Clarification.objects.order_by("pk").values_list(
                "pk", "question", "answer", "answered_at"
            )
        ),
        "needs": list(InnovationNeed.objects.order_by("pk").values_list("pk", "status", "version")),
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
