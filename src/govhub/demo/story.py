"""The demo's procurement story, played through the real services on a moving clock.

A joint challenge from a real TED notice runs from need to award over four months (two
companies apply, an evaluator scores, one goes to a pilot and wins); a second challenge from
another real notice is open today for visitors to answer. Only the companies' proposal
texts, scores and pilot figures are invented: no public source publishes those.
"""

from __future__ import annotations

import datetime as dt
import uuid
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation
from typing import Any

from govhub.accounts.models import User
from govhub.challenges import services as challenges
from govhub.challenges.models import Challenge, Phase, PhaseKind
from govhub.evaluation.services import assignment, outcome, pilots, results, scoring
from govhub.needs import services as needs
from govhub.needs.models import InnovationNeed
from govhub.organisations.models import Organisation
from govhub.proposals import services as proposals
from govhub.proposals.models import Proposal
from govhub.reference.models import CpvCode

from .ted_sample import TedNotice

CRITERIA = [
    {
        "name": "Quality of the solution",
        "weight": 50,
        "criterion_type": "quality",
        "description": "How well the solution solves the problem described in the need.",
    },
    {
        "name": "Impact and sustainability",
        "weight": 30,
        "criterion_type": "quality",
        "description": "Expected impact, energy use and the green public procurement criteria.",
        "gpp_criteria": ["eu"],
    },
    {
        "name": "Cost over the life of the solution",
        "weight": 20,
        "criterion_type": "cost",
        "description": "Price of the pilot and the cost of running the solution for five years.",
    },
]


@dataclass
class Clock:
    """Moves time_machine's clock forward; every service call then stamps that time."""

    traveller: Any
    now: dt.datetime

    def at(self, moment: dt.datetime) -> None:
        self.now = moment
        self.traveller.move_to(moment, tick=False)

    def after(self, **delta: float) -> dt.datetime:
        self.at(self.now + dt.timedelta(**delta))
        return self.now


def _cpv(notice: TedNotice) -> list[CpvCode]:
    return list(CpvCode.objects.filter(digits__in=notice.cpv_codes))


def _amount(text: str) -> Decimal | None:
    try:
        return Decimal(text) if text else None
    except InvalidOperation:
        return None


def _need(notice: TedNotice, *, buyer: User, authority: Organisation) -> InnovationNeed:
    value = _amount(notice.estimated_value)
    need = needs.need_create(
        actor=buyer,
        authority=authority,
        title=notice.title[:300],
        problem=notice.description,
        expected_outcomes=f"See TED notice {notice.source}, where the authority published it.",
        cpv_codes=_cpv(notice),
        nuts_region=authority.nuts_region,
        currency=notice.currency if len(notice.currency) == 3 else "EUR",
        budget_min=(value / 2).quantize(Decimal("1")) if value else None,
        budget_max=value,
        open_to_pooling=True,
    )
    return needs.need_publish(actor=buyer, need=need)


def _phases(clock: Clock, challenge: Challenge, buyer: User, *, deadline_days: int) -> Phase:
    opens = clock.now + dt.timedelta(hours=1)
    deadline = (opens + dt.timedelta(days=deadline_days)).replace(
        hour=11, minute=0, second=0, microsecond=0
    )
    call = challenges.phase_add(
        actor=buyer,
        challenge=challenge,
        kind=PhaseKind.OPEN_CALL,
        title="Open call for solutions",
        description="Describe how your solution answers the need, and what a pilot would show.",
        opens_at=opens,
        deadline=deadline,
        ends_at=deadline + dt.timedelta(days=10),
        sme_only=True,
        eu_eea_only=True,
        budget=Decimal("20000"),
        max_selected=1,
        asks_price=True,
    )
    challenges.criteria_set(actor=buyer, phase=call, criteria=CRITERIA)
    challenges.phase_add(
        actor=buyer,
        challenge=challenge,
        kind=PhaseKind.PILOT,
        title="Pilot in a sandbox",
        description="The selected company runs its solution for six weeks with real users.",
        opens_at=deadline + dt.timedelta(days=12),
        ends_at=deadline + dt.timedelta(days=60),
        budget=Decimal("80000"),
    )
    return call


def _answers(call: Phase, company: Organisation, strength: str) -> dict[str, str]:
    return {
        str(criterion.public_id): (
            f"{company.name}: {strength} answer on “{criterion.name}”. "
            "(Demo text written for GovHub's demo; not taken from a real proposal.)"
        )
        for criterion in call.criteria.all()
    }


