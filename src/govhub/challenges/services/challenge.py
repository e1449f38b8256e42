"""Creating, editing, publishing, completing and cancelling challenges."""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.core.lifecycle import transition
from govhub.needs import services as need_services
from govhub.needs.models import InnovationNeed, InterestStatus, NeedInterest, NeedStatus
from govhub.organisations.models import Organisation
from govhub.reference import selectors as reference_selectors
from govhub.reference.models import CpvCode, NutsRegion

from .. import permissions
from ..models import (
    CHALLENGE_TRANSITIONS,
    AwardCriterion,
    Challenge,
    ChallengeBuyer,
    ChallengeStatus,
    Phase,
    PhaseStatus,
)
from ._common import (
    challenge_facts,
    check_phase_dates,
    check_version,
    clean_amount,
    clean_text,
    is_future,
    lock_challenge,
    raise_if,
    require_draft,
    require_lead_buyer,
    require_signed_in,
)

MAX_CPV = 50


def _validated(values: dict[str, Any]) -> dict[str, Any]:
    """The challenge's own fields, normalised; raises InvalidInput naming each bad field."""
    errors: dict[str, list[str]] = {}
    clean: dict[str, Any] = {
        "title": clean_text(
            values.get("title"),
            field="title",
            errors=errors,
            required_message=_("Enter a title."),
            max_length=300,
        ),
        "summary": clean_text(
            values.get("summary"),
            field="summary",
            errors=errors,
            required_message=_("Enter a short summary."),
            max_length=600,
        ),
        "description": clean_text(
            values.get("description"),
            field="description",
            errors=errors,
            required_message=_("Describe the challenge."),
        ),
        "total_budget": clean_amount(
            values.get("total_budget"), field="total_budget", errors=errors, label=_("the budget")
        ),
    }
    currency = (values.get("currency") or "EUR").strip().upper()
    if reference_selectors.codelist_entry("currency", currency) is None:
        errors.setdefault("currency", []).append(_("Choose a currency."))
    clean["currency"] = currency
    region = values.get("nuts_region")
    if region is not None and not isinstance(region, NutsRegion):
        errors.setdefault("nuts_region", []).append(_("Choose a NUTS region."))
    clean["nuts_region"] = region
    cpv = list(values.get("cpv_codes") or [])
    if any(not isinstance(code, CpvCode) for code in cpv):
        errors.setdefault("cpv_codes", []).append(_("Choose CPV codes from the list."))
    elif len(cpv) > MAX_CPV:
        errors.setdefault("cpv_codes", []).append(
            _("Enter no more than %(max)d CPV codes.") % {"max": MAX_CPV}
        )
    clean["cpv_codes"] = cpv
    raise_if(errors)
    return clean


def _cpv_codes(challenge: Challenge) -> list[str]:
    return list(challenge.cpv_codes.values_list("code", flat=True))


@transaction.atomic
def challenge_create(
    *,
    actor: Any,
    lead_authority: Organisation,
    title: str,
    summary: str,
    description: str,
    cpv_codes: Iterable[CpvCode] = (),
    nuts_region: NutsRegion | None = None,
    currency: str = "EUR",
    total_budget: Decimal | None = None,
    lead_quantity: str = "",
    lead_budget_share: Decimal | None = None,
) -> Challenge:
    """A draft challenge led by ``lead_authority``, which the actor must buy for."""
    require_signed_in(actor)
    if not permissions.can_create_for(actor, lead_authority):
        raise NotAllowed(
            _("Only buyers of a verified public authority can create challenges for it."),
            code="not_buyer",
        )
    values = _validated(
        {
            "title": title,
            "summary": summary,
            "description": description,
            "cpv_codes": cpv_codes,
            "nuts_region": nuts_region,
            "currency": currency,
            "total_budget": total_budget,
        }
    )
    errors: dict[str, list[str]] = {}
    share = clean_amount(
        lead_budget_share, field="lead_budget_share", errors=errors, label=_("the budget share")
    )
    raise_if(errors)
    cpv = values.pop("cpv_codes")
    challenge = Challenge.objects.create(lead_authority=lead_authority, created_by=actor, **values)
    challenge.cpv_codes.set(cpv)
    ChallengeBuyer.objects.create(
        challenge=challenge,
        authority=lead_authority,
        is_lead=True,
        quantity=(lead_quantity or "").strip()[:200],
        budget_share=share,
    )
    audit_record(
        actor=actor,
        action="challenge.create",
        obj=challenge,
        organisation_id=lead_authority.public_id,
        after=challenge_facts(challenge, [c.code for c in cpv]),
    )
    return challenge


