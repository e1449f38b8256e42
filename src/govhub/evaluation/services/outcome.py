"""The challenge's outcome: awarded (to whom, for what value), not awarded, or cancelled.

One outcome per challenge, published by the lead buyer with its reasons, binds every
co-buyer too. An award starts the standstill period (Directive 89/665/EEC art. 2a(2), as
amended by Directive 2007/66/EC): no contract may be concluded before 10 calendar days have
passed from the day after the decision was sent electronically. Publishing on GovHub is
that electronic notice; the period ends at midnight Brussels time at the end of its last
day. National law may set a longer period (``EVALUATION_STANDSTILL_DAYS`` or the
``standstill_days`` argument); when the last day falls on a weekend or public holiday,
the buyer should check whether national rules extend it.
"""

from __future__ import annotations

import datetime as dt
import inspect
from collections.abc import Sequence
from decimal import Decimal, InvalidOperation
from typing import Any
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.challenges.models import (
    CHALLENGE_TRANSITIONS,
    Challenge,
    ChallengeStatus,
    Phase,
    PhaseKind,
    PhaseStatus,
)
from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition
from govhub.core.lifecycle import transition
from govhub.proposals.models import Proposal

from .. import notifications, permissions, selectors
from ..models import STANDSTILL_DAYS_DEFAULT, Outcome, OutcomeKind
from ._common import (
    clean_text,
    decide_phase,
    lock_challenge,
    require_lead_buyer,
    require_live_challenge,
)

BRUSSELS = ZoneInfo("Europe/Brussels")
_VALUE_MAX = Decimal("999999999999.99")


def default_standstill_days() -> int:
    return max(STANDSTILL_DAYS_DEFAULT, int(getattr(settings, "EVALUATION_STANDSTILL_DAYS", 0)))


def standstill_end(published_at: dt.datetime, days: int | None = None) -> dt.datetime:
    """The end of the last standstill day: the day of publication does not count, then
    ``days`` whole calendar days, ending at midnight in Brussels (DST-aware)."""
    days = default_standstill_days() if days is None else days
    published_day = published_at.astimezone(BRUSSELS).date()
    end_day = published_day + dt.timedelta(days=days + 1)
    return dt.datetime.combine(end_day, dt.time.min, tzinfo=BRUSSELS).astimezone(dt.UTC)


def _call_challenge_service(name: str, *, challenge: Challenge, **kwargs: Any) -> None:
    """Move the challenge through the challenges app's own (audited) lifecycle service, or
    through the lifecycle table if it has none."""
    from govhub.challenges import services as challenge_services

    service = getattr(challenge_services, name, None)
    if service is not None:
        parameters = inspect.signature(service).parameters
        kwargs["challenge"] = challenge
        service(**{key: value for key, value in kwargs.items() if key in parameters})
        return
    if name == "challenge_cancel":
        transition(challenge, to=ChallengeStatus.CANCELLED, allowed=CHALLENGE_TRANSITIONS)
        challenge.cancellation_reason = kwargs["reason"]
    else:
        transition(challenge, to=ChallengeStatus.COMPLETED, allowed=CHALLENGE_TRANSITIONS)
    challenge.save()


_RUNNING = {PhaseStatus.OPEN, PhaseStatus.CLOSED, PhaseStatus.EVALUATING}


def _require_no_running_phase(challenge: Challenge) -> None:
    """An award or a decision not to award comes after the phases that ran are decided
    (the award phase itself is decided by the outcome)."""
    running = (
        Phase.objects.filter(challenge=challenge, status__in=_RUNNING)
        .exclude(kind=PhaseKind.AWARD)
        .order_by("order")
        .first()
    )
    if running is not None:
        raise InvalidTransition(
            _("Phase %(order)s (%(title)s) is still running: publish its results first.")
            % {"order": running.order, "title": running.title},
            code="phase_running",
        )


def _close_phases(actor: Any, challenge: Challenge, kind: str) -> None:
    """Decide the award phase (the outcome is its decision) and complete the challenge.

    Phases that never started (a challenge not awarded after its open call) stay planned:
    they did not happen. The challenges app's completion wants every phase decided, so then
    the challenge is completed through the lifecycle table, with this outcome's audit event.
    """
    summary = _("Awarded.") if kind == OutcomeKind.AWARDED else _("Not awarded.")
    phases = list(Phase.objects.filter(challenge=challenge).order_by("order"))
    for n, phase in enumerate(phases):
        earlier_decided = all(p.status == PhaseStatus.DECIDED for p in phases[:n])
        if (
            phase.kind == PhaseKind.AWARD
            and phase.status != PhaseStatus.DECIDED
            and earlier_decided
        ):
            decide_phase(actor, phase, summary)
    if all(p.status == PhaseStatus.DECIDED for p in phases):
        _call_challenge_service("challenge_complete", actor=actor, challenge=challenge)
    else:
        challenge.refresh_from_db()
        transition(challenge, to=ChallengeStatus.COMPLETED, allowed=CHALLENGE_TRANSITIONS)
        challenge.save()


