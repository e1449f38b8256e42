from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
import time_machine
from django.utils import timezone

from govhub.challenges import services
from govhub.challenges.models import (
    Challenge,
    ChallengeBuyer,
    ChallengeStatus,
    Phase,
    PhaseKind,
    PhaseStatus,
)
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.needs import services as need_services
from govhub.needs.models import NeedStatus
from govhub.organisations import services as org_services

from .fixtures import deadline_of, first_phase
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db

FIELDS: dict[str, Any] = {
    "title": "Accessible road works information",
    "summary": "Tell residents, in plain words, which streets close and when.",
    "description": "Road works are announced in PDFs nobody finds.",
}


# --- create ---------------------------------------------------------------------------------


def test_buyer_creates_a_draft_led_by_their_authority(buyer, authority, org_reference):
    challenge = services.challenge_create(
        actor=buyer,
        lead_authority=authority,
        cpv_codes=[org_reference.it_services],
        nuts_region=org_reference.brussels,
        total_budget=Decimal("120000"),
        lead_quantity="1 city-wide service",
        **FIELDS,
    )
    assert challenge.status == ChallengeStatus.DRAFT
    assert challenge.created_by == buyer
    assert list(challenge.cpv_codes.all()) == [org_reference.it_services]
    lead = ChallengeBuyer.objects.get(challenge=challenge)
    assert (lead.authority, lead.is_lead, lead.quantity) == (authority, True, "1 city-wide service")
    event = last_event()
    assert event.action == "challenge.create"
    assert event.object_id == str(challenge.public_id)
    assert event.organisation_id == authority.public_id
    assert event.after["cpv_codes"] == ["72000000-5"]
    assert event.after["total_budget"] == "120000.00"


@pytest.mark.parametrize("persona", ["outsider", "supplier", "authority_admin", "moderator"])
def test_only_buyers_create(request, persona, authority):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.challenge_create(actor=actor, lead_authority=authority, **FIELDS)


def test_anonymous_cannot_create(authority):
    from django.contrib.auth.models import AnonymousUser

    with assert_unchanged(), pytest.raises(NotAllowed):
        services.challenge_create(actor=AnonymousUser(), lead_authority=authority, **FIELDS)


def test_buyer_of_a_suspended_authority_cannot_create(buyer, authority, moderator):
    org_services.organisation_suspend(actor=moderator, organisation=authority, reason="Checks")
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.challenge_create(actor=buyer, lead_authority=authority, **FIELDS)


def test_buyer_cannot_create_for_another_authority(buyer, second_authority):
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.challenge_create(actor=buyer, lead_authority=second_authority, **FIELDS)


def test_create_names_each_bad_field(buyer, authority):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.challenge_create(
            actor=buyer,
            lead_authority=authority,
            title=" ",
            summary="x" * 601,
            description="",
            currency="XXX",
            total_budget=Decimal("-1"),
        )
    assert set(caught.value.field_errors) == {
        "title",
        "summary",
        "description",
        "currency",
        "total_budget",
    }


# --- from a need ----------------------------------------------------------------------------


@pytest.fixture
def pooled_need(published_need, second_authority, cobuyer):
    need_services.need_express_interest(
        actor=cobuyer,
        need=published_need,
        authority=second_authority,
        quantity="4 car parks",
        budget_share=Decimal("80000"),
    )
    return published_need


def test_need_becomes_a_joint_challenge(buyer, authority, pooled_need, second_authority):
    challenge = services.challenge_create_from_need(actor=buyer, need=pooled_need)
    assert challenge.need == pooled_need
    assert challenge.title == pooled_need.title
    assert challenge.nuts_region == pooled_need.nuts_region
    assert set(challenge.cpv_codes.all()) == set(pooled_need.cpv_codes.all())
    assert pooled_need.problem.split(".")[0] in challenge.description
    buyers = {b.authority: b for b in challenge.buyers.all()}
    assert buyers[authority].is_lead
    assert buyers[authority].budget_share == Decimal("250000")
    assert not buyers[second_authority].is_lead
    assert buyers[second_authority].quantity == "4 car parks"
    assert buyers[second_authority].budget_share == Decimal("80000")
    assert challenge.total_budget == Decimal("330000")
    pooled_need.refresh_from_db()
    assert pooled_need.status == NeedStatus.CONVERTED
    event = last_event()
    assert event.action == "challenge.create_from_need"
    assert event.after["need"] == str(pooled_need.public_id)
    assert event.after["co_buyers"][0]["authority"] == str(second_authority.public_id)


def test_withdrawn_interest_does_not_make_a_cobuyer(buyer, pooled_need, cobuyer, second_authority):
    interest = pooled_need.interests.get()
    need_services.need_withdraw_interest(actor=cobuyer, interest=interest)
    challenge = services.challenge_create_from_need(actor=buyer, need=pooled_need)
    assert list(challenge.buyers.values_list("is_lead", flat=True)) == [True]