def _need_description(need: InnovationNeed) -> str:
    """The need's sections as the challenge's first description, for the buyer to rework."""
    sections = [
        (_("The problem"), need.problem),
        (_("Who suffers it"), need.affected),
        (_("Expected outcomes"), need.expected_outcomes),
        (_("How the outcomes will be measured"), need.outcome_measures),
        (_("Timeline"), need.timeline),
        (_("Data constraints"), need.constraints_data),
        (_("Interoperability constraints"), need.constraints_interoperability),
        (_("Accessibility constraints"), need.constraints_accessibility),
        (_("Security constraints"), need.constraints_security),
    ]
    return "\n\n".join(f"{title}\n{text.strip()}" for title, text in sections if text.strip())


def _summary_from(text: str, limit: int = 600) -> str:
    text = " ".join(text.split())
    if len(text) <= limit:
        return text
    return text[: limit - 1].rsplit(" ", 1)[0] + "…"


@transaction.atomic
def challenge_create_from_need(*, actor: Any, need: InnovationNeed) -> Challenge:
    """Turn a published need into a draft (joint) challenge, in one step.

    The need's authority leads, with the need's upper budget as its share; each authority
    with an active interest in the need becomes a co-buyer with its stated quantity and
    share, and the challenge's total budget is the sum of the shares. The need is marked
    converted, so it becomes a challenge once only.
    """
    require_signed_in(actor)
    locked = InnovationNeed.objects.select_for_update().select_related("authority").get(pk=need.pk)
    if not permissions.can_create_for(actor, locked.authority):
        raise NotAllowed(
            _("Only buyers of %(authority)s can turn its need into a challenge.")
            % {"authority": locked.authority.name},
            code="not_buyer",
        )
    if locked.status != NeedStatus.PUBLISHED:
        raise InvalidTransition(
            _("Only a published need can become a challenge; this one is %(status)s.")
            % {"status": locked.get_status_display().lower()},
            code="need_not_published",
        )
    interests = list(
        NeedInterest.objects.filter(need=locked, status=InterestStatus.ACTIVE)
        .exclude(authority=locked.authority)
        .select_related("authority")
        .order_by("created_at", "pk")
    )
    lead_share = locked.budget_max if locked.budget_max is not None else locked.budget_min
    joined = [i for i in interests if i.authority.is_authority and i.authority.is_verified]
    # An interested authority suspended since it joined cannot buy; it is left out, and said so.
    left_out = [i for i in interests if i not in joined]
    shares = [s for s in [lead_share, *(i.budget_share for i in joined)] if s is not None]
    cpv = list(locked.cpv_codes.all())
    challenge = Challenge.objects.create(
        lead_authority=locked.authority,
        need=locked,
        created_by=actor,
        title=locked.title,
        summary=_summary_from(locked.problem),
        description=_need_description(locked) or locked.title,
        nuts_region=locked.nuts_region,
        currency=locked.currency,
        total_budget=sum(shares, Decimal("0")) if shares else None,
    )
    challenge.cpv_codes.set(cpv)
    ChallengeBuyer.objects.create(
        challenge=challenge, authority=locked.authority, is_lead=True, budget_share=lead_share
    )
    ChallengeBuyer.objects.bulk_create(
        ChallengeBuyer(
            challenge=challenge,
            authority=interest.authority,
            quantity=interest.quantity,
            budget_share=interest.budget_share,
        )
        for interest in joined
    )
    need_services.mark_converted(locked)
    audit_record(
        actor=actor,
        action="challenge.create_from_need",
        obj=challenge,
        organisation_id=locked.authority.public_id,
        after={
            **challenge_facts(challenge, [c.code for c in cpv]),
            "need": str(locked.public_id),
            "co_buyers": [
                {
                    "authority": str(i.authority.public_id),
                    "quantity": i.quantity,
                    "budget_share": i.budget_share,
                }
                for i in joined
            ],
            "left_out": [str(i.authority.public_id) for i in left_out],
        },
    )
    return challenge


