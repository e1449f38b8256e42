from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
import time_machine
from django.utils import timezone

from govhub.challenges import services
from govhub.challenges.models import Challenge, Phase, PhaseKind, PhaseStatus
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.proposals.models import Proposal, ProposalStatus

from .fixtures import deadline_of, first_phase
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db


def _at(year: int, month: int, day: int, hour: int = 0, minute: int = 0) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=dt.UTC)


def _phase(challenge: Challenge, order: int) -> Phase:
    return challenge.phases.get(order=order)


# --- planning while drafting ----------------------------------------------------------------


def test_add_appends_in_order_and_audits(buyer, challenge_draft):
    phase = services.phase_add(
        actor=buyer,
        challenge=challenge_draft,
        kind=PhaseKind.AWARD,
        title="Award",
        budget=Decimal("150000"),
    )
    assert phase.order == 3
    event = last_event()
    assert (event.action, event.object_id) == ("phase.add", str(phase.public_id))
    assert event.after["kind"] == "award"
    assert event.organisation_id == challenge_draft.lead_authority.public_id


def test_add_checks_the_dates_run_in_order(buyer, challenge_draft):
    now = timezone.now()
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.phase_add(
            actor=buyer,
            challenge=challenge_draft,
            kind=PhaseKind.SHORTLIST,
            title="Shortlist",
            opens_at=now + dt.timedelta(days=3),
            deadline=now + dt.timedelta(days=2),
            ends_at=now + dt.timedelta(days=1),
        )
    assert set(caught.value.field_errors) == {"deadline", "ends_at"}


def test_deadline_may_equal_the_end(buyer, challenge_draft):
    end = timezone.now() + dt.timedelta(days=5)
    phase = services.phase_add(
        actor=buyer,
        challenge=challenge_draft,
        kind=PhaseKind.SHORTLIST,
        title="Demo day",
        deadline=end,
        ends_at=end,
    )
    assert phase.deadline == phase.ends_at


def test_add_refuses_unknown_kinds_and_empty_titles(buyer, challenge_draft):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.phase_add(actor=buyer, challenge=challenge_draft, kind="party", title="")
    assert set(caught.value.field_errors) == {"kind", "title"}


def test_add_refused_once_published(buyer, published_challenge):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.phase_add(
            actor=buyer, challenge=published_challenge, kind=PhaseKind.AWARD, title="Award"
        )


@pytest.mark.parametrize("persona", ["cobuyer", "supplier", "outsider"])
def test_only_lead_buyers_plan_phases(request, persona, challenge_draft):
    actor = request.getfixturevalue(persona)
    phase = first_phase(challenge_draft)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.phase_add(
            actor=actor, challenge=challenge_draft, kind=PhaseKind.AWARD, title="Award"
        )
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.phase_update(actor=actor, phase=phase, version=phase.version, title="X")
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.phase_remove(actor=actor, phase=phase)


def test_update_a_phase_with_its_version(buyer, challenge_draft):
    phase = first_phase(challenge_draft)
    updated = services.phase_update(
        actor=buyer, phase=phase, version=phase.version, title="Call", eligibility_notes="Open"
    )
    assert (updated.title, updated.eligibility_notes) == ("Call", "Open")
    assert updated.sme_only is True  # fields not passed keep their value
    event = last_event()
    assert event.before["title"] == "Open call for solutions"
    assert event.after["title"] == "Call"


def test_stale_phase_edit_is_refused(buyer, challenge_draft):
    phase = first_phase(challenge_draft)
    seen = phase.version
    services.phase_update(actor=buyer, phase=phase, version=seen, title="First")
    with assert_unchanged(), pytest.raises(Conflict):
        services.phase_update(actor=buyer, phase=phase, version=seen, title="Second")


def test_update_refused_once_published(buyer, published_challenge):
    phase = first_phase(published_challenge)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.phase_update(actor=buyer, phase=phase, version=phase.version, title="X")


def test_remove_renumbers_later_phases(buyer, challenge_draft):
    services.phase_add(actor=buyer, challenge=challenge_draft, kind=PhaseKind.AWARD, title="Aw")
    services.phase_remove(actor=buyer, phase=first_phase(challenge_draft))
    assert list(challenge_draft.phases.values_list("order", "kind")) == [
        (1, "pilot"),
        (2, "award"),
    ]
    assert last_event().action == "phase.remove"


def test_remove_refused_once_published(buyer, published_challenge):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.phase_remove(actor=buyer, phase=first_phase(published_challenge))


