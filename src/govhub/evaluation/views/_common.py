"""Lookups and checks every evaluation page shares: 404 for unknown ids, 403 for no right."""

from __future__ import annotations

from uuid import UUID

from django.http import Http404

from govhub.challenges.models import Challenge, Phase
from govhub.core.http import posted as posted
from govhub.core.http import require as require
from govhub.proposals.models import Proposal

from ..models import EvaluatorAssignment, PilotKpi, PilotPlan


def get_challenge(public_id: UUID) -> Challenge:
    challenge = (
        Challenge.objects.select_related("lead_authority").filter(public_id=public_id).first()
    )
    if challenge is None:
        raise Http404
    return challenge


def get_phase(public_id: UUID) -> Phase:
    phase = (
        Phase.objects.select_related("challenge", "challenge__lead_authority")
        .filter(public_id=public_id)
        .first()
    )
    if phase is None:
        raise Http404
    return phase


def get_proposal(public_id: UUID, *, phase: Phase | None = None) -> Proposal:
    proposals = Proposal.objects.select_related("company", "phase")
    if phase is not None:
        proposals = proposals.filter(phase=phase)
    proposal = proposals.filter(public_id=public_id).first()
    if proposal is None:
        raise Http404
    return proposal


def get_assignment(public_id: UUID) -> EvaluatorAssignment:
    assignment = (
        EvaluatorAssignment.objects.select_related(
            "phase", "phase__challenge", "phase__challenge__lead_authority", "authority", "user"
        )
        .filter(public_id=public_id)
        .first()
    )
    if assignment is None:
        raise Http404
    return assignment


def get_plan(public_id: UUID) -> PilotPlan:
    plan = (
        PilotPlan.objects.select_related(
            "phase",
            "phase__challenge",
            "phase__challenge__lead_authority",
            "proposal",
            "proposal__company",
        )
        .filter(public_id=public_id)
        .first()
    )
    if plan is None:
        raise Http404
    return plan


def get_kpi(public_id: UUID) -> PilotKpi:
    kpi = (
        PilotKpi.objects.select_related(
            "plan",
            "plan__phase",
            "plan__phase__challenge",
            "plan__phase__challenge__lead_authority",
            "plan__proposal",
            "plan__proposal__company",
        )
        .filter(public_id=public_id)
        .first()
    )
    if kpi is None:
        raise Http404
    return kpi
