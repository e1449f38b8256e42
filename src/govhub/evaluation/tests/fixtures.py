"""Fixtures for evaluation tests (shared with other apps via the root conftest).

Personas:

- ``evaluator``: evaluator role in ``authority`` (TOTP on); ``second_evaluator`` likewise;
  ``cobuyer_evaluator``: evaluator role in the co-buying ``second_authority``.
- ``rival_supplier`` / ``rival_company`` and ``third_supplier`` / ``third_company``: two more
  small companies that answer the challenge.

Scenario: ``evaluation_world`` is a joint challenge led by ``authority`` with
``second_authority`` as co-buyer, in three phases: an open call (criteria Quality 50,
Impact 30, Cost 20; two companies go on) whose deadline has passed and whose three proposals
(``company``, ``rival_company``, ``third_company``) the ``buyer`` has opened and is
evaluating; a pilot; and an award. Made through the challenges and proposals services.
``declared_evaluators`` adds two evaluators who signed "no conflict"; ``scored_world`` has
every score and consensus recorded.
"""

from __future__ import annotations

import datetime as dt
import secrets
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from govhub.accounts.models import User
from govhub.challenges import services as challenge_services
from govhub.challenges.models import AwardCriterion, Challenge, Phase, PhaseKind
from govhub.evaluation import services
from govhub.evaluation.models import EvaluatorAssignment
from govhub.organisations import services as org_services
from govhub.organisations.models import Organisation, OrganisationKind
from govhub.organisations.tests.fixtures import OrgReference, confirm_email
from govhub.proposals import services as proposal_services
from govhub.proposals.models import Proposal
from govhub.proposals.tests.fixtures import answers_for
from govhub.reference.models import CpvCode


def make_authority_member(
    make_user: Callable[..., User],
    with_totp: Callable[[User], str],
    *,
    authority: Organisation,
    admin: User,
    email: str,
    name: str,
    is_buyer: bool = False,
    is_evaluator: bool = False,
) -> User:
    """A member of an authority, invited by its admin with the given roles, TOTP on."""
    user = make_user(email, display_name=name)
    confirm_email(user)
    with_totp(user)  # buyers and evaluators must use two-factor authentication
    _, token = org_services.invitation_create(
        actor=admin,
        organisation=authority,
        email=user.email,
        is_buyer=is_buyer,
        is_evaluator=is_evaluator,
    )
    org_services.invitation_accept(actor=user, token=token)
    return user


@pytest.fixture
def evaluator(
    authority: Organisation,
    authority_admin: User,
    make_user: Callable[..., User],
    with_totp: Callable[[User], str],
) -> User:
    return make_authority_member(
        make_user,
        with_totp,
        authority=authority,
        admin=authority_admin,
        email="evaluator@brussels.example.eu",
        name="Eva Evaluator",
        is_evaluator=True,
    )


@pytest.fixture
def second_evaluator(
    authority: Organisation,
    authority_admin: User,
    make_user: Callable[..., User],
    with_totp: Callable[[User], str],
) -> User:
    return make_authority_member(
        make_user,
        with_totp,
        authority=authority,
        admin=authority_admin,
        email="evaluator2@brussels.example.eu",
        name="Emil Evaluator",
        is_evaluator=True,
    )


@pytest.fixture
def cobuyer_evaluator(
    second_authority: Organisation,
    second_authority_admin: User,
    make_user: Callable[..., User],
    with_totp: Callable[[User], str],
) -> User:
    return make_authority_member(
        make_user,
        with_totp,
        authority=second_authority,
        admin=second_authority_admin,
        email="evaluator@lisboa.example.eu",
        name="Rui Evaluator",
        is_evaluator=True,
    )


def _company(org_reference: OrgReference, admin: User, name: str) -> Organisation:
    return org_services.organisation_create(
        actor=admin,
        kind=OrganisationKind.COMPANY,
        name=name,
        country=org_reference.belgium,
        size=org_reference.small,
    )


@pytest.fixture
def rival_supplier(make_user: Callable[..., User]) -> User:
    user = make_user("founder@opendataworks.example.eu", display_name="Rita Rival")
    confirm_email(user)
    return user


