"""Reads for innovation needs. Each list selects its related rows up front (no N+1)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Exists, OuterRef, Prefetch, Q, QuerySet
from django.urls import NoReverseMatch, reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govhub.challenges.models import Challenge, ChallengeBuyer, ChallengeStatus, PhaseStatus
from govhub.organisations import permissions as org_permissions
from govhub.organisations.models import Membership, Organisation, OrganisationKind
from govhub.reference.models import CpvCode

from . import permissions, similarity
from .models import InnovationNeed, InterestStatus, NeedInterest, NeedStatus

PAGE_SIZE = 20
# Similar needs are ranked in Python; past this many candidates only the newest count.
MAX_CANDIDATES = 200
# How many shared words a reason names.
REASON_WORDS = 5

_NEED_RELATED = ("authority", "authority__country", "nuts_region")
_CpvThrough = InnovationNeed.cpv_codes.through


def _with_cpv(qs: QuerySet[InnovationNeed]) -> QuerySet[InnovationNeed]:
    return qs.prefetch_related(Prefetch("cpv_codes", queryset=CpvCode.objects.order_by("code")))


def _has_cpv_prefix(prefix: str) -> Exists:
    return Exists(
        _CpvThrough.objects.filter(
            innovationneed_id=OuterRef("pk"), cpvcode__digits__startswith=prefix
        )
    )


def cpv_divisions() -> QuerySet[CpvCode]:
    """The CPV divisions (two-digit level), for the list's filter."""
    return CpvCode.objects.filter(level=2).order_by("code")


def needs_filtered(
    *, division: str | None = None, country: Any = None, query: str | None = None
) -> QuerySet[InnovationNeed]:
    """Published needs matching the filters; ``country`` is the authority's Country or its
    alpha-3 code, ``division`` the first two digits of a CPV code."""
    qs = _with_cpv(
        InnovationNeed.objects.filter(status=NeedStatus.PUBLISHED).select_related(*_NEED_RELATED)
    ).order_by("-published_at", "-id")
    if division:
        qs = qs.filter(_has_cpv_prefix(division[:2]))
    if country:
        qs = (
            qs.filter(authority__country__code=country)
            if isinstance(country, str)
            else qs.filter(authority__country=country)
        )
    text = (query or "").strip()
    if text:
        qs = qs.filter(
            Q(title__icontains=text)
            | Q(problem__icontains=text)
            | Q(expected_outcomes__icontains=text)
            | Q(authority__name__icontains=text)
        )
    return qs


def paginate(qs: QuerySet[Any], page: Any, per_page: int = PAGE_SIZE) -> Page[Any]:
    """One page; a missing, malformed or out-of-range page number gives the nearest page."""
    return Paginator(qs, per_page).get_page(page)


def need_list(
    *,
    division: str | None = None,
    country: Any = None,
    query: str | None = None,
    page: Any = 1,
    per_page: int = PAGE_SIZE,
) -> Page[InnovationNeed]:
    return paginate(needs_filtered(division=division, country=country, query=query), page, per_page)


def need_detail(*, public_id: UUID | str) -> InnovationNeed | None:
    return (
        _with_cpv(InnovationNeed.objects.select_related(*_NEED_RELATED, "created_by"))
        .filter(public_id=public_id)
        .first()
    )


def active_interests(*, need: InnovationNeed) -> QuerySet[NeedInterest]:
    """The authorities that want to buy with the need's authority, with their shares: what
    a joint challenge made from the need takes as its co-buyers."""
    return (
        NeedInterest.objects.filter(need=need, status=InterestStatus.ACTIVE)
        .select_related("authority", "authority__country")
        .order_by("created_at", "id")
    )


def interest_detail(*, need: InnovationNeed, public_id: UUID | str) -> NeedInterest | None:
    return (
        NeedInterest.objects.filter(need=need, public_id=public_id)
        .select_related("authority", "need")
        .first()
    )


