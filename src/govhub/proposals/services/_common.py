"""What every proposals service checks: the actor, the company, the phase and the clock."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import zoneinfo
from typing import Any

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from govhub.challenges.models import ChallengeStatus, Phase, PhaseStatus
from govhub.core.errors import NotAllowed
from govhub.organisations.models import Organisation, OrganisationKind, VerificationStatus

from .. import permissions
from ..models import Proposal

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def wall_clock(value: dt.datetime, zone: dt.tzinfo) -> str:
    """A moment on a zone's wall clock, to the second, with the zone's abbreviation.

    The abbreviation comes from the datetime itself: Django's "T" format is empty for the
    hour that repeats when clocks go back, which is exactly when it matters (CEST or CET).
    """
    local = timezone.localtime(value, zone)
    day = date_format(local, "DATE_FORMAT")
    return f"{day}, {date_format(local, 'H:i:s')} {local.tzname()}"


def brussels_time(value: dt.datetime) -> str:
    """A moment as Brussels clocks show it, the reference for deadlines."""
    return wall_clock(value, BRUSSELS)


def user_ref(user: Any) -> str:
    # Audit events outlive erasure of a person's data, so they name people by public UUID.
    return str(user.public_id)


def canonical_json(data: Any) -> bytes:
    """The one byte form of a snapshot that its hash covers (sorted keys, no spaces, UTF-8)."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256_hex(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def require_signed_in(actor: Any) -> None:
    if not permissions.is_signed_in(actor):
        raise NotAllowed(_("You need to sign in first."))


def require_company_member(actor: Any, company: Organisation) -> None:
    require_signed_in(actor)
    if company.kind != OrganisationKind.COMPANY:
        raise NotAllowed(_("Only companies can send proposals."), code="not_a_company")
    if not permissions.is_company_member(actor, company):
        raise NotAllowed(
            _("Only members of the company can work on its proposal."), code="not_a_member"
        )
    if company.status == VerificationStatus.SUSPENDED:
        raise NotAllowed(
            _("A moderator has suspended this company, so it cannot send proposals."),
            code="company_suspended",
        )


def require_eligible(company: Organisation, phase: Phase) -> None:
    # Imported here: the evaluation app builds on proposals, not the other way round.
    from govhub.evaluation.selectors import may_take_part

    if not may_take_part(company, phase):
        raise NotAllowed(
            _(
                "Only companies selected in the previous phase are invited to this phase of "
                "the challenge."
            ),
            code="not_invited",
        )
    if phase.sme_only and not permissions.is_sme(company):
        raise NotAllowed(
            _(
                "This phase is open to small and medium-sized enterprises only. Your company’s "
                "size is not recorded as micro, small or medium."
            ),
            code="not_eligible_sme",
        )
    if phase.eu_eea_only and not permissions.is_eu_eea(company):
        raise NotAllowed(
            _(
                "This phase is open to companies established in the European Union or the "
                "European Economic Area only."
            ),
            code="not_eligible_country",
        )


def deadline_refusal(phase: Phase, now: dt.datetime) -> NotAllowed:
    assert phase.deadline is not None
    return NotAllowed(
        _(
            "The deadline for proposals was %(deadline)s (Brussels time). This arrived at "
            "%(now)s, after the deadline, so it cannot be accepted."
        )
        % {"deadline": brussels_time(phase.deadline), "now": brussels_time(now)},
        code="deadline_passed",
        deadline=phase.deadline.isoformat(),
    )


def require_accepting(phase: Phase, now: dt.datetime) -> None:
    """The phase takes proposals now: published challenge, open phase, before its deadline.

    The deadline is exclusive: a proposal received at the deadline's very second is late.
    """
    if phase.deadline is not None and now >= phase.deadline:
        raise deadline_refusal(phase, now)
    if (
        phase.challenge.status != ChallengeStatus.PUBLISHED
        or phase.status != PhaseStatus.OPEN
        or not phase.takes_proposals
    ):
        raise NotAllowed(_("This phase is not open for proposals."), code="phase_not_open")
    if phase.deadline is None:
        raise NotAllowed(
            _("This phase has no deadline yet, so it cannot take proposals."),
            code="phase_not_open",
        )
    if phase.opens_at is not None and now < phase.opens_at:
        raise NotAllowed(
            _("This phase opens for proposals on %(date)s (Brussels time).")
            % {"date": brussels_time(phase.opens_at)},
            code="phase_not_open",
        )


def lock_proposal(proposal: Proposal) -> Proposal:
    """A fresh, row-locked copy: one change to a proposal at a time (a double click waits
    for the first click's transaction, then sees what it did)."""
    return (
        Proposal.objects.select_for_update(of=("self",))
        .select_related("phase__challenge", "company__country", "company__size")
        .get(pk=proposal.pk)
    )


def proposal_facts(proposal: Proposal) -> dict[str, Any]:
    """What the audit log may say about a proposal: state, never content."""
    return {
        "status": proposal.status,
        "version": proposal.version,
        "phase": str(proposal.phase.public_id),
    }
