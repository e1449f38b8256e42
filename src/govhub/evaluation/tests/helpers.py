"""Helpers for the evaluation tests: proving a refused action changed nothing."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from govhub.challenges.models import Challenge, Phase
from govhub.core.models import AuditEvent
from govhub.evaluation.models import (
    ConflictDeclaration,
    ConsensusScore,
    EvaluatorAssignment,
    Outcome,
    PhaseResult,
    PilotDecision,
    PilotKpi,
    PilotPlan,
    Score,
)


def db_state() -> dict[str, Any]:
    """Everything the evaluation services may write, plus the audit log's length."""
    return {
        "assignments": list(
            EvaluatorAssignment.objects.order_by("pk").values_list("pk", "status", "updated_at")
        ),
        "declarations": list(
            ConflictDeclaration.objects.order_by("pk").values_list("pk", "has_conflict")
        ),
        "scores": list(
            Score.objects.order_by("pk").values_list("pk", "score", "justification", "version")
        ),
        "consensus": list(
            ConsensusScore.objects.order_by("pk").values_list("pk", "score", "reason", "version")
        ),
        "results": list(PhaseResult.objects.order_by("pk").values_list("pk", "selected", "reason")),
        "plans": list(
            PilotPlan.objects.order_by("pk").values_list(
                "pk", "plan", "version", "agreed_by_buyer_at", "agreed_by_company_at"
            )
        ),
        "kpis": list(
            PilotKpi.objects.order_by("pk").values_list(
                "pk", "name", "target", "measured_value", "evidence"
            )
        ),
        "decisions": list(PilotDecision.objects.order_by("pk").values_list("pk", "go")),
        "outcomes": list(Outcome.objects.order_by("pk").values_list("pk", "kind")),
        "phases": list(Phase.objects.order_by("pk").values_list("pk", "status", "updated_at")),
        "challenges": list(
            Challenge.objects.order_by("pk").values_list("pk", "status", "updated_at")
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


def events(action: str) -> list[Any]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))