def test_suspended_interested_authority_is_left_out(
    buyer, pooled_need, second_authority, moderator
):
    org_services.organisation_suspend(
        actor=moderator, organisation=second_authority, reason="Checks"
    )
    challenge = services.challenge_create_from_need(actor=buyer, need=pooled_need)
    assert challenge.buyers.count() == 1
    assert last_event().after["left_out"] == [str(second_authority.public_id)]


def test_a_need_becomes_a_challenge_once(buyer, pooled_need):
    services.challenge_create_from_need(actor=buyer, need=pooled_need)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.challenge_create_from_need(actor=buyer, need=pooled_need)


def test_draft_need_cannot_become_a_challenge(buyer, draft_need):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.challenge_create_from_need(actor=buyer, need=draft_need)


@pytest.mark.parametrize("persona", ["cobuyer", "supplier", "outsider", "authority_admin"])
def test_only_the_needs_buyers_convert_it(request, persona, pooled_need):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.challenge_create_from_need(actor=actor, need=pooled_need)


# --- update ---------------------------------------------------------------------------------


def test_update_a_draft(buyer, challenge_draft, org_reference):
    challenge = services.challenge_update(
        actor=buyer,
        challenge=challenge_draft,
        version=challenge_draft.version,
        title="A better title",
        cpv_codes=[org_reference.software],
    )
    assert challenge.title == "A better title"
    assert challenge.version == challenge_draft.version + 1
    assert list(challenge.cpv_codes.all()) == [org_reference.software]
    event = last_event()
    assert event.action == "challenge.update"
    assert event.before["title"] != event.after["title"]
    assert event.before["cpv_codes"] == ["72000000-5"]
    assert event.after["cpv_codes"] == ["48000000-8"]


def test_concurrent_edits_do_not_silently_overwrite(buyer, challenge_draft):
    seen = challenge_draft.version
    services.challenge_update(actor=buyer, challenge=challenge_draft, version=seen, title="First")
    with assert_unchanged(), pytest.raises(Conflict):
        services.challenge_update(
            actor=buyer, challenge=challenge_draft, version=seen, title="Second"
        )
    assert Challenge.objects.get(pk=challenge_draft.pk).title == "First"


def test_published_challenge_cannot_be_edited(buyer, published_challenge):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.challenge_update(
            actor=buyer,
            challenge=published_challenge,
            version=published_challenge.version,
            title="Changed",
        )


@pytest.mark.parametrize("persona", ["cobuyer", "supplier", "outsider", "moderator"])
def test_only_lead_buyers_edit(request, persona, challenge_draft):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.challenge_update(
            actor=actor, challenge=challenge_draft, version=challenge_draft.version, title="X"
        )


def test_update_refuses_bad_input_and_keeps_the_draft(buyer, challenge_draft):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.challenge_update(
            actor=buyer, challenge=challenge_draft, version=challenge_draft.version, title=""
        )
    assert "title" in caught.value.field_errors


# --- publish --------------------------------------------------------------------------------


def test_publish_a_ready_draft(buyer, challenge_draft):
    challenge = services.challenge_publish(actor=buyer, challenge=challenge_draft)
    assert challenge.status == ChallengeStatus.PUBLISHED
    assert challenge.published_at is not None
    # Publishing does not open a phase: the buyer does.
    assert set(challenge.phases.values_list("status", flat=True)) == {PhaseStatus.PLANNED}
    event = last_event()
    assert (event.action, event.before, event.after["status"]) == (
        "challenge.publish",
        {"status": "draft"},
        "published",
    )


def test_publish_refuses_a_challenge_without_phases(buyer, authority, org_reference):
    challenge = services.challenge_create(
        actor=buyer, lead_authority=authority, cpv_codes=[org_reference.it_services], **FIELDS
    )
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.challenge_publish(actor=buyer, challenge=challenge)
    assert "Add at least one phase." in caught.value.details["problems"]


def test_publish_refuses_criteria_not_totalling_100(buyer, make_challenge):
    challenge = make_challenge(criteria=[])
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.challenge_publish(actor=buyer, challenge=challenge)
    assert "total 0%" in caught.value.message


def test_publish_refuses_a_deadline_already_past(buyer, challenge_draft):
    deadline = deadline_of(first_phase(challenge_draft))
    with (
        time_machine.travel(deadline + dt.timedelta(seconds=1), tick=False),
        assert_unchanged(),
        pytest.raises(InvalidInput) as caught,
    ):
        services.challenge_publish(actor=buyer, challenge=challenge_draft)
    assert "needs a deadline in the future" in caught.value.message