def test_move_swaps_phases(buyer, challenge_draft):
    pilot = _phase(challenge_draft, 2)
    services.phase_move(actor=buyer, phase=pilot, direction="up")
    assert list(challenge_draft.phases.values_list("order", "kind")) == [
        (1, "pilot"),
        (2, "open_call"),
    ]
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.phase_move(actor=buyer, phase=pilot, direction="up")


# --- lifecycle ------------------------------------------------------------------------------


def test_open_a_planned_phase(buyer, make_challenge):
    challenge = make_challenge(publish=True)
    phase = services.phase_open(actor=buyer, phase=first_phase(challenge))
    assert phase.status == PhaseStatus.OPEN
    assert phase.open_at is not None
    event = last_event()
    assert (event.action, event.before, event.after["status"]) == (
        "phase.open",
        {"status": "planned"},
        "open",
    )


def test_phases_do_not_open_in_a_draft(buyer, challenge_draft):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.phase_open(actor=buyer, phase=first_phase(challenge_draft))


def test_later_phase_waits_for_earlier_decisions(buyer, published_challenge):
    with assert_unchanged(), pytest.raises(InvalidTransition) as caught:
        services.phase_open(actor=buyer, phase=_phase(published_challenge, 2))
    assert "must be decided" in caught.value.message


def test_open_refused_once_the_deadline_passed(buyer, make_challenge):
    challenge = make_challenge(publish=True)
    phase = first_phase(challenge)
    with (
        time_machine.travel(phase.deadline, tick=False),
        assert_unchanged(),
        pytest.raises(InvalidInput),
    ):
        services.phase_open(actor=buyer, phase=phase)


@pytest.mark.parametrize("persona", ["cobuyer", "supplier", "outsider", "moderator"])
def test_only_lead_buyers_move_phases(request, persona, make_challenge, open_phase):
    actor = request.getfixturevalue(persona)
    planned = first_phase(make_challenge(publish=True))
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.phase_open(actor=actor, phase=planned)
    with (
        time_machine.travel(open_phase.deadline, tick=False),
        assert_unchanged(),
        pytest.raises(NotAllowed),
    ):
        services.phase_close(actor=actor, phase=open_phase)


def test_close_one_second_before_the_deadline_is_refused(buyer, open_phase):
    with (
        time_machine.travel(open_phase.deadline - dt.timedelta(seconds=1), tick=False),
        assert_unchanged(),
        pytest.raises(InvalidTransition) as caught,
    ):
        services.phase_close(actor=buyer, phase=open_phase)
    assert "can be closed only after" in caught.value.message


@pytest.mark.parametrize("after", [dt.timedelta(0), dt.timedelta(seconds=1)])
def test_close_at_or_after_the_deadline(buyer, open_phase, after):
    with time_machine.travel(open_phase.deadline + after, tick=False):
        phase = services.phase_close(actor=buyer, phase=open_phase)
    assert phase.status == PhaseStatus.CLOSED
    assert phase.closed_at == open_phase.deadline + after
    assert last_event().action == "phase.close"


def _closed(buyer, phase: Phase) -> Phase:
    with time_machine.travel(deadline_of(phase) + dt.timedelta(seconds=1), tick=False):
        return services.phase_close(actor=buyer, phase=phase)


def _submitted(phase: Phase, company) -> Proposal:
    return Proposal.objects.create(
        phase=phase, company=company, status=ProposalStatus.SUBMITTED, submitted_at=timezone.now()
    )


def test_evaluation_then_decision(buyer, open_phase):
    phase = _closed(buyer, open_phase)
    phase = services.phase_start_evaluation(actor=buyer, phase=phase)
    assert phase.status == PhaseStatus.EVALUATING
    assert last_event().action == "phase.start_evaluation"
    phase = services.phase_decide(actor=buyer, phase=phase, summary="3 companies go on.")
    assert phase.status == PhaseStatus.DECIDED
    assert phase.decided_at is not None
    event = last_event()
    assert (event.action, event.after["summary"]) == ("phase.decide", "3 companies go on.")


def test_evaluation_waits_for_the_proposals_to_be_opened(buyer, open_phase, company):
    _submitted(open_phase, company)
    phase = _closed(buyer, open_phase)
    with assert_unchanged(), pytest.raises(InvalidTransition) as caught:
        services.phase_start_evaluation(actor=buyer, phase=phase)
    assert "Open the submitted proposals" in caught.value.message
    Phase.objects.filter(pk=phase.pk).update(proposals_opened_at=timezone.now())
    assert services.phase_start_evaluation(actor=buyer, phase=phase).status == "evaluating"


def test_next_phase_opens_after_the_first_is_decided(buyer, published_challenge, open_phase):
    phase = services.phase_start_evaluation(actor=buyer, phase=_closed(buyer, open_phase))
    services.phase_decide(actor=buyer, phase=phase)
    pilot = services.phase_open(actor=buyer, phase=_phase(published_challenge, 2))
    assert pilot.status == PhaseStatus.OPEN


