"""What every evaluation service needs: the lead-buyer check, locks, text rules."""

from __future__ import annotations

import inspect
from typing import Any

from django.utils.translation import gettext as _

from govhub.challenges.models import (
    PHASE_TRANSITIONS,
    Challenge,
    ChallengeStatus,
    Phase,
    PhaseStatus,
)
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.core.lifecycle import transition
from govhub.organisations import permissions as org_permissions

from .. import permissions

TEXT_MAX = 10_000


def require_signed_in(actor: Any) -> None:
    if not org_permissions.is_signed_in(actor):
        raise NotAllowed(_("You need to sign in first."))


def require_lead_buyer(actor: Any, challenge: Challenge) -> None:
    require_signed_in(actor)
    if not permissions.is_lead_buyer(actor, challenge):
        raise NotAllowed(_("Only a buyer of the lead authority can do this."))


def lock_phase(phase: Phase) -> Phase:
    """A fresh, row-locked copy: decisions on one phase run one at a time (PostgreSQL)."""
    return (
        Phase.objects.select_for_update(of=("self",))
        .select_related("challenge", "challenge__lead_authority")
        .get(pk=phase.pk)
    )


def lock_challenge(challenge: Challenge) -> Challenge:
    return (
        Challenge.objects.select_for_update(of=("self",))
        .select_related("lead_authority")
        .get(pk=challenge.pk)
    )


def require_live_challenge(challenge: Challenge) -> None:
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise InvalidTransition(
            _("This challenge is %(status)s: its evaluation can no longer change.")
            % {"status": challenge.get_status_display().lower()},
            code="challenge_not_published",
        )


def require_undecided(phase: Phase) -> None:
    if phase.status == PhaseStatus.DECIDED:
        raise InvalidTransition(
            _("The results of this phase are published: its evaluation can no longer change."),
            code="phase_decided",
        )


def require_opened(phase: Phase) -> None:
    if phase.proposals_opened_at is None:
        raise InvalidTransition(
            _("The proposals have not been opened yet. Scoring starts once they are."),
            code="proposals_sealed",
        )


def clean_text(value: str | None, *, field: str, missing: str) -> str:
    text = (value or "").strip()
    if not text:
        raise InvalidInput(missing, field_errors={field: [missing]})
    if len(text) > TEXT_MAX:
        message = _("Write %(max)s characters or fewer.") % {"max": f"{TEXT_MAX:,}"}
        raise InvalidInput(message, field_errors={field: [message]})
    return text


def user_ref(user: Any) -> str | None:
    # Audit events outlive erasure of a person's data, so they name people by public UUID.
    return str(user.public_id) if user is not None else None


# The way a phase goes to "decided", and the challenges app's service for each step.
PHASE_PATH = [
    PhaseStatus.PLANNED,
    PhaseStatus.OPEN,
    PhaseStatus.CLOSED,
    PhaseStatus.EVALUATING,
    PhaseStatus.DECIDED,
]
_STEP_SERVICES = {
    PhaseStatus.PLANNED: "phase_open",
    PhaseStatus.OPEN: "phase_close",
    PhaseStatus.CLOSED: "phase_start_evaluation",
    PhaseStatus.EVALUATING: "phase_decide",
}


def decide_phase(actor: Any, phase: Phase, summary: str) -> None:
    """Walk the phase to "decided", each step through the challenges app's own lifecycle
    service (which checks and audits it) when there is one, else through the table.

    Pilot and award phases take no proposals, so they may not have been formally opened
    and closed before their results are known.
    """
    from govhub.challenges import services as challenge_services

    while phase.status != PhaseStatus.DECIDED:
        current = PhaseStatus(phase.status)
        step = getattr(challenge_services, _STEP_SERVICES[current], None)
        if step is None:
            following = PHASE_PATH[PHASE_PATH.index(current) + 1]
            transition(phase, to=following, allowed=PHASE_TRANSITIONS, label=_("Phase"))
            phase.save()
            continue
        kwargs: dict[str, Any] = {"actor": actor, "phase": phase}
        if "summary" in inspect.signature(step).parameters:
            kwargs["summary"] = summary
        step(**kwargs)
        phase.refresh_from_db()
