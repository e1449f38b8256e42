"""Demo content for participation (`make demo`): one process in progress, and one completed
with answers and results linked to the demo's challenge (or its need). Idempotent."""

from __future__ import annotations

import datetime as dt

import time_machine
from django.core.cache import cache
from django.db import transaction
from django.utils import timezone

from govhub.accounts.models import User
from govhub.challenges.models import Challenge
from govhub.needs import services as needs
from govhub.needs.models import InnovationNeed
from govhub.organisations.models import Membership, Organisation
from govhub.reference.models import CpvCode

from . import services
from .models import ParticipatoryProcess

DOMAIN = "govhub.example"
COMPLETED = "Safer routes to school"
CURRENT = "A greener, cooler city centre"


def _user(key: str) -> User | None:
    return User.objects.filter(email=f"{key}@{DOMAIN}").first()


def _phases(start: dt.date, *spans: tuple[str, int, int]) -> list[tuple[str, dt.date, dt.date]]:
    return [
        (kind, start + dt.timedelta(days=a), start + dt.timedelta(days=b)) for kind, a, b in spans
    ]


def _authority(buyer: User) -> Organisation | None:
    membership = (
        Membership.objects.filter(user=buyer, is_buyer=True, organisation__status="verified")
        .select_related("organisation")
        .order_by("pk")
        .first()
    )
    return membership.organisation if membership else None


def _fallback_need(buyer: User, authority: Organisation) -> InnovationNeed | None:
    """Without ../shared/data the demo has no challenge: the idea leads to a need instead."""
    code = (
        CpvCode.objects.filter(digits__startswith="3843").order_by("digits").first()
        or CpvCode.objects.order_by("digits").first()
    )
    if code is None:
        return None
    need = needs.need_create(
        actor=buyer,
        authority=authority,
        title="Traffic sensors near schools",
        problem=(
            "We do not know how many cars pass near schools at drop-off time, nor how fast: "
            "no product on the market counts and reports it in real time."
        ),
        cpv_codes=[code],
        nuts_region=authority.nuts_region,
    )
    return needs.need_publish(actor=buyer, need=need)