# --- deadline changes (Annex IV (c)) --------------------------------------------------------


def test_lead_buyer_moves_the_deadline_and_it_is_audited(buyer, open_phase):
    old = open_phase.deadline
    new = old + dt.timedelta(days=3)
    phase = services.phase_change_deadline(
        actor=buyer, phase=open_phase, deadline=new, reason="More time for consortia."
    )
    assert phase.deadline == new
    event = last_event()
    assert event.action == "phase.change_deadline"
    assert dt.datetime.fromisoformat(event.before["deadline"]) == old
    assert dt.datetime.fromisoformat(event.after["deadline"]) == new
    assert event.after["reason"] == "More time for consortia."


def test_deadline_may_come_earlier_while_nothing_is_submitted(buyer, open_phase):
    new = open_phase.deadline - dt.timedelta(days=2)
    assert (
        services.phase_change_deadline(actor=buyer, phase=open_phase, deadline=new).deadline == new
    )


def test_only_extensions_once_a_proposal_is_submitted(buyer, open_phase, company):
    _submitted(open_phase, company)
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.phase_change_deadline(
            actor=buyer, phase=open_phase, deadline=open_phase.deadline - dt.timedelta(hours=1)
        )
    assert "only be extended" in caught.value.message
    later = open_phase.deadline + dt.timedelta(days=1)
    assert (
        services.phase_change_deadline(actor=buyer, phase=open_phase, deadline=later).deadline
        == later
    )


def test_draft_proposals_do_not_block_bringing_the_deadline_forward(buyer, open_phase, company):
    Proposal.objects.create(phase=open_phase, company=company, status=ProposalStatus.DRAFT)
    new = open_phase.deadline - dt.timedelta(days=1)
    assert (
        services.phase_change_deadline(actor=buyer, phase=open_phase, deadline=new).deadline == new
    )


def test_deadline_cannot_change_once_passed(buyer, open_phase):
    with (
        time_machine.travel(open_phase.deadline + dt.timedelta(seconds=1), tick=False),
        assert_unchanged(),
        pytest.raises(InvalidTransition),
    ):
        services.phase_change_deadline(
            actor=buyer, phase=open_phase, deadline=open_phase.deadline + dt.timedelta(days=9)
        )


def test_deadline_one_second_before_it_passes_can_still_be_extended(buyer, open_phase):
    with time_machine.travel(open_phase.deadline - dt.timedelta(seconds=1), tick=False):
        new = open_phase.deadline + dt.timedelta(days=1)
        assert (
            services.phase_change_deadline(actor=buyer, phase=open_phase, deadline=new).deadline
            == new
        )


def test_new_deadline_must_be_in_the_future(buyer, open_phase):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.phase_change_deadline(
            actor=buyer, phase=open_phase, deadline=timezone.now() - dt.timedelta(minutes=1)
        )
    assert "deadline" in caught.value.field_errors


def test_new_deadline_must_stay_before_the_phase_ends(buyer, open_phase):
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.phase_change_deadline(
            actor=buyer, phase=open_phase, deadline=open_phase.ends_at + dt.timedelta(days=1)
        )


@pytest.mark.parametrize("persona", ["cobuyer", "authority_admin", "supplier", "moderator"])
def test_only_lead_buyers_change_deadlines(request, persona, open_phase, published_challenge):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.phase_change_deadline(
            actor=actor, phase=open_phase, deadline=open_phase.deadline + dt.timedelta(days=1)
        )


def test_closed_phase_deadline_cannot_change(buyer, open_phase):
    phase = _closed(buyer, open_phase)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.phase_change_deadline(
            actor=buyer, phase=phase, deadline=timezone.now() + dt.timedelta(days=30)
        )


def test_deadline_across_the_daylight_saving_change(buyer, make_challenge):
    """Deadlines are instants: moving one across the spring change keeps exact UTC."""
    with time_machine.travel(_at(2027, 3, 1, 9, 0), tick=False):
        challenge = make_challenge(deadline=_at(2027, 3, 26, 11, 0), open_first=True)
        phase = first_phase(challenge)
        # 12:00 in Brussels on 28 March 2027 is 10:00 UTC (CEST, from 02:00 that night).
        new = dt.datetime(2027, 3, 28, 12, 0, tzinfo=dt.timezone(dt.timedelta(hours=2)))
        phase = services.phase_change_deadline(actor=buyer, phase=phase, deadline=new)
    phase.refresh_from_db()
    assert phase.deadline == _at(2027, 3, 28, 10, 0)