def publishable_authorities(*, user: Any) -> list[Organisation]:
    """The verified authorities the user is a buyer of: those they may act for."""
    if not org_permissions.is_signed_in(user):
        return []
    memberships = (
        Membership.objects.filter(
            user=user, is_buyer=True, organisation__kind=OrganisationKind.AUTHORITY
        )
        .select_related("organisation")
        .order_by("organisation__name", "organisation__id")
    )
    return [
        m.organisation
        for m in memberships
        if org_permissions.can_grant_authority_roles(m.organisation)
    ]


def authorities_for_interest(*, user: Any, need: InnovationNeed) -> list[Organisation]:
    """The user's authorities that may still express interest in the need."""
    if not permissions.accepts_interest(need):
        return []
    mine = publishable_authorities(user=user)
    if not mine:
        return []
    taken = set(
        NeedInterest.objects.filter(need=need, status=InterestStatus.ACTIVE).values_list(
            "authority_id", flat=True
        )
    )
    return [org for org in mine if org.pk != need.authority_id and org.pk not in taken]


def interests_withdrawable_by(*, user: Any, interests: list[NeedInterest]) -> set[int]:
    """Which of the listed interests the user may withdraw (their own authorities')."""
    mine = {org.pk for org in publishable_authorities(user=user)}
    return {interest.pk for interest in interests if interest.authority_id in mine}


# --- similar needs -----------------------------------------------------------------------


@dataclass(frozen=True)
class SimilarNeed:
    need: InnovationNeed
    score: float
    groups: tuple[str, ...]
    common_words: tuple[str, ...]
    reason: str


def cpv_group(code: CpvCode) -> str:
    """A CPV code's group: its first three digits (722 for 72212000-4)."""
    return code.digits[:3]


def _reason(groups: tuple[str, ...], words: tuple[str, ...]) -> str:
    parts = [
        ngettext("same CPV group %(groups)s", "same CPV groups %(groups)s", len(groups))
        % {"groups": ", ".join(groups)}
    ]
    if words:
        parts.append(
            ngettext(
                "%(count)d word in common: %(words)s",
                "%(count)d words in common: %(words)s",
                len(words),
            )
            % {
                "count": len(words),
                "words": ", ".join(words[:REASON_WORDS])
                + ("…" if len(words) > REASON_WORDS else ""),
            }
        )
    else:
        parts.append(_("no words in common"))
    return "; ".join(parts)


def similar_needs(need: InnovationNeed, limit: int = 5) -> list[SimilarNeed]:
    """Published needs at other authorities that could be bought together with ``need``.

    Candidates share a CPV group (first three digits) with it; they are ranked by how alike
    their titles and problems read (TF-IDF cosine, see ``similarity``), then by how many
    groups they share, then newest first: the same data always gives the same list.
    """
    groups = sorted({cpv_group(code) for code in need.cpv_codes.all()})
    if not groups or limit <= 0:
        return []
    shares_group = Q(*(_has_cpv_prefix(group) for group in groups), _connector=Q.OR)
    candidates = list(
        _with_cpv(
            InnovationNeed.objects.filter(status=NeedStatus.PUBLISHED)
            .exclude(authority_id=need.authority_id)
            .exclude(pk=need.pk)
            .filter(shares_group)
            .select_related(*_NEED_RELATED)
        ).order_by("-published_at", "-id")[:MAX_CANDIDATES]
    )
    if not candidates:
        return []
    matches = similarity.rank(
        similarity.terms(need.title, need.problem),
        [similarity.terms(c.title, c.problem) for c in candidates],
    )
    wanted = set(groups)
    forms = similarity.surface_forms(need.title, need.problem)
    results = []
    for candidate, match in zip(candidates, matches, strict=True):
        shared = tuple(sorted(wanted & {cpv_group(code) for code in candidate.cpv_codes.all()}))
        words = tuple(forms.get(stem, stem) for stem in match.common)
        results.append(
            SimilarNeed(
                need=candidate,
                score=match.score,
                groups=shared,
                common_words=words,
                reason=_reason(shared, words),
            )
        )
    # Candidates came newest first, and sorted() is stable: equal scores stay newest first.
    results.sort(key=lambda s: (-s.score, -len(s.groups)))
    return results[:limit]


