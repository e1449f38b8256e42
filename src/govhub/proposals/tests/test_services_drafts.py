"""proposal_save_draft: who may draft, for which phase, and that saving never loses anything."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import pytest
import time_machine

from govhub.challenges import services as challenge_services
from govhub.challenges.models import AwardCriterion, PhaseStatus
from govhub.core.audit import audit_verify
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.organisations import services as org_services
from govhub.organisations.models import OrganisationKind
from govhub.proposals import services
from govhub.proposals.models import Proposal, ProposalAnswer, ProposalStatus

from .fixtures import answers_for
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db


def _criteria(phase):
    return list(AwardCriterion.objects.filter(phase=phase).order_by("order"))


def test_first_save_creates_a_partial_draft_and_audits_without_content(
    open_phase, company, supplier
):
    first, second, _third = _criteria(open_phase)
    proposal = services.proposal_save_draft(
        actor=supplier,
        phase=open_phase,
        company=company,
        title="Parking made simple",
        answers={str(first.public_id): "Secret approach with LoRa sensors"},
    )
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.version == 1
    assert proposal.created_by == supplier
    assert proposal.title == "Parking made simple"
    answers = {a.criterion_id: a.text for a in ProposalAnswer.objects.filter(proposal=proposal)}
    assert answers == {first.pk: "Secret approach with LoRa sensors"}
    assert second.pk not in answers  # partial drafts are fine
    event = last_event()
    assert event.action == "proposal.draft_save"
    assert event.organisation_id == company.public_id
    assert event.after["created"] is True
    assert event.after["answered"] == 1
    # The audit log is read by moderators and admins: it never carries sealed content.
    dumped = json.dumps([event.before, event.after, event.object_label])
    assert "LoRa" not in dumped
    assert "Parking made simple" not in dumped
    assert audit_verify().ok


def test_later_saves_keep_answers_left_out_and_bump_the_version(open_phase, company, supplier):
    first, second, _third = _criteria(open_phase)
    proposal = services.proposal_save_draft(
        actor=supplier,
        phase=open_phase,
        company=company,
        answers={str(first.public_id): "One", str(second.public_id): "Two"},
    )
    proposal = services.proposal_save_draft(
        actor=supplier,
        phase=open_phase,
        company=company,
        version=proposal.version,
        answers={str(second.public_id): "Two, revised"},
    )
    assert proposal.version == 2
    texts = dict(
        ProposalAnswer.objects.filter(proposal=proposal).values_list("criterion_id", "text")
    )
    assert texts == {first.pk: "One", second.pk: "Two, revised"}


def test_saving_nothing_new_writes_nothing(open_phase, company, supplier):
    first = _criteria(open_phase)[0]
    proposal = services.proposal_save_draft(
        actor=supplier, phase=open_phase, company=company, answers={str(first.public_id): "A"}
    )
    with assert_unchanged():
        again = services.proposal_save_draft(
            actor=supplier,
            phase=open_phase,
            company=company,
            version=proposal.version,
            answers={str(first.public_id): "A"},
        )
    assert again.pk == proposal.pk


def test_a_stale_form_that_changes_something_is_refused(open_phase, company, supplier):
    first = _criteria(open_phase)[0]
    proposal = services.proposal_save_draft(
        actor=supplier, phase=open_phase, company=company, answers={str(first.public_id): "A"}
    )
    stale = proposal.version
    services.proposal_save_draft(
        actor=supplier,
        phase=open_phase,
        company=company,
        version=stale,
        answers={str(first.public_id): "B (a colleague)"},
    )
    with assert_unchanged(), pytest.raises(Conflict) as refused:
        services.proposal_save_draft(
            actor=supplier,
            phase=open_phase,
            company=company,
            version=stale,
            answers={str(first.public_id): "C (me, from an old tab)"},
        )
    assert refused.value.code == "stale_version"
    assert ProposalAnswer.objects.get(criterion=first).text == "B (a colleague)"


def test_a_double_click_on_save_is_a_harmless_replay(open_phase, company, supplier):
    first = _criteria(open_phase)[0]
    proposal = services.proposal_save_draft(
        actor=supplier, phase=open_phase, company=company, answers={str(first.public_id): "A"}
    )
    form: dict[str, Any] = {
        "version": proposal.version,
        "answers": {str(first.public_id): "A, then more"},
    }
    services.proposal_save_draft(actor=supplier, phase=open_phase, company=company, **form)
    with assert_unchanged():
        services.proposal_save_draft(actor=supplier, phase=open_phase, company=company, **form)


@pytest.mark.parametrize("persona", ["outsider", "buyer", "moderator", "second_supplier"])
def test_only_members_of_the_company_may_draft(request, open_phase, company, persona):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.proposal_save_draft(
            actor=actor, phase=open_phase, company=company, answers=answers_for(open_phase)
        )


def test_only_companies_send_proposals(open_phase, authority, authority_admin):
    with assert_unchanged(), pytest.raises(NotAllowed) as refused:
        services.proposal_save_draft(actor=authority_admin, phase=open_phase, company=authority)
    assert refused.value.code == "not_a_company"


def test_a_suspended_company_cannot_draft(open_phase, company, supplier, moderator):
    org_services.organisation_suspend(actor=moderator, organisation=company, reason="Fraud")
    company.refresh_from_db()
    with assert_unchanged(), pytest.raises(NotAllowed) as refused:
        services.proposal_save_draft(actor=supplier, phase=open_phase, company=company)
    assert refused.value.code == "company_suspended"


def test_an_unverified_company_may_draft(open_phase, company, supplier):
    # Verification checks an organisation's identity; exclusion grounds are checked by the
    # buyer later, so a new startup is not kept out while it waits for a moderator.
    assert company.status == "unverified"
    services.proposal_save_draft(actor=supplier, phase=open_phase, company=company)
    assert Proposal.objects.filter(company=company).exists()


def test_sme_only_phases_refuse_large_companies(
    open_phase, make_organisation, make_user, codelist_entry
):
    founder = make_user()
    large = make_organisation(
        OrganisationKind.COMPANY,
        admin=founder,
        size=codelist_entry("economic-operator-size", "large"),
    )
    assert open_phase.sme_only
    with assert_unchanged(), pytest.raises(NotAllowed) as refused:
        services.proposal_save_draft(actor=founder, phase=open_phase, company=large)
    assert refused.value.code == "not_eligible_sme"


@pytest.mark.parametrize("size", ["micro", "small", "medium"])
def test_sme_sizes_are_eligible(open_phase, make_organisation, make_user, codelist_entry, size):
    founder = make_user()
    sme = make_organisation(
        OrganisationKind.COMPANY, admin=founder, size=codelist_entry("economic-operator-size", size)
    )
    services.proposal_save_draft(actor=founder, phase=open_phase, company=sme)


@pytest.mark.parametrize(
    ("alpha2", "eligible"),
    [
        ("NO", True),
        ("IS", True),
        ("LI", True),
        ("PT", True),
        ("CH", False),
        ("US", False),
        ("GB", False),
    ],
)
def test_eu_eea_only_phases_check_the_company_country(
    open_phase, make_organisation, make_user, country, alpha2, eligible
):
    founder = make_user()
    firm = make_organisation(OrganisationKind.COMPANY, admin=founder, country=country(alpha2))
    assert open_phase.eu_eea_only
    if eligible:
        services.proposal_save_draft(actor=founder, phase=open_phase, company=firm)
    else:
        with assert_unchanged(), pytest.raises(NotAllowed) as refused:
            services.proposal_save_draft(actor=founder, phase=open_phase, company=firm)
        assert refused.value.code == "not_eligible_country"


def test_phases_not_open_take_no_drafts(published_challenge, company, supplier):
    pilot = published_challenge.phases.get(order=2)
    assert pilot.status == PhaseStatus.PLANNED
    with assert_unchanged(), pytest.raises(NotAllowed) as refused:
        services.proposal_save_draft(actor=supplier, phase=pilot, company=company)
    assert refused.value.code == "phase_not_open"


def test_draft_challenges_take_no_drafts(challenge_draft, company, supplier):
    phase = challenge_draft.phases.get(order=1)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.proposal_save_draft(actor=supplier, phase=phase, company=company)


def test_no_drafts_after_the_deadline(open_phase, company, supplier):
    with (
        time_machine.travel(open_phase.deadline, tick=False),
        assert_unchanged(),
        pytest.raises(NotAllowed) as refused,
    ):
        services.proposal_save_draft(
            actor=supplier, phase=open_phase, company=company, answers=answers_for(open_phase)
        )
    assert refused.value.code == "deadline_passed"


def test_an_answer_to_a_criterion_of_another_phase_is_refused(
    open_phase, make_challenge, company, supplier
):
    other = make_challenge(title="Another challenge", open_first=True).phases.get(order=1)
    foreign = AwardCriterion.objects.filter(phase=other).first()
    assert foreign is not None
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.proposal_save_draft(
            actor=supplier, phase=open_phase, company=company, answers={str(foreign.public_id): "x"}
        )


def test_overlong_answers_are_refused_on_their_field(open_phase, company, supplier):
    first = _criteria(open_phase)[0]
    with assert_unchanged(), pytest.raises(InvalidInput) as refused:
        services.proposal_save_draft(
            actor=supplier,
            phase=open_phase,
            company=company,
            answers={str(first.public_id): "x" * 20_001},
        )
    assert list(refused.value.field_errors) == [services.answer_field(first)]


def test_the_price_is_kept_only_when_the_phase_asks_for_one(open_phase, company, supplier):
    assert not open_phase.asks_price
    proposal = services.proposal_save_draft(
        actor=supplier, phase=open_phase, company=company, declared_price=Decimal("1000")
    )
    assert proposal.declared_price is None
    open_phase.asks_price = True
    open_phase.save()
    proposal = services.proposal_save_draft(
        actor=supplier,
        phase=open_phase,
        company=company,
        version=proposal.version,
        declared_price="125000.50",
    )
    assert proposal.declared_price == Decimal("125000.50")


@pytest.mark.parametrize("price", ["-1", "12.345", "abc", "1e20"])
def test_bad_prices_are_refused_on_the_price_field(open_phase, company, supplier, price):
    open_phase.asks_price = True
    open_phase.save()
    with assert_unchanged(), pytest.raises(InvalidInput) as refused:
        services.proposal_save_draft(
            actor=supplier, phase=open_phase, company=company, declared_price=price
        )
    assert list(refused.value.field_errors) == ["declared_price"]


def test_a_submitted_proposal_is_changed_only_after_withdrawing(
    submitted_proposal, open_phase, company, supplier
):
    with assert_unchanged(), pytest.raises(InvalidTransition) as refused:
        services.proposal_save_draft(
            actor=supplier, phase=open_phase, company=company, title="Changed my mind"
        )
    assert refused.value.code == "already_submitted"


def test_drafting_follows_an_extended_deadline(open_phase, company, supplier, buyer):
    # The challenges app owns deadlines; drafting follows whatever the deadline is now.
    services.proposal_save_draft(actor=supplier, phase=open_phase, company=company)
    new_deadline = open_phase.deadline + dt.timedelta(days=3)
    challenge_services.phase_change_deadline(
        actor=buyer, phase=open_phase, deadline=new_deadline, reason="More time"
    )
    with time_machine.travel(new_deadline - dt.timedelta(days=1), tick=False):
        services.proposal_save_draft(
            actor=supplier, phase=open_phase, company=company, title="Still time"
        )
