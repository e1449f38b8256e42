"""Reads of the open-data app: bulk files, the opportunities feed and the deadline calendar."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from govhub.api.records import alpha2, opportunity_qs
from govhub.challenges import selectors as challenge_selectors
from govhub.challenges.models import Challenge, ChallengeBuyer, Phase
from govhub.opportunities.models import ExternalNotice
from govhub.organisations.models import Membership, Organisation
from govhub.proposals.models import Proposal, ProposalStatus

from .models import BulkFile, CalendarFeed, Follow
from .services import hash_secret
from .tables import Table, tables

FEED_SIZE = 100


@dataclass(frozen=True)
class Dataset:
    table: Table
    files: list[BulkFile]

    @property
    def generated_at(self) -> dt.datetime | None:
        return max((f.generated_at for f in self.files), default=None)


def datasets() -> list[Dataset]:
    files: dict[str, list[BulkFile]] = {}
    for bulk in BulkFile.objects.order_by("name", "format"):
        files.setdefault(bulk.name, []).append(bulk)
    return [Dataset(table=t, files=files.get(t.name, [])) for t in tables()]


def bulk_file(*, name: str, fmt: str) -> BulkFile | None:
    return BulkFile.objects.filter(name=name, format=fmt).first()


def last_generated() -> dt.datetime | None:
    found = BulkFile.objects.order_by("-generated_at").first()
    return found.generated_at if found else None


# --- Atom feed of open opportunities -------------------------------------------------------


def _digits(text: str | None) -> str:
    return "".join(ch for ch in (text or "") if ch.isdigit())[:8]


def open_challenges(
    *, cpv: str | None = None, country: str | None = None, nuts: str | None = None
) -> list[Challenge]:
    """Public challenges with a phase taking proposals now, newest first."""
    qs = challenge_selectors.public_challenges(open_now=True)
    digits = _digits(cpv)
    if digits:
        qs = qs.filter(
            Exists(
                Challenge.cpv_codes.through.objects.filter(
                    challenge=OuterRef("pk"), cpvcode__digits__startswith=digits
                )
            )
        )
    if country:
        code = country.strip().upper()
        field = "authority__country__code" if len(code) == 3 else "authority__country__alpha2"
        qs = qs.filter(
            Exists(ChallengeBuyer.objects.filter(challenge=OuterRef("pk"), **{field: code}))
        )
    if nuts:
        qs = qs.filter(nuts_region__code__startswith=nuts.strip().upper())
    return list(qs[:FEED_SIZE])


def open_notices(
    *, cpv: str | None = None, country: str | None = None, nuts: str | None = None
) -> list[ExternalNotice]:
    """Imported TED notices whose tender deadline is ahead."""
    if country and alpha2(country) == "":
        return []
    qs = opportunity_qs(cpv=cpv, country=country, nuts=nuts, open_now=True)
    return list(qs.order_by("tender_deadline", "pk")[:FEED_SIZE])


# --- Follows and the deadline calendar -----------------------------------------------------


def follow_of(
    *, organisation: Organisation, challenge: Challenge | None = None, notice: Any = None
) -> Follow | None:
    return Follow.objects.filter(
        organisation=organisation, challenge=challenge, notice=notice
    ).first()


def follows_of_user(user: Any) -> QuerySet[Follow]:
    return (
        Follow.objects.filter(organisation__memberships__user=user)
        .select_related("organisation", "challenge", "notice")
        .order_by("-created_at")
        .distinct()
    )


def feed_by_secret(secret: str) -> CalendarFeed | None:
    return (
        CalendarFeed.objects.select_related("user")
        .filter(token_hash=hash_secret(secret), user__is_active=True)
        .first()
    )


def calendar_of(user: Any) -> CalendarFeed | None:
    return CalendarFeed.objects.filter(user=user).first()


@dataclass(frozen=True)
class Deadline:
    uid: str
    title: str
    at: dt.datetime
    path: tuple[str, Any]  # (URL name, public id)
    description: str


def deadlines_of(user: Any, *, now: dt.datetime | None = None) -> list[Deadline]:
    """The deadlines an organisation of the user follows: phases of followed challenges and
    of challenges it drafted or submitted a proposal to, and followed TED notices."""
    now = now or timezone.now()
    since = now - dt.timedelta(days=30)
    organisations = Membership.objects.filter(user=user).values("organisation_id")
    followed = Follow.objects.filter(organisation_id__in=organisations)
    proposals = Proposal.objects.filter(
        company_id__in=organisations,
        status__in=[ProposalStatus.DRAFT, ProposalStatus.SUBMITTED],
    )
    phases = (
        Phase.objects.filter(
            Q(challenge__in=followed.values("challenge_id"))
            | Q(pk__in=proposals.values("phase_id")),
            challenge__in=challenge_selectors.public_challenges().values("pk"),
            deadline__gte=since,
        )
        .select_related("challenge")
        .order_by("deadline", "pk")
    )
    found = [
        Deadline(
            uid=f"phase-{phase.public_id}@govhub",
            title=f"{phase.challenge.title}: {phase.title}",
            at=phase.deadline,
            path=("challenges:detail", phase.challenge.public_id),
            description=phase.challenge.summary,
        )
        for phase in phases
        if phase.deadline is not None
    ]
    notices = ExternalNotice.objects.filter(
        pk__in=followed.values("notice_id"), tender_deadline__gte=since
    ).order_by("tender_deadline", "pk")
    found += [
        Deadline(
            uid=f"ted-{notice.public_id}@govhub",
            title=f"{notice.oj_number}: {notice.title[:150]}",
            at=notice.tender_deadline,
            path=("opportunities:detail", notice.public_id),
            description=notice.short_description[:500],
        )
        for notice in notices
        if notice.tender_deadline is not None
    ]
    return sorted(found, key=lambda d: d.at)
