"""Who may do what with proposals. Pure predicates; services and selectors both ask them.

The seal itself (who may read content, and when) lives in ``selectors``, because a refused
read must also leave a trace in the audit log.
"""

from __future__ import annotations

import importlib
from typing import Any

from django.utils import timezone

from govhub.challenges.models import Challenge, ChallengeBuyer, Phase
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import (
    Membership,
    Organisation,
    OrganisationKind,
    VerificationStatus,
)

# EU member states come from the reference data (Country.is_eu); the EEA adds these three.
EEA_NON_EU_ALPHA2 = frozenset({"IS", "LI", "NO"})
SME_SIZES = frozenset({"micro", "small", "medium"})


def is_signed_in(user: Any) -> bool:
    return org_permissions.is_signed_in(user)


def is_company_member(user: Any, company: Organisation) -> bool:
    return company.kind == OrganisationKind.COMPANY and org_permissions.is_member(user, company)


def companies_of(user: Any) -> list[Organisation]:
    """The companies the user may propose for (suspended ones cannot)."""
    if not is_signed_in(user):
        return []
    return list(
        Organisation.objects.filter(memberships__user=user, kind=OrganisationKind.COMPANY)
        .exclude(status=VerificationStatus.SUSPENDED)
        .select_related("country", "size")
        .order_by("name", "pk")
    )


def is_sme(company: Organisation) -> bool:
    return company.size is not None and company.size.code in SME_SIZES


def is_eu_eea(company: Organisation) -> bool:
    country = company.country
    return bool(country.is_eu) or (country.alpha2 or "").upper() in EEA_NON_EU_ALPHA2


def buying_authority_ids(challenge: Challenge) -> set[int]:
    """The lead and every co-buying authority (the lead counts even without its buyer row)."""
    ids = set(
        ChallengeBuyer.objects.filter(challenge=challenge).values_list("authority_id", flat=True)
    )
    ids.add(challenge.lead_authority_id)
    return ids


def _roles(user: Any, challenge: Challenge) -> list[Membership]:
    if not is_signed_in(user):
        return []
    return list(
        Membership.objects.filter(
            user=user,
            organisation_id__in=buying_authority_ids(challenge),
            organisation__kind=OrganisationKind.AUTHORITY,
            organisation__status=VerificationStatus.VERIFIED,
        )
    )


def is_challenge_buyer(user: Any, challenge: Challenge) -> bool:
    """A buyer of a verified lead or co-buying authority."""
    return any(m.is_buyer for m in _roles(user, challenge))


def is_challenge_evaluator(user: Any, challenge: Challenge) -> bool:
    return any(m.is_evaluator for m in _roles(user, challenge))


def can_see_phase_overview(user: Any, phase: Phase) -> bool:
    """Buyers and evaluators of the buying authorities see how many proposals arrived."""
    roles = _roles(user, phase.challenge)
    return any(m.is_buyer or m.is_evaluator for m in roles)


def deadline_passed(phase: Phase, now: Any = None) -> bool:
    now = now or timezone.now()
    return phase.deadline is not None and now >= phase.deadline


def is_opened(phase: Phase, now: Any = None) -> bool:
    """Opened by a buyer, and (belt and braces) the deadline really is behind us."""
    return phase.proposals_opened_at is not None and deadline_passed(phase, now)


def has_two_factor(user: Any) -> bool:
    from govhub.accounts.selectors import two_factor_waived, user_has_totp

    return user_has_totp(user=user) or two_factor_waived(user=user)


def can_open(user: Any, phase: Phase) -> bool:
    """Only a buyer of the lead authority, signed in with two-factor authentication."""
    challenge = phase.challenge
    return org_permissions.can_publish_for(user, challenge.lead_authority) and has_two_factor(user)


def evaluator_may_read(user: Any, phase: Phase) -> bool:
    """The evaluation app's word on whether this evaluator may read (conflict-of-interest
    declaration signed…). Without an evaluation app, evaluators read nothing."""
    try:
        module = importlib.import_module("govhub.evaluation.selectors")
    except ModuleNotFoundError as error:
        if error.name in {"govhub.evaluation", "govhub.evaluation.selectors"}:
            return False
        raise
    hook = getattr(module, "evaluator_may_read", None)
    return bool(hook(user, phase)) if hook is not None else False