@pytest.fixture
def rival_company(org_reference: OrgReference, rival_supplier: User) -> Organisation:
    return _company(org_reference, rival_supplier, "Open Data Works")


@pytest.fixture
def third_supplier(make_user: Callable[..., User]) -> User:
    user = make_user("founder@smartqueue.example.eu", display_name="Theo Third")
    confirm_email(user)
    return user


@pytest.fixture
def third_company(org_reference: OrgReference, third_supplier: User) -> Organisation:
    return _company(org_reference, third_supplier, "SmartQueue")


CRITERIA: list[dict[str, Any]] = [
    {"name": "Quality of the solution", "weight": 50, "criterion_type": "quality"},
    {"name": "Impact", "weight": 30, "criterion_type": "quality"},
    {"name": "Cost", "weight": 20, "criterion_type": "cost"},
]


@dataclass
class EvaluationWorld:
    challenge: Challenge
    call: Phase
    pilot: Phase
    award: Phase
    quality: AwardCriterion
    impact: AwardCriterion
    cost: AwardCriterion
    proposals: dict[str, Proposal] = field(default_factory=dict)

    @property
    def criteria(self) -> list[AwardCriterion]:
        return [self.quality, self.impact, self.cost]

    def refresh(self) -> None:
        for obj in (self.challenge, self.call, self.pilot, self.award):
            obj.refresh_from_db()


def build_world(
    *,
    authority: Organisation,
    buyer: User,
    cobuying: Organisation | None,
    companies: dict[str, tuple[Organisation, User]],
    max_selected: int = 2,
) -> EvaluationWorld:
    """Made through the challenges and proposals services, as the buyer and the companies
    would: set up and answered three days ago, deadline passed a day ago, then closed,
    opened and put into evaluation by the lead buyer."""
    start = timezone.now().replace(microsecond=0) - dt.timedelta(days=3)
    with time_machine.travel(start, tick=True):
        challenge = challenge_services.challenge_create(
            actor=buyer,
            lead_authority=authority,
            title="Shorter queues at the town hall",
            summary="Tools that cut waiting times for citizens at municipal counters.",
            description="Citizens wait too long at counters. We want to pilot a solution.",
            currency="EUR",
            total_budget=Decimal("200000.00"),
            cpv_codes=list(CpvCode.objects.filter(code="72000000-5")),
            nuts_region=authority.nuts_region,
        )
        if cobuying is not None:
            challenge_services.cobuyer_add(
                actor=buyer,
                challenge=challenge,
                authority=cobuying,
                quantity="3 town halls",
                budget_share=Decimal("80000.00"),
            )
        call = challenge_services.phase_add(
            actor=buyer,
            challenge=challenge,
            kind=PhaseKind.OPEN_CALL,
            title="Open call",
            deadline=start + dt.timedelta(days=2),
            max_selected=max_selected,
        )
        challenge_services.criteria_set(actor=buyer, phase=call, criteria=CRITERIA)
        pilot = challenge_services.phase_add(
            actor=buyer, challenge=challenge, kind=PhaseKind.PILOT, title="Pilot in a town hall"
        )
        award = challenge_services.phase_add(
            actor=buyer, challenge=challenge, kind=PhaseKind.AWARD, title="Award"
        )
        challenge_services.challenge_publish(actor=buyer, challenge=challenge)
        challenge_services.phase_open(actor=buyer, phase=call)
        for company, supplier in companies.values():
            proposal_services.proposal_submit(
                actor=supplier,
                phase=call,
                company=company,
                idempotency_key=secrets.token_urlsafe(32),
                title=f"{company.name} proposal",
                answers=answers_for(call, f"{company.name} answers"),
            )
    challenge_services.phase_close(actor=buyer, phase=call)
    proposal_services.proposals_open(actor=buyer, phase=call)
    challenge_services.phase_start_evaluation(actor=buyer, phase=call)
    quality, impact, cost = AwardCriterion.objects.filter(phase=call).order_by("order")
    world = EvaluationWorld(challenge, call, pilot, award, quality, impact, cost)
    world.refresh()
    for key, (company, _supplier) in companies.items():
        world.proposals[key] = Proposal.objects.get(phase=call, company=company)
    return world


