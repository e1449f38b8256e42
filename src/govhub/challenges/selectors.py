"""Reads for challenges. Each list selects its related rows up front (no N+1 in templates).

The public history is read from the audit log, restricted to the public actions of the
challenge, its phases, documents and answered clarifications. It never carries who did
them: the public page names authorities, not people, and never the companies that asked.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any
from uuid import UUID

from django.core.paginator import Page, Paginator
from django.db.models import Exists, Min, OuterRef, Prefetch, Q, QuerySet
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhub.core.models import AuditEvent
from govhub.organisations.models import Membership
from govhub.reference.models import Country, CpvCode

from .models import (
    AwardCriterion,
    Challenge,
    ChallengeBuyer,
    ChallengeStatus,
    Clarification,
    Phase,
    PhaseDocument,
    PhaseStatus,
)

PAGE_SIZE = 20
PUBLIC_STATUSES = (ChallengeStatus.PUBLISHED, ChallengeStatus.COMPLETED, ChallengeStatus.CANCELLED)


def _buyers_prefetch() -> Prefetch[Any]:
    return Prefetch(
        "buyers",
        queryset=ChallengeBuyer.objects.select_related("authority__country").order_by(
            "-is_lead", "authority__name"
        ),
    )


def _taking_proposals(now: dt.datetime) -> QuerySet[Phase]:
    """Open phases whose deadline is ahead, of challenges still running (not cancelled)."""
    return Phase.objects.filter(
        challenge=OuterRef("pk"),
        challenge__status=ChallengeStatus.PUBLISHED,
        status=PhaseStatus.OPEN,
        deadline__gt=now,
    )


def _with_list_facts(qs: QuerySet[Challenge]) -> QuerySet[Challenge]:
    now = timezone.now()
    return (
        qs.select_related("lead_authority__country", "nuts_region")
        .prefetch_related(_buyers_prefetch(), "cpv_codes")
        .annotate(
            is_open_now=Exists(_taking_proposals(now)),
            next_deadline=Min(
                "phases__deadline",
                filter=Q(
                    status=ChallengeStatus.PUBLISHED,
                    phases__status=PhaseStatus.OPEN,
                    phases__deadline__gt=now,
                ),
            ),
        )
    )


def public_challenges(
    *,
    status: str | None = None,
    cpv_division: str | None = None,
    country: str | None = None,
    open_now: bool = False,
) -> QuerySet[Challenge]:
    """Challenges that have been published (and stay public once completed or cancelled).

    ``cpv_division`` is a CPV division's two digits; ``country`` a buying authority's
    country (alpha-3); ``open_now`` keeps those with a phase taking proposals now.
    """
    qs = Challenge.objects.filter(published_at__isnull=False, status__in=PUBLIC_STATUSES)
    if status:
        qs = qs.filter(status=status)
    if cpv_division:
        qs = qs.filter(
            Exists(
                Challenge.cpv_codes.through.objects.filter(
                    challenge=OuterRef("pk"), cpvcode__digits__startswith=cpv_division[:2]
                )
            )
        )
    if country:
        qs = qs.filter(
            Exists(
                ChallengeBuyer.objects.filter(
                    challenge=OuterRef("pk"), authority__country__code=country
                )
            )
        )
    if open_now:
        qs = qs.filter(Exists(_taking_proposals(timezone.now())))
    return _with_list_facts(qs).order_by("-published_at", "-pk")


def paginate(qs: QuerySet[Any], page: Any) -> Page[Any]:
    return Paginator(qs, PAGE_SIZE).get_page(page)


def challenge_list(*, page: Any = 1, **filters: Any) -> Page[Challenge]:
    return paginate(public_challenges(**filters), page)


def cpv_divisions() -> QuerySet[CpvCode]:
    return CpvCode.objects.filter(level=2).order_by("code")


def buyer_countries() -> QuerySet[Country]:
    """Countries of authorities buying through public challenges: the country filter's choices."""
    return Country.objects.filter(
        code__in=ChallengeBuyer.objects.filter(challenge__published_at__isnull=False).values(
            "authority__country__code"
        )
    ).order_by("code")


def challenge_detail(*, public_id: UUID) -> Challenge | None:
    return (
        Challenge.objects.select_related("lead_authority__country", "nuts_region", "need")
        .filter(public_id=public_id)
        .first()
    )


def challenges_of_user(user: Any) -> QuerySet[Challenge]:
    """Every challenge an authority of the user's buys through, drafts included."""
    authorities = Membership.objects.filter(user=user).values("organisation_id")
    return _with_list_facts(
        Challenge.objects.filter(
            Exists(
                ChallengeBuyer.objects.filter(
                    challenge=OuterRef("pk"), authority_id__in=authorities
                )
            )
        )
    ).order_by("-updated_at", "-pk")


def phases_for_page(challenge: Challenge) -> list[Phase]:
    """The phases in order, each with its criteria, documents and published clarifications."""
    return list(
        Phase.objects.filter(challenge=challenge)
        .order_by("order")
        .prefetch_related(
            Prefetch(
                "criteria",
                queryset=AwardCriterion.objects.select_related("criterion_type")
                .prefetch_related("gpp_criteria")
                .order_by("order"),
            ),
            Prefetch("documents", queryset=PhaseDocument.objects.order_by("created_at", "pk")),
            Prefetch(
                "clarifications",
                queryset=Clarification.objects.filter(answered_at__isnull=False).order_by(
                    "answered_at", "pk"
                ),
                to_attr="published_clarifications",
            ),
        )
    )


