"""Directive 2014/24/EU, Annex IV — one test family per guarantee, (a) to (g).

Each tries to break its guarantee through every interface that exists today:

- the HTML pages (proposal, receipt, receipt file, attachment download, the buyer's list);
- the selectors, which any export, search, evaluation page or future API must call
  (test_architecture.py proves nothing else reads content);
- the Django admin (no proposal content is registered);
- the audit log pages (events never carry content).

There is no API yet: test_architecture.test_every_proposals_endpoint_is_one_the_seal_tests_know
fails as soon as an endpoint is added, so that it joins these tests.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from typing import Any

import pytest
import time_machine
from django.db import transaction
from django.urls import reverse

from govhub.challenges import services as challenge_services
from govhub.core.audit import audit_verify
from govhub.core.errors import NotAllowed
from govhub.core.models import AuditEvent
from govhub.evaluation import services as evaluation_services
from govhub.organisations import services as org_services
from govhub.organisations.models import Membership
from govhub.proposals import selectors, services
from govhub.proposals.models import ProposalReceipt
from govhub.proposals.selectors import REFUSED_ACTION, Sealed

from .fixtures import after_deadline, form_token
from .helpers import assert_unchanged, events
from .sealing import (
    NEVER,
    OTHERS,
    READERS,
    assert_readable_everywhere,
    assert_sealed_everywhere,
    body,
    content_urls,
    leaks,
    persona,
    selector_calls,
)

pytestmark = pytest.mark.django_db

# --- (a) The exact time and date of receipt can be determined precisely ---------------------


def test_a_the_exact_time_of_receipt_is_recorded_and_shown_everywhere(
    client, supplier, company, joint_phase
):
    moment = joint_phase.deadline - dt.timedelta(hours=2, seconds=7, microseconds=654321)
    client.force_login(supplier)
    data = {"action": "submit", "form_token": form_token(), "version": ""}
    for criterion in joint_phase.criteria.all():
        data[f"answer_{criterion.public_id}"] = "An answer"
    with time_machine.travel(moment, tick=False):
        response = client.post(reverse("proposals:edit", args=[joint_phase.public_id]), data)
    receipt = ProposalReceipt.objects.get()
    assert response["Location"] == reverse("proposals:receipt", args=[receipt.public_id])
    # Stored: the server's clock at the moment of receipt, to the microsecond, in UTC.
    assert receipt.received_at == moment
    assert receipt.proposal.submitted_at == moment
    utc = moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    assert receipt.snapshot["received_at"] == utc
    assert events("proposal.submit")[0].after["received_at"].startswith(utc[:19])
    # Shown: to the second with its zone, and in UTC; the receipt file has it too.
    page = body(client.get(response["Location"]))
    brussels = moment.astimezone(zoneinfo.ZoneInfo("Europe/Brussels"))
    assert brussels.strftime("%H:%M:%S ") + brussels.tzname() in page
    assert utc in page
    document = client.get(reverse("proposals:receipt_json", args=[receipt.public_id])).content
    assert json.loads(document)["received_at"] == utc
    assert selectors.receipt_content(user=supplier, receipt=receipt).received_at == moment


# --- (b) Before the time limits, no-one can have access to the data transmitted ------------


@pytest.mark.parametrize("name", OTHERS)
def test_b_before_the_deadline_nobody_else_reads_anything(request, client, world, name):
    assert_sealed_everywhere(client, persona(request, name), world)


def test_b_before_the_deadline_the_buyer_sees_only_a_count(client, buyer, cobuyer, world):
    for user in (buyer, cobuyer):
        client.force_login(user)
        page = body(client.get(reverse("proposals:phase", args=[world.phase.public_id])))
        assert "1 proposal received" in page
        assert "CivicTech" not in page
        assert reverse("proposals:detail", args=[world.proposal.public_id]) not in page


def test_b_anonymous_visitors_are_sent_to_sign_in_and_selectors_refuse_them(client, world):
    from django.contrib.auth.models import AnonymousUser

    for url in content_urls(world).values():
        response = client.get(url)
        assert response.status_code == 302
        assert not leaks(body(response))
    for call in selector_calls(AnonymousUser(), world).values():
        with pytest.raises(Sealed):
            call()
    assert {e.after["anonymous"] for e in events(REFUSED_ACTION)} == {True}


def test_b_the_admin_shows_no_proposal_content_even_to_a_superuser(client, superuser, world):
    client.force_login(superuser)
    index = body(client.get("/admin/"))
    assert "proposals" not in index.lower()
    for model in ("proposal", "proposalanswer", "proposalattachment", "proposalreceipt"):
        response = client.get(f"/admin/proposals/{model}/")
        assert response.status_code == 404
        assert not leaks(body(response))


def test_b_the_audit_log_carries_no_content(client, moderator, world, supplier, company):
    services.proposal_withdraw(actor=supplier, proposal=world.proposal)
    for event in AuditEvent.objects.all():
        assert not leaks(json.dumps([event.before, event.after, event.object_label]))
    client.force_login(moderator)  # moderators read the whole log
    assert not leaks(body(client.get(reverse("audit:list"))))


# --- (c) Only authorised persons set or change the dates for opening -----------------------


@pytest.mark.parametrize("name", [*OTHERS, "supplier"])
def test_c_nobody_opens_the_proposals_before_the_deadline(request, client, world, name):
    user = persona(request, name)
    client.force_login(user)
    url = reverse("proposals:open", args=[world.phase.public_id])
    with time_machine.travel(world.phase.deadline - dt.timedelta(seconds=1), tick=False):
        with assert_unchanged(), pytest.raises(NotAllowed):
            services.proposals_open(actor=user, phase=world.phase)
        with assert_unchanged():
            response = client.post(url)
    assert response.status_code in {200, 403}
    assert "The proposals are open" not in body(response)


@pytest.mark.parametrize(
    "name", ["cobuyer", "authority_admin", "moderator", "superuser", "supplier"]
)
def test_c_only_the_lead_buyer_moves_the_deadline(request, world, name):
    # The challenges app owns deadlines; the seal relies on nobody else being able to move one.
    with assert_unchanged(), pytest.raises(NotAllowed):
        challenge_services.phase_change_deadline(
            actor=persona(request, name),
            phase=world.phase,
            deadline=world.phase.deadline - dt.timedelta(days=1),
            reason="Open early",
        )


def test_c_the_opening_follows_the_deadline_when_it_moves(client, buyer, world):
    old = world.phase.deadline
    new = old + dt.timedelta(days=3)
    challenge_services.phase_change_deadline(
        actor=buyer, phase=world.phase, deadline=new, reason="More time for SMEs"
    )
    world.phase.refresh_from_db()
    with time_machine.travel(old + dt.timedelta(hours=1), tick=False):
        with assert_unchanged(), pytest.raises(NotAllowed):
            services.proposals_open(actor=buyer, phase=world.phase)
        assert_sealed_everywhere(client, buyer, world)
        client.force_login(buyer)
        page = body(client.get(reverse("proposals:phase", args=[world.phase.public_id])))
        assert reverse("proposals:open", args=[world.phase.public_id]) not in page
    with time_machine.travel(new, tick=False):
        services.proposals_open(actor=buyer, phase=world.phase)
        assert_readable_everywhere(client, buyer, world)


# --- (d) During the procedure, only authorised persons access the data submitted -----------


@pytest.mark.parametrize("name", READERS)
def test_d_once_opened_the_buying_side_reads_through_every_interface(request, client, opened, name):
    assert_readable_everywhere(client, persona(request, name), opened)


def test_d_once_opened_the_buyers_list_names_the_companies(client, buyer, opened):
    client.force_login(buyer)
    page = body(client.get(reverse("proposals:phase", args=[opened.phase.public_id])))
    assert "CivicTech Solutions" in page
    assert opened.receipt.content_sha256 in page


@pytest.mark.parametrize("name", NEVER)
def test_d_once_opened_everyone_else_is_still_refused(request, client, opened, name):
    assert_sealed_everywhere(client, persona(request, name), opened)


def test_d_an_evaluator_who_has_not_signed_the_declaration_is_refused(
    client, buyer, authority, opened, second_evaluator
):
    evaluation_services.evaluator_assign(
        actor=buyer, phase=opened.phase, user=second_evaluator, authority=authority
    )
    assert_sealed_everywhere(client, second_evaluator, opened)


def test_d_an_evaluator_who_declared_a_conflict_is_refused(
    client, buyer, authority, opened, second_evaluator
):
    assignment = evaluation_services.evaluator_assign(
        actor=buyer, phase=opened.phase, user=second_evaluator, authority=authority
    )
    evaluation_services.evaluator_declare(
        actor=second_evaluator,
        assignment=assignment,
        has_conflict=True,
        statement="My brother works at CivicTech.",
    )
    assert_sealed_everywhere(client, second_evaluator, opened)


def test_d_drafts_and_withdrawn_proposals_are_never_received(
    buyer, supplier, world, make_proposal, second_company, second_supplier
):
    draft = make_proposal(world.phase, company=second_company, actor=second_supplier, submit=False)
    services.proposal_withdraw(actor=supplier, proposal=world.proposal)
    with time_machine.travel(after_deadline(world.phase), tick=False):
        services.proposals_open(actor=buyer, phase=world.phase)
        for proposal in (draft, world.proposal):
            with pytest.raises(Sealed):
                selectors.proposal_content(user=buyer, proposal=proposal)
        # The withdrawn submission's receipt is not what the buyer received either.
        with pytest.raises(Sealed):
            selectors.receipt_content(user=buyer, receipt=world.receipt)


# --- (e) Only authorised persons give access, and only after the prescribed date ------------


def test_e_after_the_deadline_but_before_opening_even_the_lead_buyer_reads_nothing(
    client, buyer, world
):
    with time_machine.travel(after_deadline(world.phase), tick=False):
        assert_sealed_everywhere(client, buyer, world)


@pytest.mark.parametrize(
    "name",
    ["cobuyer", "cleared_evaluator", "authority_admin", "moderator", "superuser", "supplier"],
)
def test_e_only_a_lead_buyer_gives_access_by_opening(request, client, world, name):
    user = persona(request, name)
    with time_machine.travel(after_deadline(world.phase), tick=False):
        with assert_unchanged(), pytest.raises(NotAllowed):
            services.proposals_open(actor=user, phase=world.phase)
        client.force_login(user)
        with assert_unchanged():
            assert (
                client.post(reverse("proposals:open", args=[world.phase.public_id])).status_code
                == 403
            )


def test_e_opening_is_recorded_with_who_and_when(buyer, world):
    moment = after_deadline(world.phase, dt.timedelta(minutes=3))
    with time_machine.travel(moment, tick=False):
        services.proposals_open(actor=buyer, phase=world.phase)
    (event,) = events("proposals.open")
    assert event.actor == buyer
    assert event.occurred_at == moment
    world.phase.refresh_from_db()
    assert world.phase.proposals_opened_by == buyer
    assert world.phase.proposals_opened_at == moment


# --- (f) Data received and opened remain accessible only to authorised persons --------------


@pytest.mark.parametrize("name", NEVER)
def test_f_weeks_after_opening_others_are_still_refused(request, client, opened, name):
    with time_machine.travel(after_deadline(opened.phase, dt.timedelta(days=40)), tick=False):
        assert_sealed_everywhere(client, persona(request, name), opened)


def test_f_a_buyer_who_loses_the_role_loses_access(
    client, opened, buyer, authority, authority_admin
):
    membership = Membership.objects.get(user=buyer, organisation=authority)
    org_services.membership_set_roles(
        actor=authority_admin, membership=membership, is_admin=False, is_buyer=False
    )
    assert_sealed_everywhere(client, buyer, opened)


def test_f_a_suspended_co_buying_authority_loses_access(
    client, opened, cobuyer, second_authority, moderator
):
    org_services.organisation_suspend(
        actor=moderator, organisation=second_authority, reason="Audit"
    )
    assert_sealed_everywhere(client, cobuyer, opened)


def test_f_the_company_keeps_reading_its_own_proposal(client, opened, supplier):
    client.force_login(supplier)
    for url in content_urls(opened).values():
        assert client.get(url).status_code == 200


# --- (g) Infringements and attempts are clearly detectable ----------------------------------


def test_g_every_refused_attempt_is_logged_with_channel_user_and_proposal(
    client, outsider, world, authority
):
    client.force_login(outsider)
    before = AuditEvent.objects.count()
    for url in content_urls(world).values():
        client.get(url)
    for call in selector_calls(outsider, world).values():
        with pytest.raises(Sealed):
            call()
    logged: list[Any] = list(AuditEvent.objects.order_by("pk"))[before:]
    assert [e.action for e in logged] == [REFUSED_ACTION] * 8
    assert [e.after["channel"] for e in logged] == [
        "html",
        "html",
        "json",
        "download",
        "html",
        "html",
        "json",
        "download",
    ]
    for event in logged:
        assert event.actor == outsider
        assert event.object_type == "proposals.proposal"
        assert event.object_id == str(world.proposal.public_id)
        assert event.after["reason"] == "before_deadline"
        # Detectable by the lead authority's administrators and by moderators.
        assert event.organisation_id == authority.public_id
        assert not leaks(json.dumps(event.after))
    assert audit_verify().ok


def test_g_the_company_sees_attempts_in_its_proposals_history(client, moderator, supplier, world):
    with pytest.raises(Sealed):
        selectors.proposal_content(user=moderator, proposal=world.proposal)
    client.force_login(supplier)
    page = body(client.get(reverse("proposals:history", args=[world.proposal.public_id])))
    assert "Someone was refused access to the sealed proposal" in page
    assert "Mona Moderator" not in page


def test_g_a_refused_list_is_logged_too(client, outsider, world):
    client.force_login(outsider)
    assert client.get(reverse("proposals:phase", args=[world.phase.public_id])).status_code == 403
    (event,) = events(REFUSED_ACTION)
    assert event.object_type == "challenges.phase"


def test_g_content_altered_after_receipt_is_detected_at_opening(buyer, world, proposal_files):
    (proposal_files / world.attachment.file.name).write_bytes(b"%PDF-1.7 swapped")
    with time_machine.travel(after_deadline(world.phase), tick=False):
        services.proposals_open(actor=buyer, phase=world.phase)
    (event,) = events("proposals.open")
    assert event.after["integrity_failures"] == {
        str(world.receipt.public_id): [f"attachment:{world.attachment.public_id}"]
    }


@pytest.mark.django_db(transaction=True)
def test_g_the_trace_survives_the_refused_request_and_cannot_be_rolled_back(
    client, outsider, submitted_proposal
):
    # Real commits here (no test transaction around): the refusal is stored by its own
    # durable transaction, so it is there after the 403 response…
    client.force_login(outsider)
    url = reverse("proposals:detail", args=[submitted_proposal.public_id])
    assert client.get(url).status_code == 403
    assert AuditEvent.objects.filter(action=REFUSED_ACTION).count() == 1
    # …and a caller cannot wrap a read in a transaction that would roll the trace back:
    # Django refuses to nest the durable transaction.
    with pytest.raises(RuntimeError), transaction.atomic():
        selectors.proposal_content(user=outsider, proposal=submitted_proposal)
    assert AuditEvent.objects.filter(action=REFUSED_ACTION).count() == 1