def joint_challenge(
    clock: Clock,
    *,
    users: dict[str, User],
    lead: Organisation,
    cobuyer_authority: Organisation,
    companies: list[Organisation],
    notice: TedNotice,
) -> Challenge:
    buyer, cobuyer, evaluator = users["buyer"], users["cobuyer"], users["evaluator"]
    need = _need(notice, buyer=buyer, authority=lead)
    clock.after(days=2)
    needs.need_express_interest(
        actor=cobuyer,
        need=need,
        authority=cobuyer_authority,
        quantity="The same service for our region",
        # A quarter on top of the lead's estimate, in the same currency.
        budget_share=((need.budget_max or Decimal("1000000")) / 4).quantize(Decimal("1")),
        note="We have the same problem and would buy together.",
    )
    clock.after(days=5)
    challenge = challenges.challenge_create_from_need(actor=buyer, need=need)
    call = _phases(clock, challenge, buyer, deadline_days=30)
    challenges.challenge_publish(actor=buyer, challenge=challenge)
    challenges.phase_open(actor=buyer, phase=call)

    clock.after(days=10)
    submitted: list[Proposal] = []
    for company, key, strength, price in (
        (companies[0], "supplier", "A detailed, well-evidenced", "18500"),
        (companies[1], "supplier2", "A shorter, less specific", "14900"),
    ):
        receipt = proposals.proposal_submit(
            actor=users[key],
            phase=call,
            company=company,
            idempotency_key=uuid.uuid4().hex,
            title=f"{company.name} for “{challenge.title[:80]}”",
            answers=_answers(call, company, strength),
            declared_price=price,
        )
        submitted.append(receipt.proposal)
        clock.after(days=2)

    assert call.deadline is not None
    clock.at(call.deadline + dt.timedelta(hours=2))
    challenges.phase_close(actor=buyer, phase=call)
    proposals.proposals_open(actor=buyer, phase=call)
    challenges.phase_start_evaluation(actor=buyer, phase=call)
    seat = assignment.evaluator_assign(actor=buyer, phase=call, user=evaluator, authority=lead)
    assignment.evaluator_declare(actor=evaluator, assignment=seat, has_conflict=False)
    criteria = list(call.criteria.order_by("order"))
    for proposal, marks in zip(submitted, ((9, 8, 7), (6, 5, 8)), strict=True):
        scoring.score_record(
            actor=evaluator,
            assignment=seat,
            proposal=proposal,
            scores=[
                scoring.ScoreInput(
                    criterion=criterion,
                    score=mark,
                    justification=f"Scored {mark}/10 against “{criterion.name}” (demo).",
                )
                for criterion, mark in zip(criteria, marks, strict=True)
            ],
        )
    clock.after(days=2)
    # One evaluator here, so the consensus confirms the marks with the panel's reason.
    for proposal, marks in zip(submitted, ((9, 8, 7), (6, 5, 8)), strict=True):
        scoring.consensus_record(
            actor=buyer,
            proposal=proposal,
            entries=[
                scoring.ConsensusInput(
                    criterion=criterion, score=mark, reason="Panel agreed with the evaluator."
                )
                for criterion, mark in zip(criteria, marks, strict=True)
            ],
        )
    clock.after(days=1)
    winner, runner_up = submitted
    results.phase_results_publish(
        actor=buyer,
        phase=call,
        results=[
            results.ResultInput(
                proposal=winner,
                selected=True,
                reason="Highest weighted score; strongest evidence on quality and impact.",
            ),
            results.ResultInput(
                proposal=runner_up,
                selected=False,
                reason=(
                    "Lower weighted score: the answers on quality and impact gave too little "
                    "evidence of how the solution would work for our users."
                ),
            ),
        ],
    )

    pilot = call.challenge.phases.get(kind=PhaseKind.PILOT)
    assert pilot.opens_at is not None
    clock.at(pilot.opens_at + dt.timedelta(hours=1))
    challenges.phase_open(actor=buyer, phase=pilot)
    plan = pilots.pilot_plan_save(
        actor=buyer,
        phase=pilot,
        proposal=winner,
        plan="Six weeks with real users in two districts; weekly review with the buyers.",
    )
    kpi = pilots.pilot_kpi_add(
        actor=buyer, plan=plan, name="Cases handled correctly", unit="%", target=90, baseline=70
    )
    plan.refresh_from_db()
    plan = pilots.pilot_plan_agree(actor=buyer, plan=plan, version=plan.version)
    plan = pilots.pilot_plan_agree(actor=users["supplier"], plan=plan, version=plan.version)
    clock.after(days=40)
    pilots.pilot_kpi_record_result(
        actor=buyer, kpi=kpi, measured_value=93, evidence="Pilot log reviewed by both buyers."
    )
    pilots.pilot_decide(
        actor=buyer, plan=plan, go=True, reasons="Target met in both districts; users satisfied."
    )
    clock.after(days=5)
    results.phase_results_publish(
        actor=buyer,
        phase=pilot,
        results=[
            results.ResultInput(
                proposal=winner, selected=True, reason="Pilot targets met; go decision recorded."
            )
        ],
    )
    clock.after(days=1)
    outcome.outcome_publish(
        actor=buyer,
        challenge=challenge,
        kind="awarded",
        reasons="The pilot met its targets; the company is awarded the contract for all buyers.",
        awarded=[winner],
        # Awarded a little under the joint budget, as awards usually are.
        value=((challenge.total_budget or Decimal("1000000")) * Decimal("0.9")).quantize(
            Decimal("1")
        ),
        currency=challenge.currency,
    )
    return challenge


def open_challenge(
    clock: Clock, *, buyer: User, authority: Organisation, notice: TedNotice
) -> Challenge:
    need = _need(notice, buyer=buyer, authority=authority)
    clock.after(minutes=5)
    challenge = challenges.challenge_create_from_need(actor=buyer, need=need)
    call = _phases(clock, challenge, buyer, deadline_days=30)
    challenges.challenge_publish(actor=buyer, challenge=challenge)
    challenges.phase_open(actor=buyer, phase=call)
    return challenge