def buyers_of(challenge: Challenge) -> list[ChallengeBuyer]:
    return list(
        ChallengeBuyer.objects.filter(challenge=challenge)
        .select_related("authority__country")
        .order_by("-is_lead", "authority__name")
    )


def phase_of(challenge: Challenge, public_id: UUID) -> Phase | None:
    phase = Phase.objects.filter(challenge=challenge, public_id=public_id).first()
    if phase is not None:
        phase.challenge = challenge
    return phase


def buyer_of(challenge: Challenge, public_id: UUID) -> ChallengeBuyer | None:
    row = (
        ChallengeBuyer.objects.select_related("authority")
        .filter(challenge=challenge, public_id=public_id)
        .first()
    )
    if row is not None:
        row.challenge = challenge
    return row


def document_of(challenge: Challenge, public_id: UUID) -> PhaseDocument | None:
    doc = (
        PhaseDocument.objects.select_related("phase")
        .filter(phase__challenge=challenge, public_id=public_id)
        .first()
    )
    if doc is not None:
        doc.phase.challenge = challenge
    return doc


def clarification_of(challenge: Challenge, public_id: UUID) -> Clarification | None:
    row = (
        Clarification.objects.select_related("phase")
        .filter(phase__challenge=challenge, public_id=public_id)
        .first()
    )
    if row is not None:
        row.phase.challenge = challenge
    return row


def unanswered_clarifications(challenge: Challenge) -> list[Clarification]:
    """The buyers' queue. The asker stays off this page too: answers go to everyone."""
    return list(
        Clarification.objects.filter(phase__challenge=challenge, answered_at__isnull=True)
        .select_related("phase")
        .order_by("created_at", "pk")
    )


def asked_by_companies(challenge: Challenge, companies: list[Any]) -> list[Clarification]:
    """A company's own questions on this challenge, answered or not (only it sees them)."""
    if not companies:
        return []
    return list(
        Clarification.objects.filter(
            phase__challenge=challenge, asked_by_organisation__in=companies
        )
        .select_related("phase")
        .order_by("created_at", "pk")
    )


# --- public history ---------------------------------------------------------------------------

HISTORY_LABELS = {
    "challenge.publish": _("Published"),
    "challenge.cancel": _("Cancelled"),
    "challenge.complete": _("Completed"),
    "phase.open": _("Phase opened"),
    "phase.close": _("Phase closed"),
    "phase.start_evaluation": _("Evaluation started"),
    "phase.decide": _("Decided"),
    "phase.change_deadline": _("Deadline changed"),
    "clarification.answer": _("Clarification published"),
    "document.add": _("Document added"),
}
PUBLIC_ACTIONS = frozenset(HISTORY_LABELS)


@dataclass(frozen=True)
class HistoryItem:
    at: dt.datetime
    action: str
    label: str
    phase: Phase | None = None
    details: dict[str, Any] = field(default_factory=dict)


def _parse(value: Any) -> dt.datetime | None:
    if not value:
        return None
    try:
        return dt.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    except ValueError:
        return None


def public_history(challenge: Challenge, phases: list[Phase]) -> list[HistoryItem]:
    """What happened, oldest first, from the audit log: public actions and public facts only."""
    if challenge.published_at is None:
        return []
    by_id: dict[str, Phase | None] = {str(challenge.public_id): None}
    by_id.update({str(p.public_id): p for p in phases})
    docs = {str(d.public_id): p for p in phases for d in p.documents.all()}
    answers = {
        str(c.public_id): p for p in phases for c in getattr(p, "published_clarifications", [])
    }
    ids = [*by_id, *docs, *answers]
    events = AuditEvent.objects.filter(
        object_type__in=[
            "challenges.challenge",
            "challenges.phase",
            "challenges.phasedocument",
            "challenges.clarification",
        ],
        object_id__in=ids,
        action__in=PUBLIC_ACTIONS,
    ).order_by("occurred_at", "pk")
    items: list[HistoryItem] = []
    for event in events.only("occurred_at", "action", "object_id", "before", "after"):
        after = event.after or {}
        details: dict[str, Any] = {}
        phase = (
            by_id.get(event.object_id) or docs.get(event.object_id) or answers.get(event.object_id)
        )
        # Drafting is not public: documents and dates set before publication are part of it.
        if event.occurred_at < challenge.published_at:
            continue
        if event.action == "document.add":
            details["title"] = after.get("title", "")
        elif event.action == "challenge.cancel":
            details["reason"] = after.get("reason", "")
        elif event.action == "phase.decide":
            details["summary"] = after.get("summary", "")
        elif event.action == "phase.change_deadline":
            details["before"] = _parse((event.before or {}).get("deadline"))
            details["after"] = _parse(after.get("deadline"))
            details["reason"] = after.get("reason", "")
        elif event.action == "clarification.answer":
            details["question"] = after.get("question", "")
        items.append(
            HistoryItem(
                at=event.occurred_at,
                action=event.action,
                label=str(HISTORY_LABELS[event.action]),
                phase=phase,
                details=details,
            )
        )
    return items


def took_part(challenge: Challenge, companies: Iterable[Any]) -> bool:
    """Whether any of ``companies`` ever submitted a proposal to this challenge.

    Reads only the proposal's existence and receipt time, never its sealed content.
    """
    from govhub.proposals.models import Proposal  # proposals build on challenges

    company_ids = [c.pk for c in companies]
    if not company_ids:
        return False
    return Proposal.objects.filter(
        phase__challenge=challenge, company_id__in=company_ids, submitted_at__isnull=False
    ).exists()
