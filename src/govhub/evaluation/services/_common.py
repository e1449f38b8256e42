"""What every evaluation service needs: the lead-buyer check, locks, text rules."""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from govhub.challenges.models import Challenge, ChallengeStatus, Phase, PhaseStatus
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
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