@pytest.fixture
def evaluation_world(
    authority: Organisation,
    buyer: User,
    second_authority: Organisation,
    company: Organisation,
    supplier: User,
    rival_company: Organisation,
    rival_supplier: User,
    third_company: Organisation,
    third_supplier: User,
) -> EvaluationWorld:
    return build_world(
        authority=authority,
        buyer=buyer,
        cobuying=second_authority,
        companies={
            "company": (company, supplier),
            "rival": (rival_company, rival_supplier),
            "third": (third_company, third_supplier),
        },
    )


@pytest.fixture
def declared_evaluators(
    evaluation_world: EvaluationWorld,
    buyer: User,
    authority: Organisation,
    evaluator: User,
    second_evaluator: User,
) -> list[EvaluatorAssignment]:
    """Two evaluators of the lead authority, assigned and declared free of conflicts."""
    assignments = []
    for user in (evaluator, second_evaluator):
        assignment = services.evaluator_assign(
            actor=buyer, phase=evaluation_world.call, user=user, authority=authority
        )
        assignments.append(
            services.evaluator_declare(actor=user, assignment=assignment, has_conflict=False)
        )
    return assignments


def score_all(
    assignment: EvaluatorAssignment,
    world: EvaluationWorld,
    proposal: Proposal,
    values: tuple[int, int, int],
) -> None:
    """The evaluator scores the proposal on the three criteria (quality, impact, cost)."""
    services.score_record(
        actor=assignment.user,
        assignment=assignment,
        proposal=proposal,
        scores=[
            services.ScoreInput(criterion, value, f"Because of the evidence ({value}/10).")
            for criterion, value in zip(world.criteria, values, strict=True)
        ],
    )


def consensus_all(
    buyer: Any, world: EvaluationWorld, proposal: Proposal, values: tuple[Any, Any, Any]
) -> Any:
    return services.consensus_record(
        actor=buyer,
        proposal=proposal,
        entries=[
            services.ConsensusInput(criterion, value, f"Agreed after discussion ({value}).")
            for criterion, value in zip(world.criteria, values, strict=True)
        ],
    )


@pytest.fixture
def scored_world(
    evaluation_world: EvaluationWorld,
    declared_evaluators: list[EvaluatorAssignment],
    buyer: User,
) -> EvaluationWorld:
    """Both evaluators scored every proposal and the buyer recorded every consensus.

    Consensus totals: company 8.00, rival 6.50, third 4.10 (out of 10).
    """
    first, second = declared_evaluators
    world = evaluation_world
    marks = {
        "company": ((8, 7, 9), (8, 9, 7), ("8", "8", "8")),
        "rival": ((6, 7, 5), (7, 6, 8), ("6.5", "6.5", "6.5")),
        "third": ((3, 4, 6), (5, 4, 2), ("4", "4", "4.5")),
    }
    for key, (a, b, agreed) in marks.items():
        score_all(first, world, world.proposals[key], a)
        score_all(second, world, world.proposals[key], b)
        consensus_all(buyer, world, world.proposals[key], agreed)
    return world


def publish_call_results(
    world: EvaluationWorld, buyer: Any, selected: tuple[str, ...] = ("company", "rival")
) -> None:
    services.phase_results_publish(
        actor=buyer,
        phase=world.call,
        results=[
            services.ResultInput(
                proposal,
                key in selected,
                "Best value for residents." if key in selected else "Weaker on impact and cost.",
            )
            for key, proposal in world.proposals.items()
        ],
    )
    world.refresh()


@pytest.fixture
def shortlisted_world(scored_world: EvaluationWorld, buyer: User) -> EvaluationWorld:
    """The call's results are published: ``company`` and ``rival_company`` go on to the
    pilot; ``third_company`` does not."""
    publish_call_results(scored_world, buyer)
    return scored_world
