"""Later phases take proposals only from the companies selected in the phase before."""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.utils import timezone

from govhub.challenges import services as challenge_services
from govhub.challenges.models import PhaseKind, PhaseStatus
from govhub.challenges.tests.fixtures import DEFAULT_CRITERIA, first_phase
from govhub.core.errors import NotAllowed
from govhub.core.models import AuditEvent
from govhub.evaluation.models import PhaseResult
from govhub.proposals.models import Proposal, ProposalStatus
from govhub.proposals.services import proposal_save_draft

pytestmark = pytest.mark.django_db


@pytest.fixture
def shortlist(make_challenge, buyer):
    challenge = make_challenge(with_pilot=False)
    first_deadline = first_phase(challenge).deadline
    assert first_deadline is not None
    deadline = first_deadline + dt.timedelta(days=30)
    phase = challenge_services.phase_add(
        actor=buyer,
        challenge=challenge,
        kind=PhaseKind.SHORTLIST,
        title="Shortlist and demo",
        opens_at=deadline - dt.timedelta(days=10),
        deadline=deadline,
        ends_at=deadline + dt.timedelta(days=10),
    )
    challenge_services.criteria_set(actor=buyer, phase=phase, criteria=DEFAULT_CRITERIA)
    challenge_services.challenge_publish(actor=buyer, challenge=challenge)
    # The first phase's evaluation is another app's job; here only its result matters.
    phase.status = PhaseStatus.OPEN
    phase.save(update_fields=["status"])
    assert phase.opens_at is not None
    with time_machine.travel(phase.opens_at + dt.timedelta(hours=1)):
        yield phase


def test_a_company_not_selected_before_is_refused(shortlist, company, supplier):
    events = AuditEvent.objects.count()
    with pytest.raises(NotAllowed) as refused:
        proposal_save_draft(actor=supplier, phase=shortlist, company=company, title="Demo")
    assert refused.value.code == "not_invited"
    assert not Proposal.objects.filter(phase=shortlist).exists()
    assert AuditEvent.objects.count() == events


def test_a_company_selected_before_may_take_part(shortlist, company, supplier, buyer):
    first = first_phase(shortlist.challenge)
    earlier = Proposal.objects.create(
        phase=first, company=company, created_by=supplier, status=ProposalStatus.SUBMITTED
    )
    PhaseResult.objects.create(
        phase=first,
        proposal=earlier,
        selected=True,
        reason="Best quality",
        invited_to=shortlist,
        published_at=timezone.now(),
        published_by=buyer,
    )
    proposal = proposal_save_draft(actor=supplier, phase=shortlist, company=company, title="Demo")
    assert proposal.phase == shortlist
