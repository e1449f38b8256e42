"""Writes on the reuse side: adoptions by verified authorities, their reviews, and turning a
challenge's pilot or award into an adoption in one action."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.challenges.models import Challenge
from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.evaluation.models import Outcome, OutcomeKind, PilotPlan
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Organisation
from govhub.reference.models import NutsRegion

from .. import permissions
from ..models import (
    Adoption,
    AdoptionScale,
    AdoptionStatus,
    CostBand,
    Review,
    Solution,
    SolutionStatus,
)

__all__ = [
    "ChallengeWinners",
    "adoption_end",
    "adoption_from_challenge",
    "adoption_record",
    "adoption_update",
    "challenge_winners",
    "review_create",
    "review_update",
]

ADOPTION_FIELDS = (
    "nuts_region",
    "since",
    "scale",
    "users_count",
    "outcome",
    "cost_band",
    "lessons_learnt",
)


def _signed_in(actor: Any) -> None:
    if not org_permissions.is_signed_in(actor):
        raise NotAllowed(_("You need to sign in first."))


def _require_adopter(actor: Any, authority: Organisation) -> None:
    _signed_in(actor)
    if not permissions.can_adopt_for(actor, authority):
        raise NotAllowed(
            _(
                "Only buyers and administrators of a verified public authority can record "
                "that it uses a solution."
            ),
            code="not_an_adopter",
        )


def _nuts_country(region: NutsRegion) -> str:
    return "GR" if region.country_code == "EL" else region.country_code


def _clean(authority: Organisation, values: dict[str, Any]) -> dict[str, Any]:
    out = dict(values)
    errors: dict[str, list[str]] = {}
    region = out.get("nuts_region")
    if region is not None and _nuts_country(region) != (authority.country.alpha2 or ""):
        errors["nuts_region"] = [
            _("Choose a region in %(country)s") % {"country": authority.country.label}
        ]
    since = out.get("since")
    if since is not None and since > timezone.localdate():
        errors["since"] = [_("The date must be today or in the past")]
    if "scale" in out:
        out["scale"] = out["scale"] or ""
        if out["scale"] and out["scale"] not in AdoptionScale.values:
            errors["scale"] = [_("Choose one of the options")]
    if "cost_band" in out:
        out["cost_band"] = out["cost_band"] or ""
        if out["cost_band"] and out["cost_band"] not in CostBand.values:
            errors["cost_band"] = [_("Choose one of the options")]
    users = out.get("users_count")
    if users is not None and int(users) < 0:
        errors["users_count"] = [_("Enter a number of zero or more")]
    for name in ("outcome", "lessons_learnt"):
        if name in out:
            out[name] = (out[name] or "").strip()
    if errors:
        raise InvalidInput(_("Check the highlighted facts and try again."), field_errors=errors)
    return out


def _facts(adoption: Adoption) -> dict[str, Any]:
    return {
        "solution": str(adoption.solution.public_id),
        "authority": str(adoption.authority.public_id),
        "nuts_region": adoption.nuts_region.code if adoption.nuts_region else None,
        "since": adoption.since.isoformat() if adoption.since else None,
        "scale": adoption.scale,
        "users_count": adoption.users_count,
        "outcome": adoption.outcome,
        "cost_band": adoption.cost_band,
        "lessons_learnt": adoption.lessons_learnt,
        "status": adoption.status,
        "challenge": str(adoption.challenge.public_id) if adoption.challenge else None,
    }


def _create(
    *,
    actor: Any,
    solution: Solution,
    authority: Organisation,
    values: dict[str, Any],
    challenge: Challenge | None = None,
    pilot: PilotPlan | None = None,
) -> Adoption:
    locked = Solution.objects.select_for_update(of=("self",)).get(pk=solution.pk)
    if locked.status != SolutionStatus.PUBLISHED:
        raise InvalidTransition(
            _("Only a published solution can be recorded as adopted."), current=locked.status
        )
    if Adoption.objects.filter(solution=locked, authority=authority).exists():
        raise Conflict(
            _("%(authority)s already records that it uses this solution.")
            % {"authority": authority.name},
            code="already_adopted",
        )
    cleaned = _clean(authority, values)
    if cleaned.get("nuts_region") is None:
        cleaned["nuts_region"] = authority.nuts_region
    adoption = Adoption.objects.create(
        solution=locked,
        authority=authority,
        recorded_by=actor,
        challenge=challenge,
        pilot=pilot,
        **cleaned,
    )
    audit_record(
        actor=actor,
        action="adoption.record",
        obj=adoption,
        organisation_id=authority.public_id,
        after=_facts(adoption),
    )
    return adoption


@transaction.atomic
def adoption_record(
    *,
    actor: Any,
    solution: Solution,
    authority: Organisation,
    nuts_region: NutsRegion | None = None,
    since: dt.date | None = None,
    scale: str = "",
    users_count: int | None = None,
    outcome: str = "",
    cost_band: str = "",
    lessons_learnt: str = "",
) -> Adoption:
    """The authority records that it runs the published solution (once per solution)."""
    _require_adopter(actor, authority)
    return _create(
        actor=actor,
        solution=solution,
        authority=authority,
        values={
            "nuts_region": nuts_region,
            "since": since,
            "scale": scale,
            "users_count": users_count,
            "outcome": outcome,
            "cost_band": cost_band,
            "lessons_learnt": lessons_learnt,
        },
    )


@transaction.atomic
def adoption_update(*, actor: Any, adoption: Adoption, **changes: Any) -> Adoption:
    """Change what the authority says about its use (fields of ``ADOPTION_FIELDS``)."""
    unknown = set(changes) - set(ADOPTION_FIELDS)
    if unknown:
        raise TypeError(f"unknown adoption fields: {', '.join(sorted(unknown))}")
    locked = (
        Adoption.objects.select_for_update(of=("self",))
        .select_related("authority__country", "solution", "nuts_region", "challenge")
        .get(pk=adoption.pk)
    )
    _require_adopter(actor, locked.authority)
    cleaned = _clean(locked.authority, changes)
    before = _facts(locked)
    for name, value in cleaned.items():
        setattr(locked, name, value)
    locked.save()
    audit_record(
        actor=actor,
        action="adoption.update",
        obj=locked,
        organisation_id=locked.authority.public_id,
        before=before,
        after=_facts(locked),
    )
    for name in cleaned:
        setattr(adoption, name, getattr(locked, name))
    return adoption


@transaction.atomic
def adoption_end(*, actor: Any, adoption: Adoption, lessons_learnt: str | None = None) -> Adoption:
    """The authority no longer uses the solution; the record and its review stay."""
    locked = (
        Adoption.objects.select_for_update(of=("self",))
        .select_related("authority", "solution")
        .get(pk=adoption.pk)
    )
    _require_adopter(actor, locked.authority)
    if locked.status != AdoptionStatus.ACTIVE:
        raise InvalidTransition(_("This adoption has already ended."), current=locked.status)
    locked.status = AdoptionStatus.ENDED
    locked.ended_at = timezone.now()
    if lessons_learnt is not None and lessons_learnt.strip():
        locked.lessons_learnt = lessons_learnt.strip()
    locked.save()
    audit_record(
        actor=actor,
        action="adoption.end",
        obj=locked,
        organisation_id=locked.authority.public_id,
        before={"status": AdoptionStatus.ACTIVE},
        after={"status": locked.status, "lessons_learnt": locked.lessons_learnt},
    )
    adoption.status, adoption.ended_at = locked.status, locked.ended_at
    adoption.lessons_learnt = locked.lessons_learnt
    return adoption


# Reviews -----------------------------------------------------------------------------------


def _review_values(rating: Any, title: str, body: str) -> dict[str, Any]:
    errors: dict[str, list[str]] = {}
    try:
        value = int(rating)
    except (TypeError, ValueError):
        value = 0
    if not 1 <= value <= 5:
        errors["rating"] = [_("Choose a rating from 1 to 5")]
    title = (title or "").strip()
    body = (body or "").strip()
    if not title:
        errors["title"] = [_("Enter a title for your review")]
    elif len(title) > 200:
        errors["title"] = [_("Enter no more than %(limit)d characters") % {"limit": 200}]
    if not body:
        errors["body"] = [_("Write your review")]
    if errors:
        raise InvalidInput(_("Check the highlighted facts and try again."), field_errors=errors)
    return {"rating": value, "title": title, "body": body}


def _require_reviewer(actor: Any, adoption: Adoption) -> None:
    _signed_in(actor)
    if not permissions.can_review(actor, adoption):
        raise NotAllowed(
            _("Only members of %(authority)s can review its use of this solution.")
            % {"authority": adoption.authority.name},
            code="not_an_adopter",
        )


@transaction.atomic
def review_create(*, actor: Any, adoption: Adoption, rating: int, title: str, body: str) -> Review:
    """The adopting authority rates and reviews the solution (one review per adoption)."""
    locked = (
        Adoption.objects.select_for_update(of=("self",))
        .select_related("authority", "solution")
        .get(pk=adoption.pk)
    )
    _require_reviewer(actor, locked)
    values = _review_values(rating, title, body)
    if Review.objects.filter(adoption=locked).exists():
        raise Conflict(
            _("%(authority)s has already reviewed this solution; change its review instead.")
            % {"authority": locked.authority.name},
            code="already_reviewed",
        )
    review = Review.objects.create(
        adoption=locked, solution=locked.solution, author=actor, **values
    )
    audit_record(
        actor=actor,
        action="review.create",
        obj=review,
        organisation_id=locked.authority.public_id,
        after={**values, "solution": str(locked.solution.public_id)},
    )
    return review


@transaction.atomic
def review_update(*, actor: Any, review: Review, rating: int, title: str, body: str) -> Review:
    locked = (
        Review.objects.select_for_update(of=("self",))
        .select_related("adoption__authority", "solution")
        .get(pk=review.pk)
    )
    _require_reviewer(actor, locked.adoption)
    values = _review_values(rating, title, body)
    before = {"rating": locked.rating, "title": locked.title, "body": locked.body}
    for name, value in values.items():
        setattr(locked, name, value)
    locked.author = actor
    locked.save()
    audit_record(
        actor=actor,
        action="review.update",
        obj=locked,
        organisation_id=locked.adoption.authority.public_id,
        before=before,
        after=values,
    )
    review.rating, review.title, review.body = locked.rating, locked.title, locked.body
    return review


# From a challenge ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ChallengeWinners:
    """The companies a challenge awarded, and those that piloted (agreed plan) in it."""

    awarded: frozenset[int]
    pilots: dict[int, PilotPlan]

    @property
    def companies(self) -> frozenset[int]:
        return self.awarded | frozenset(self.pilots)


def challenge_winners(challenge: Challenge) -> ChallengeWinners:
    awarded: frozenset[int] = frozenset()
    outcome = Outcome.objects.filter(challenge=challenge, kind=OutcomeKind.AWARDED).first()
    if outcome is not None:
        awarded = frozenset(outcome.awarded_proposals.values_list("company_id", flat=True))
    pilots: dict[int, PilotPlan] = {}
    plans = (
        PilotPlan.objects.filter(phase__challenge=challenge)
        .select_related("proposal")
        .order_by("created_at")
    )
    for plan in plans:
        if plan.is_agreed:
            pilots[plan.proposal.company_id] = plan
    return ChallengeWinners(awarded=awarded, pilots=pilots)


@transaction.atomic
def adoption_from_challenge(
    *,
    actor: Any,
    challenge: Challenge,
    solution: Solution,
    include_cobuyers: bool = False,
    since: dt.date | None = None,
) -> list[Adoption]:
    """Turn the challenge's award (or agreed pilot) into an adoption of the winner's published
    solution by the lead buyer authority, and by each co-buyer if asked; the adoption keeps
    the link to the challenge and the pilot. Authorities that already record the solution are
    skipped; the adoptions made are returned."""
    lead = challenge.lead_authority
    _require_adopter(actor, lead)
    winners = challenge_winners(challenge)
    if solution.provider_id not in winners.companies:
        raise InvalidInput(
            _("This solution is not provided by a company that this challenge awarded or piloted."),
            code="not_a_winner",
            field_errors={"solution": [_("Choose a solution of the awarded or piloting company")]},
        )
    pilot = winners.pilots.get(solution.provider_id)
    awarded = solution.provider_id in winners.awarded
    authorities = [lead]
    if include_cobuyers:
        authorities += [
            buyer.authority
            for buyer in challenge.buyers.select_related("authority__country").filter(is_lead=False)
        ]
    already = set(
        Adoption.objects.filter(solution=solution, authority__in=authorities).values_list(
            "authority_id", flat=True
        )
    )
    made: list[Adoption] = []
    for authority in authorities:
        if authority.pk in already or not authority.is_verified:
            continue
        made.append(
            _create(
                actor=actor,
                solution=solution,
                authority=authority,
                values={
                    "since": since or timezone.localdate(),
                    "scale": "" if awarded else AdoptionScale.PILOT,
                    "outcome": "",
                },
                challenge=challenge,
                pilot=pilot,
            )
        )
    if not made:
        raise Conflict(
            _("%(authority)s already records that it uses this solution.")
            % {"authority": lead.name},
            code="already_adopted",
        )
    return made
