"""Fixtures for evaluation tests (shared with other apps via the root conftest).

Personas:

- ``evaluator``: evaluator role in ``authority`` (TOTP on); ``second_evaluator`` likewise;
  ``cobuyer_evaluator``: evaluator role in the co-buying ``second_authority``.
- ``rival_supplier`` / ``rival_company`` and ``third_supplier`` / ``third_company``: two more
  small companies that answer the challenge.

Scenario: ``evaluation_world`` is a joint challenge led by ``authority`` with
``second_authority`` as co-buyer, in three phases: an open call (criteria Quality 50,
Impact 30, Cost 20; two companies go on) whose deadline has passed and whose three proposals
(``company``, ``rival_company``, ``third_company``) the ``buyer`` has opened; a pilot; and an
award. ``declared_evaluators`` adds two evaluators who signed "no conflict".
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.utils import timezone

from govhub.accounts.models import User
from govhub.challenges.models import (
    AwardCriterion,
    Challenge,
    ChallengeBuyer,
    ChallengeStatus,
    Phase,
    PhaseKind,
    PhaseStatus,
)
from govhub.evaluation import services
from govhub.evaluation.models import EvaluatorAssignment
from govhub.organisations import services as org_services
from govhub.organisations.models import Organisation, OrganisationKind
from govhub.organisations.tests.fixtures import OrgReference, confirm_email
from govhub.proposals.models import Proposal, ProposalStatus
from govhub.reference.models import CodelistEntry


def make_authority_member(
    make_user: Callable[..., User],
    with_totp: Callable[[User], str],
    *,
    authority: Organisation,
    admin: User,
    email: str,
    name: str,
    **roles: bool,
) -> User:
    """A member of an authority, invited by its admin with the given roles, TOTP on."""
    user = make_user(email, display_name=name)
    confirm_email(user)
    with_totp(user)  # buyers and evaluators must use two-factor authentication
    _, token = org_services.invitation_create(
        actor=admin, organisation=authority, email=user.email, **roles
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


def _criterion_type(code: str) -> CodelistEntry:
    return CodelistEntry.objects.get(codelist="award-criterion-type", code=code)


def build_world(
    *,
    authority: Organisation,
    buyer: User,
    cobuying: Organisation | None,
    companies: dict[str, Organisation],
) -> EvaluationWorld:
    """The scenario's rows, written directly: a challenge as the challenges and proposals
    services leave it once the call's deadline has passed and the buyer opened the proposals.
    """
    now = timezone.now()
    challenge = Challenge.objects.create(
        lead_authority=authority,
        created_by=buyer,
        title="Shorter queues at the town hall",
        summary="Tools that cut waiting times for citizens at municipal counters.",
        description="Citizens wait too long at counters. We want to pilot a solution.",
        status=ChallengeStatus.PUBLISHED,
        published_at=now - dt.timedelta(days=30),
        total_budget=200_000,
    )
    ChallengeBuyer.objects.create(challenge=challenge, authority=authority, is_lead=True)
    if cobuying is not None:
        ChallengeBuyer.objects.create(
            challenge=challenge, authority=cobuying, quantity="3 town halls", budget_share=80_000
        )
    call = Phase.objects.create(
        challenge=challenge,
        order=1,
        kind=PhaseKind.OPEN_CALL,
        title="Open call",
        deadline=now - dt.timedelta(days=1),
        max_selected=2,
        status=PhaseStatus.EVALUATING,
        open_at=now - dt.timedelta(days=30),
        closed_at=now - dt.timedelta(hours=20),
        evaluating_at=now - dt.timedelta(hours=19),
        proposals_opened_at=now - dt.timedelta(hours=20),
        proposals_opened_by=buyer,
    )
    pilot = Phase.objects.create(
        challenge=challenge, order=2, kind=PhaseKind.PILOT, title="Pilot in a town hall"
    )
    award = Phase.objects.create(challenge=challenge, order=3, kind=PhaseKind.AWARD, title="Award")
    quality = AwardCriterion.objects.create(
        phase=call,
        order=1,
        name="Quality of the solution",
        criterion_type=_criterion_type("quality"),
        weight=50,
    )
    impact = AwardCriterion.objects.create(
        phase=call, order=2, name="Impact", criterion_type=_criterion_type("quality"), weight=30
    )
    cost = AwardCriterion.objects.create(
        phase=call, order=3, name="Cost", criterion_type=_criterion_type("cost"), weight=20
    )
    world = EvaluationWorld(challenge, call, pilot, award, quality, impact, cost)
    for key, company in companies.items():
        world.proposals[key] = Proposal.objects.create(
            phase=call,
            company=company,
            title=f"{company.name} proposal",
            status=ProposalStatus.SUBMITTED,
            submitted_at=now - dt.timedelta(days=2),
        )
    return world


@pytest.fixture
def evaluation_world(
    authority: Organisation,
    buyer: User,
    second_authority: Organisation,
    company: Organisation,
    rival_company: Organisation,
    third_company: Organisation,
) -> EvaluationWorld:
    return build_world(
        authority=authority,
        buyer=buyer,
        cobuying=second_authority,
        companies={"company": company, "rival": rival_company, "third": third_company},
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