@transaction.atomic
def outcome_publish(
    *,
    actor: Any,
    challenge: Challenge,
    kind: str,
    reasons: str,
    awarded: Sequence[Proposal] = (),
    value: Any = None,
    currency: str | None = None,
    standstill_days: int | None = None,
) -> Outcome:
    """Publish the one decision of a challenge, for the lead and every co-buyer alike."""
    challenge = lock_challenge(challenge)
    require_lead_buyer(actor, challenge)
    require_live_challenge(challenge)
    if Outcome.objects.filter(challenge=challenge).exists():
        raise Conflict(_("The outcome of this challenge is already published."), code="published")
    if kind not in OutcomeKind.values:
        raise InvalidInput(
            _("Choose the decision"), field_errors={"kind": [_("Choose the decision")]}
        )
    errors: dict[str, list[str]] = {}
    try:
        text = clean_text(reasons, field="reasons", missing=_("Give the reasons for the decision"))
    except InvalidInput as error:
        errors.update(error.field_errors)
        text = ""
    amount: Decimal | None = None
    awarded = list(awarded)
    if kind == OutcomeKind.AWARDED:
        candidates = {p.pk for p in selectors.award_candidates(challenge)}
        if not awarded:
            errors["awarded"] = [_("Choose the company or companies awarded")]
        elif len({p.pk for p in awarded}) != len(awarded) or any(
            p.pk not in candidates for p in awarded
        ):
            errors["awarded"] = [
                _(
                    "Only companies selected through every phase, and with a “go” from any "
                    "pilot, can be awarded."
                )
            ]
        try:
            amount = Decimal(str(value)) if value not in (None, "") else None
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or not 0 <= amount <= _VALUE_MAX:
            errors["value"] = [_("Enter the contract value, such as 150000")]
            amount = None
        else:
            amount = amount.quantize(Decimal("0.01"))
        if standstill_days is not None and standstill_days < STANDSTILL_DAYS_DEFAULT:
            errors["standstill_days"] = [
                _("The standstill period is at least %(days)s calendar days.")
                % {"days": STANDSTILL_DAYS_DEFAULT}
            ]
    elif awarded or value not in (None, ""):
        errors["awarded"] = [_("Only an award names companies and a value.")]
    if errors:
        raise InvalidInput(_("Check the decision."), field_errors=errors)

    if kind != OutcomeKind.CANCELLED:
        _require_no_running_phase(challenge)
    now = timezone.now()
    standstill_ends_at = (
        standstill_end(now, standstill_days) if kind == OutcomeKind.AWARDED else None
    )
    outcome = Outcome.objects.create(
        challenge=challenge,
        kind=kind,
        value=amount,
        currency=(currency or challenge.currency or "EUR").upper()[:3],
        reasons=text,
        published_at=now,
        published_by=actor,
        standstill_ends_at=standstill_ends_at,
        becomes_final_at=standstill_ends_at or now,
    )
    outcome.awarded_proposals.set(awarded)
    before_status = challenge.status
    if kind == OutcomeKind.CANCELLED:
        _call_challenge_service("challenge_cancel", actor=actor, challenge=challenge, reason=text)
    else:
        _close_phases(actor, challenge, kind)
    challenge.refresh_from_db()
    buyers = sorted(str(a) for a in _buyer_public_ids(challenge))
    audit_record(
        actor=actor,
        action="evaluation.outcome_publish",
        obj=outcome,
        organisation_id=challenge.lead_authority.public_id,
        before={"challenge_status": before_status},
        after={
            "challenge": str(challenge.public_id),
            "challenge_status": challenge.status,
            "kind": kind,
            "awarded": [str(p.public_id) for p in awarded],
            "awarded_companies": [str(p.company.public_id) for p in awarded],
            "value": amount,
            "currency": outcome.currency,
            "reasons": text,
            "standstill_ends_at": standstill_ends_at,
            "becomes_final_at": outcome.becomes_final_at,
            # The outcome binds every buyer of the challenge: recorded as they were.
            "bound_buyers": buyers,
        },
    )
    outcome_id = outcome.pk
    transaction.on_commit(lambda: notifications.outcome_published(outcome_id))
    return outcome


def _buyer_public_ids(challenge: Challenge) -> list[Any]:
    from govhub.organisations.models import Organisation

    return list(
        Organisation.objects.filter(pk__in=permissions.buyer_authority_ids(challenge)).values_list(
            "public_id", flat=True
        )
    )