def build_demo() -> list[str]:
    if ParticipatoryProcess.objects.filter(title__in=[COMPLETED, CURRENT]).exists():
        return ["participation: demo processes already present"]
    buyer, citizen, member = _user("buyer"), _user("citizen"), _user("member")
    supplier, moderator = _user("supplier"), _user("moderator")
    if buyer is None or citizen is None or member is None or supplier is None or moderator is None:
        return ["participation: demo accounts missing, run demo-setup first"]
    authority = _authority(buyer)
    if authority is None:
        return ["participation: no verified authority for the demo buyer"]
    cache.clear()  # posting limits are per hour: the demo posts in bulk
    lines: list[str] = []
    now = timezone.now()
    with transaction.atomic():
        for person, name in ((citizen, "Cleo"), (member, "Marc B."), (supplier, "Sofia S.")):
            services.profile_save(actor=person, pseudonym=name, nuts_region=authority.nuts_region)
        challenge = (
            Challenge.objects.filter(lead_authority=authority, published_at__isnull=False)
            .order_by("published_at")
            .first()
        )
        need = (
            challenge.need
            if challenge is not None and challenge.need is not None
            else InnovationNeed.objects.filter(authority=authority, published_at__isnull=False)
            .order_by("published_at")
            .first()
        )
        start = (now - dt.timedelta(days=90)).date()
        with time_machine.travel(now - dt.timedelta(days=89), tick=False) as traveller:
            done = services.process_create(
                actor=buyer,
                authority=authority,
                title=COMPLETED,
                scope="Walking and cycling routes to the city's primary schools.",
                goals="Find where children feel unsafe on their way to school, and fix it.",
                methods=(
                    "Parents, children and teachers post ideas; everyone discusses and "
                    "supports them; the mobility department answers each one."
                ),
                commitment=(
                    "We answer every idea within six weeks, fund the accepted ones from the "
                    "2026 mobility budget and report their progress here."
                ),
                categories=["Crossings", "Cycling", "Traffic"],
                phases=_phases(
                    start,
                    ("ideas", 0, 30),
                    ("discussion", 0, 40),
                    ("support", 10, 40),
                    ("answers", 41, 60),
                    ("follow_up", 61, 365),
                ),
            )
            services.process_open(actor=buyer, process=done)
            sensors = services.idea_submit(
                actor=citizen,
                process=done,
                title="Measure real traffic near schools",
                body=(
                    "Put sensors near the schools to know how many cars pass at drop-off "
                    "time, and how fast. Then act where it is worst."
                ),
                category="Traffic",
            )
            crossing = services.idea_submit(
                actor=member,
                process=done,
                title="A zebra crossing in front of the Lindenschool",
                body="Children cross a busy street without any crossing.",
                category="Crossings",
            )
            duplicate = services.idea_submit(
                actor=supplier,
                process=done,
                title="Count the cars passing by schools",
                body="Counting traffic near schools would show where to act first.",
                category="Traffic",
            )
            lanes = services.idea_submit(
                actor=supplier,
                process=done,
                title="Close the school street to cars at 8:00",
                body="A school street closed to cars for 30 minutes each morning.",
                category="Traffic",
            )
            traveller.shift(dt.timedelta(days=3))
            services.comment_post(
                actor=member, idea=sensors, body="Yes, and publish the data openly."
            )
            services.comment_post(
                actor=citizen, idea=crossing, body="My children cross there every day."
            )
            for person in (member, supplier):
                services.support_add(actor=person, idea=sensors)
            services.support_add(actor=citizen, idea=crossing)
            services.support_add(actor=citizen, idea=lanes)
            traveller.shift(dt.timedelta(days=5))
            services.idea_merge(
                actor=moderator,
                source=duplicate,
                target=sensors,
                reason="Both ask to measure traffic near schools.",
            )
            traveller.shift(dt.timedelta(days=40))
            services.idea_answer(
                actor=buyer,
                idea=sensors,
                state="accepted",
                text=(
                    "Accepted. We could not buy such sensors off the shelf, so we published "
                    "an innovation need and a challenge for companies to propose a solution."
                ),
            )
            services.idea_answer(
                actor=buyer,
                idea=crossing,
                state="already_planned",
                text="A crossing is already planned in the 2026 works programme (March).",
            )
            services.idea_answer(
                actor=buyer,
                idea=lanes,
                state="rejected",
                text=(
                    "Rejected for now: the street is a bus route. We will reconsider when "
                    "the bus line moves in 2027."
                ),
            )
            if need is None and challenge is None:
                need = _fallback_need(buyer, authority)
            result = services.result_create(
                actor=buyer,
                idea=sensors,
                summary="Sensors are procured through an innovation challenge, then piloted.",
                progress=40,
                need=need,
                challenge=challenge,
            )
            services.milestone_add(
                actor=buyer,
                result=result,
                title="Innovation need published",
                due_on=(now - dt.timedelta(days=40)).date(),
                done=True,
                evidence="The need is public on GovHub.",
            )
            services.milestone_add(
                actor=buyer,
                result=result,
                title="Pilot near three schools",
                due_on=(now + dt.timedelta(days=60)).date(),
            )
            services.process_close(actor=buyer, process=done)
        lines.append(
            f"participation: completed process “{COMPLETED}” (3 answers, 1 merge, 1 result"
            + (f" linked to “{challenge.title[:60]}”" if challenge else "")
            + (f" linked to the need “{need.title[:60]}”" if need and not challenge else "")
            + ")"
        )
        today = timezone.localdate()
        current = services.process_create(
            actor=buyer,
            authority=authority,
            title=CURRENT,
            scope="Squares, streets and school yards of the city centre.",
            goals="Ideas for more shade, trees and water in the centre during heat waves.",
            methods="Everyone may post ideas and discuss; the council answers each idea.",
            commitment="Every idea gets a written answer before the summer.",
            categories=["Trees", "Water", "Shade"],
            phases=_phases(
                today - dt.timedelta(days=7),
                ("ideas", 0, 30),
                ("discussion", 0, 40),
                ("answers", 41, 60),
            ),
        )
        services.process_open(actor=buyer, process=current)
        trees = services.idea_submit(
            actor=citizen,
            process=current,
            title="Plant trees on the market square",
            body="The market square is an oven in summer. Twenty trees would give shade.",
            category="Trees",
        )
        services.idea_submit(
            actor=member,
            process=current,
            title="Drinking fountains along the main street",
            body="Free drinking water every 300 metres during heat waves.",
            category="Water",
        )
        services.comment_post(actor=member, idea=trees, body="Which species resist drought?")
        services.support_add(actor=member, idea=trees)
        services.idea_answer(
            actor=buyer,
            idea=trees,
            state="under_evaluation",
            text="Our parks department is checking the underground pipes first.",
        )
        lines.append(f"participation: process in progress “{CURRENT}” (2 ideas)")
    cache.clear()
    return lines