# --- innovation plan ----------------------------------------------------------------------


@dataclass(frozen=True)
class PlanChallenge:
    challenge: Challenge
    is_lead: bool
    url: str | None
    current_phase: Any


@dataclass
class InnovationPlan:
    authority: Organisation
    needs: list[InnovationNeed]
    withdrawn: list[InnovationNeed]
    challenges: list[PlanChallenge]
    drafts: list[InnovationNeed] = field(default_factory=list)


def plan_authority(*, public_id: UUID | str) -> Organisation | None:
    return (
        Organisation.objects.filter(public_id=public_id, kind=OrganisationKind.AUTHORITY)
        .select_related("country", "nuts_region")
        .first()
    )


def challenge_url(challenge: Challenge) -> str | None:
    """The challenge's public page, once the challenges app has one."""
    try:
        return reverse("challenges:detail", args=[challenge.public_id])
    except NoReverseMatch:
        return None


def _current_phase(challenge: Challenge) -> Any:
    """The open phase, else the next planned one, else the last: what the plan shows."""
    phases = list(challenge.phases.all())
    for status in (PhaseStatus.OPEN, PhaseStatus.PLANNED):
        for phase in phases:
            if phase.status == status:
                return phase
    return phases[-1] if phases else None


def plan_challenges(*, authority: Organisation) -> list[PlanChallenge]:
    """Challenges the authority leads or co-buys, once public (drafts are the lead's own)."""
    co_buys = Exists(ChallengeBuyer.objects.filter(challenge=OuterRef("pk"), authority=authority))
    challenges = (
        Challenge.objects.filter(Q(lead_authority=authority) | co_buys)
        .exclude(status=ChallengeStatus.DRAFT)
        .select_related("lead_authority")
        .prefetch_related("phases")
        .order_by("-published_at", "-id")
    )
    return [
        PlanChallenge(
            challenge=challenge,
            is_lead=challenge.lead_authority_id == authority.pk,
            url=challenge_url(challenge),
            current_phase=_current_phase(challenge),
        )
        for challenge in challenges
    ]


def innovation_plan(*, authority: Organisation, viewer: Any) -> InnovationPlan:
    """The authority's published needs and challenges; its members also see its drafts."""
    needs = list(
        _with_cpv(
            InnovationNeed.objects.filter(
                authority=authority, status__in=[NeedStatus.PUBLISHED, NeedStatus.CONVERTED]
            ).select_related("nuts_region")
        ).order_by("-published_at", "-id")
    )
    withdrawn = list(
        InnovationNeed.objects.filter(
            authority=authority, status=NeedStatus.WITHDRAWN, published_at__isnull=False
        ).order_by("-withdrawn_at", "-id")
    )
    plan = InnovationPlan(
        authority=authority,
        needs=needs,
        withdrawn=withdrawn,
        challenges=plan_challenges(authority=authority),
    )
    if org_permissions.is_member(viewer, authority):
        plan.drafts = list(
            InnovationNeed.objects.filter(authority=authority, status=NeedStatus.DRAFT)
            .select_related("created_by")
            .order_by("-updated_at", "-id")
        )
    return plan


def create_challenge_url(need: InnovationNeed) -> str | None:
    """Where the need's buyers turn it into a challenge, once the challenges app offers it."""
    try:
        return reverse("challenges:create_from_need", kwargs={"need_id": need.public_id})
    except NoReverseMatch:
        return None


def need_challenges(*, need: InnovationNeed, include_drafts: bool = False) -> list[PlanChallenge]:
    """The challenges the need was turned into: public ones, and drafts for its buyers."""
    challenges = Challenge.objects.filter(need=need)
    if not include_drafts:
        challenges = challenges.exclude(status=ChallengeStatus.DRAFT)
    challenges = (
        challenges.select_related("lead_authority")
        .prefetch_related("phases")
        .order_by("-published_at", "-id")
    )
    return [
        PlanChallenge(
            challenge=c,
            is_lead=c.lead_authority_id == need.authority_id,
            url=challenge_url(c),
            current_phase=_current_phase(c),
        )
        for c in challenges
    ]