@transaction.atomic
def challenge_update(*, actor: Any, challenge: Challenge, version: int, **values: Any) -> Challenge:
    """Change a draft's own fields; ``version`` is the one the editor saw (stale → Conflict)."""
    fresh = lock_challenge(challenge)
    require_lead_buyer(actor, fresh)
    require_draft(fresh)
    check_version(fresh, version)
    unknown = set(values) - {
        "title",
        "summary",
        "description",
        "cpv_codes",
        "nuts_region",
        "currency",
        "total_budget",
    }
    if unknown:
        raise TypeError(f"challenge_update() got unexpected fields: {sorted(unknown)}")
    current_cpv = list(fresh.cpv_codes.all())
    current: dict[str, Any] = {
        "title": fresh.title,
        "summary": fresh.summary,
        "description": fresh.description,
        "cpv_codes": current_cpv,
        "nuts_region": fresh.nuts_region,
        "currency": fresh.currency,
        "total_budget": fresh.total_budget,
    }
    clean = _validated({**current, **values})
    before = challenge_facts(fresh, [c.code for c in current_cpv])
    cpv = clean.pop("cpv_codes")
    for name, value in clean.items():
        setattr(fresh, name, value)
    fresh.version += 1
    fresh.save()
    fresh.cpv_codes.set(cpv)
    audit_record(
        actor=actor,
        action="challenge.update",
        obj=fresh,
        organisation_id=fresh.lead_authority.public_id,
        before=before,
        after=challenge_facts(fresh, [c.code for c in cpv]),
    )
    return fresh


def publication_problems(challenge: Challenge) -> list[str]:
    """Everything that stops a draft from being published, in words for the buyer."""
    problems: list[str] = []
    if not challenge.lead_authority.is_verified:
        problems.append(_("The lead authority is not verified."))
    if not challenge.cpv_codes.exists():
        problems.append(_("Add at least one CPV code."))
    for buyer in challenge.buyers.select_related("authority").filter(is_lead=False):
        if not (buyer.authority.is_authority and buyer.authority.is_verified):
            problems.append(
                _("Co-buyer %(name)s is no longer a verified authority: remove it.")
                % {"name": buyer.authority.name}
            )
    phases = list(challenge.phases.order_by("order"))
    if not phases:
        problems.append(_("Add at least one phase."))
    totals: dict[int, int] = {}
    for phase_id, weight in AwardCriterion.objects.filter(phase__challenge=challenge).values_list(
        "phase_id", "weight"
    ):
        totals[phase_id] = totals.get(phase_id, 0) + weight
    for phase in phases:
        total = totals.get(phase.pk, 0)
        if phase.takes_proposals:
            if total != 100:
                problems.append(
                    _(
                        "The award criteria of phase %(order)d (%(title)s) total %(total)d%%: "
                        "they must total exactly 100%%."
                    )
                    % {"order": phase.order, "title": phase.title, "total": total}
                )
            if not is_future(phase.deadline):
                problems.append(
                    _("Phase %(order)d (%(title)s) needs a deadline in the future.")
                    % {"order": phase.order, "title": phase.title}
                )
        elif total not in (0, 100):
            problems.append(
                _(
                    "The award criteria of phase %(order)d (%(title)s) total %(total)d%%: "
                    "they must total exactly 100%% or be removed."
                )
                % {"order": phase.order, "title": phase.title, "total": total}
            )
        errors: dict[str, list[str]] = {}
        check_phase_dates(phase.opens_at, phase.deadline, phase.ends_at, errors)
        for messages in errors.values():
            problems.extend(
                _("Phase %(order)d (%(title)s): %(problem)s")
                % {"order": phase.order, "title": phase.title, "problem": message}
                for message in messages
            )
    return problems