def test_publish_refuses_without_cpv(buyer, challenge_draft):
    services.challenge_update(
        actor=buyer, challenge=challenge_draft, version=challenge_draft.version, cpv_codes=[]
    )
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.challenge_publish(actor=buyer, challenge=challenge_draft)


def test_publish_refuses_a_suspended_lead(buyer, authority, moderator, challenge_draft):
    org_services.organisation_suspend(actor=moderator, organisation=authority, reason="Checks")
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.challenge_publish(actor=buyer, challenge=challenge_draft)


def test_publish_refuses_a_suspended_cobuyer(buyer, challenge_draft, second_authority, moderator):
    services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=second_authority)
    org_services.organisation_suspend(
        actor=moderator, organisation=second_authority, reason="Checks"
    )
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.challenge_publish(actor=buyer, challenge=challenge_draft)
    assert "Lisbon City Council" in caught.value.message


def test_publish_twice_is_refused(buyer, published_challenge):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.challenge_publish(actor=buyer, challenge=published_challenge)


@pytest.mark.parametrize("persona", ["cobuyer", "supplier", "outsider", "moderator"])
def test_only_lead_buyers_publish(request, persona, challenge_draft):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.challenge_publish(actor=actor, challenge=challenge_draft)


def test_publish_with_a_stale_version_is_refused(buyer, challenge_draft):
    stale = challenge_draft.version
    services.challenge_update(actor=buyer, challenge=challenge_draft, version=stale, title="New")
    with assert_unchanged(), pytest.raises(Conflict):
        services.challenge_publish(actor=buyer, challenge=challenge_draft, version=stale)


# --- complete and cancel --------------------------------------------------------------------


def _decide_all(challenge: Challenge) -> None:
    Phase.objects.filter(challenge=challenge).update(status=PhaseStatus.DECIDED)


def test_complete_once_every_phase_is_decided(buyer, published_challenge):
    _decide_all(published_challenge)
    challenge = services.challenge_complete(actor=buyer, challenge=published_challenge)
    assert challenge.status == ChallengeStatus.COMPLETED
    assert challenge.completed_at is not None
    assert last_event().action == "challenge.complete"


def test_complete_refused_while_a_phase_is_undecided(buyer, published_challenge):
    with assert_unchanged(), pytest.raises(InvalidTransition) as caught:
        services.challenge_complete(actor=buyer, challenge=published_challenge)
    assert "Open call for solutions" in caught.value.message


def test_draft_cannot_be_completed(buyer, challenge_draft):
    _decide_all(challenge_draft)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.challenge_complete(actor=buyer, challenge=challenge_draft)


@pytest.mark.parametrize("fixture", ["challenge_draft", "published_challenge"])
def test_cancel_with_a_public_reason(request, buyer, fixture):
    challenge = request.getfixturevalue(fixture)
    cancelled = services.challenge_cancel(
        actor=buyer, challenge=challenge, reason="  The budget was withdrawn.  "
    )
    assert cancelled.status == ChallengeStatus.CANCELLED
    assert cancelled.cancellation_reason == "The budget was withdrawn."
    assert cancelled.cancelled_at is not None
    event = last_event()
    assert event.action == "challenge.cancel"
    assert event.after["reason"] == "The budget was withdrawn."


def test_cancel_needs_a_reason(buyer, published_challenge):
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.challenge_cancel(actor=buyer, challenge=published_challenge, reason="  ")
    assert "reason" in caught.value.field_errors


@pytest.mark.parametrize("persona", ["cobuyer", "supplier", "outsider", "moderator"])
def test_only_lead_buyers_cancel(request, persona, published_challenge):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.challenge_cancel(actor=actor, challenge=published_challenge, reason="No")


@pytest.mark.parametrize("final", [ChallengeStatus.CANCELLED, ChallengeStatus.COMPLETED])
def test_final_states_cannot_be_cancelled(buyer, published_challenge, final):
    Challenge.objects.filter(pk=published_challenge.pk).update(status=final)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.challenge_cancel(actor=buyer, challenge=published_challenge, reason="Again")


def test_fixtures_are_what_other_apps_expect(published_challenge, open_phase, challenge_draft):
    assert published_challenge.status == ChallengeStatus.PUBLISHED
    assert open_phase.status == PhaseStatus.OPEN
    assert open_phase.kind == PhaseKind.OPEN_CALL
    assert sum(c.weight for c in open_phase.criteria.all()) == 100
    assert open_phase.criteria.count() == 3
    assert open_phase.deadline - timezone.now() > dt.timedelta(days=6, hours=23)
    pilot = published_challenge.phases.get(order=2)
    assert (pilot.kind, pilot.status) == (PhaseKind.PILOT, PhaseStatus.PLANNED)
    assert challenge_draft.status == ChallengeStatus.DRAFT
    assert challenge_draft.pk != published_challenge.pk
