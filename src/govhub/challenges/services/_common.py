"""Checks and facts shared by the challenge services."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation, OrganisationKind

from .. import permissions
from ..models import AwardCriterion, Challenge, ChallengeStatus, Phase

STALE_MESSAGE = gettext_lazy(
    "Someone else changed this since you opened it. Reload the page to see their changes, "
    "then make yours again."
)


def require_signed_in(actor: Any) -> None:
    if not org_permissions.is_signed_in(actor):
        raise NotAllowed(_("You need to sign in first."))


def require_lead_buyer(actor: Any, challenge: Challenge) -> None:
    """Only the lead authority's buyers run a challenge (and only while it is verified)."""
    require_signed_in(actor)
    if not permissions.is_lead_buyer(actor, challenge):
        raise NotAllowed(
            _("Only buyers of %(authority)s, the lead authority, can do this.")
            % {"authority": challenge.lead_authority.name},
            code="not_lead_buyer",
        )


def require_draft(challenge: Challenge) -> None:
    if challenge.status != ChallengeStatus.DRAFT:
        raise InvalidTransition(
            _("This challenge is %(status)s: only drafts can be changed this way.")
            % {"status": challenge.get_status_display().lower()},
            code="not_draft",
        )


def require_published(challenge: Challenge) -> None:
    if challenge.status != ChallengeStatus.PUBLISHED:
        raise InvalidTransition(
            _("This challenge is %(status)s: its phases can move only while it is published.")
            % {"status": challenge.get_status_display().lower()},
            code="not_published",
        )


def check_version(obj: Any, expected: int | None) -> None:
    if expected is not None and int(expected) != obj.version:
        raise Conflict(str(STALE_MESSAGE), code="stale_version")


def lock_challenge(challenge: Challenge) -> Challenge:
    """A fresh, row-locked copy: changes to one challenge and its phases run one at a time.

    The caller's instance is left alone, so a refused change leaves nothing half-applied.
    """
    return (
        Challenge.objects.select_for_update().select_related("lead_authority").get(pk=challenge.pk)
    )


def lock_phase(phase: Phase) -> tuple[Challenge, Phase]:
    challenge = lock_challenge(phase.challenge)
    fresh = Phase.objects.select_for_update().get(pk=phase.pk)
    fresh.challenge = challenge
    return challenge, fresh


def require_verified_authority(org: Organisation, *, field: str) -> None:
    if org.kind != OrganisationKind.AUTHORITY or not org.is_verified:
        message = _("%(name)s is not a verified public authority.") % {"name": org.name}
        raise InvalidInput(message, field_errors={field: [message]})


def clean_text(
    value: str | None,
    *,
    field: str,
    errors: dict[str, list[str]],
    required_message: str | None = None,
    max_length: int | None = None,
) -> str:
    text = (value or "").strip()
    if required_message and not text:
        errors.setdefault(field, []).append(required_message)
    if max_length is not None and len(text) > max_length:
        errors.setdefault(field, []).append(
            _("Enter no more than %(max)d characters.") % {"max": max_length}
        )
    return text


def clean_amount(
    value: Any, *, field: str, errors: dict[str, list[str]], label: str
) -> Decimal | None:
    if value in (None, ""):
        return None
    try:
        amount = Decimal(str(value))
    except ArithmeticError:
        errors.setdefault(field, []).append(_("Enter %(label)s as a number.") % {"label": label})
        return None
    if not amount.is_finite() or amount < 0:
        errors.setdefault(field, []).append(
            _("%(label)s cannot be negative.") % {"label": label.capitalize()}
        )
        return None
    if amount >= Decimal("1e12"):
        errors.setdefault(field, []).append(_("%(label)s is too large.") % {"label": label})
        return None
    return amount.quantize(Decimal("0.01"))


def raise_if(errors: dict[str, list[str]]) -> None:
    if errors:
        first = next(iter(errors.values()))[0]
        raise InvalidInput(first, field_errors=errors)


def check_phase_dates(
    opens_at: dt.datetime | None,
    deadline: dt.datetime | None,
    ends_at: dt.datetime | None,
    errors: dict[str, list[str]],
) -> None:
    """Dates run in order: opens before the deadline, which comes no later than the end."""
    if opens_at and deadline and not opens_at < deadline:
        errors.setdefault("deadline", []).append(
            _("The deadline must be after the date the phase opens.")
        )
    if deadline and ends_at and not deadline <= ends_at:
        errors.setdefault("ends_at", []).append(
            _("The phase cannot end before its deadline for proposals.")
        )
    if opens_at and ends_at and not deadline and not opens_at < ends_at:
        errors.setdefault("ends_at", []).append(_("The phase must end after it opens."))


def criteria_total(phase: Phase) -> int:
    return sum(AwardCriterion.objects.filter(phase=phase).values_list("weight", flat=True))


def is_future(value: dt.datetime | None) -> bool:
    return value is not None and value > timezone.now()


def user_ref(user: Any) -> str | None:
    # Audit events outlive erasure of a person's data, so they name people by public UUID.
    return str(user.public_id) if user is not None else None


def challenge_facts(challenge: Challenge, cpv: list[str] | None = None) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": challenge.title,
        "summary": challenge.summary,
        "description": challenge.description,
        "nuts_region": challenge.nuts_region.code if challenge.nuts_region else None,
        "currency": challenge.currency,
        "total_budget": challenge.total_budget,
        "status": challenge.status,
    }
    if cpv is not None:
        data["cpv_codes"] = sorted(cpv)
    return data


PHASE_FIELDS = [
    "order",
    "kind",
    "title",
    "description",
    "opens_at",
    "deadline",
    "ends_at",
    "sme_only",
    "eu_eea_only",
    "eligibility_notes",
    "budget",
    "max_selected",
    "asks_price",
    "status",
]


def phase_facts(phase: Phase) -> dict[str, Any]:
    data = {name: getattr(phase, name) for name in PHASE_FIELDS}
    data["challenge"] = str(phase.challenge.public_id)
    return data


def weights_message(total: int) -> str:
    return _(
        "The weights add up to %(total)d%%. They must add up to exactly 100%%: change them "
        "by %(difference)+d%%."
    ) % {"total": total, "difference": 100 - total}


def audit_phase(actor: Any, action: str, challenge: Challenge, phase: Phase, **data: Any) -> None:
    audit_record(
        actor=actor,
        action=action,
        obj=phase,
        organisation_id=challenge.lead_authority.public_id,
        **data,
    )