@transaction.atomic
def challenge_publish(*, actor: Any, challenge: Challenge, version: int | None = None) -> Challenge:
    """Draft → published: checked whole, so nothing half-ready goes public."""
    fresh = lock_challenge(challenge)
    require_lead_buyer(actor, fresh)
    check_version(fresh, version)
    before_status = fresh.status
    transition(
        fresh, to=ChallengeStatus.PUBLISHED, allowed=CHALLENGE_TRANSITIONS, label=_("A challenge")
    )
    problems = publication_problems(fresh)
    if problems:
        raise InvalidInput(
            _("This challenge cannot be published yet: %(problems)s")
            % {"problems": " ".join(problems)},
            code="not_ready",
            problems=problems,
        )
    fresh.version += 1
    fresh.save()
    audit_record(
        actor=actor,
        action="challenge.publish",
        obj=fresh,
        organisation_id=fresh.lead_authority.public_id,
        before={"status": before_status},
        after={"status": fresh.status, "published_at": fresh.published_at},
    )
    return fresh


@transaction.atomic
def challenge_complete(*, actor: Any, challenge: Challenge) -> Challenge:
    """Published → completed, once every phase is decided."""
    fresh = lock_challenge(challenge)
    require_lead_buyer(actor, fresh)
    if fresh.status == ChallengeStatus.PUBLISHED:
        undecided = list(
            Phase.objects.filter(challenge=fresh)
            .exclude(status=PhaseStatus.DECIDED)
            .values_list("title", flat=True)
        )
        if undecided:
            raise InvalidTransition(
                _("Every phase must be decided first. Not decided yet: %(phases)s.")
                % {"phases": ", ".join(undecided)},
                code="phases_undecided",
            )
    before_status = fresh.status
    transition(
        fresh, to=ChallengeStatus.COMPLETED, allowed=CHALLENGE_TRANSITIONS, label=_("A challenge")
    )
    fresh.version += 1
    fresh.save()
    audit_record(
        actor=actor,
        action="challenge.complete",
        obj=fresh,
        organisation_id=fresh.lead_authority.public_id,
        before={"status": before_status},
        after={"status": fresh.status},
    )
    return fresh


@transaction.atomic
def challenge_cancel(*, actor: Any, challenge: Challenge, reason: str) -> Challenge:
    """Draft or published → cancelled; the reason is published on the challenge's page."""
    fresh = lock_challenge(challenge)
    require_lead_buyer(actor, fresh)
    errors: dict[str, list[str]] = {}
    text = clean_text(
        reason,
        field="reason",
        errors=errors,
        required_message=_("Give the reason for cancelling: it is published."),
        max_length=5000,
    )
    raise_if(errors)
    before_status = fresh.status
    transition(
        fresh, to=ChallengeStatus.CANCELLED, allowed=CHALLENGE_TRANSITIONS, label=_("A challenge")
    )
    fresh.cancellation_reason = text
    fresh.version += 1
    fresh.save()
    audit_record(
        actor=actor,
        action="challenge.cancel",
        obj=fresh,
        organisation_id=fresh.lead_authority.public_id,
        before={"status": before_status},
        after={"status": fresh.status, "reason": text},
    )
    return fresh


__all__ = [
    "challenge_cancel",
    "challenge_complete",
    "challenge_create",
    "challenge_create_from_need",
    "challenge_publish",
    "challenge_update",
    "publication_problems",
]
