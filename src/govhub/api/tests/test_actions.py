"""Token actions end to end: the same services as the pages, the seal through the API."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
import time_machine
from django.test import Client
from django.utils import timezone

from govhub.api import services as api_services
from govhub.core.models import AuditEvent
from govhub.needs.models import InnovationNeed, NeedStatus
from govhub.organisations import services as org_services
from govhub.organisations.models import Membership
from govhub.proposals.models import Proposal, ProposalStatus
from govhub.proposals.tests.fixtures import answers_for, form_token

from .fixtures import bearer
from .test_problems import problem_of

pytestmark = pytest.mark.django_db


def post(client: Client, url: str, plaintext: str, body: Any = None, **headers: str) -> Any:
    return client.post(
        url,
        body or {},
        content_type="application/json",
        headers={**bearer(plaintext), **headers},
    )


def refusals(channel: str = "api") -> list[AuditEvent]:
    return [
        e
        for e in AuditEvent.objects.filter(action="proposal.sealed_access_refused")
        if (e.after or {}).get("channel") == channel
    ]


# --- Token lifecycle ----------------------------------------------------------------------


def test_a_live_token_authenticates_and_records_its_use(client, company_token, open_phase):
    token, plaintext = company_token
    response = client.get(
        f"/api/v1/phases/{open_phase.public_id}/proposal", headers=bearer(plaintext)
    )
    problem_of(response, 404, "not_found")  # authenticated; the company has no proposal yet
    token.refresh_from_db()
    assert token.last_used_at is not None


def test_a_revoked_token_is_401(client, company_token, supplier, open_phase):
    token, plaintext = company_token
    api_services.api_token_revoke(actor=supplier, token=token)
    response = client.get(
        f"/api/v1/phases/{open_phase.public_id}/proposal", headers=bearer(plaintext)
    )
    problem_of(response, 401, "not_authenticated")


def test_an_expired_token_is_401(client, make_token, company, supplier, open_phase):
    _token, plaintext = make_token(
        company, actor=supplier, expires_at=timezone.now() + dt.timedelta(days=1)
    )
    url = f"/api/v1/phases/{open_phase.public_id}/proposal"
    with time_machine.travel(timezone.now() + dt.timedelta(days=2)):
        problem_of(client.get(url, headers=bearer(plaintext)), 401, "not_authenticated")


def test_a_token_of_someone_no_longer_a_member_is_401(
    client, buyer_token, buyer, authority, authority_admin
):
    _token, plaintext = buyer_token
    org_services.membership_remove(
        actor=authority_admin, membership=Membership.objects.get(organisation=authority, user=buyer)
    )
    response = post(client, "/api/v1/needs", plaintext, {"title": "A need"})
    problem_of(response, 401, "not_authenticated")
    assert not InnovationNeed.objects.exists()


def test_a_member_who_lost_the_buyer_role_is_refused(
    client, buyer_token, buyer, authority, authority_admin
):
    _token, plaintext = buyer_token
    org_services.membership_set_roles(
        actor=authority_admin,
        membership=Membership.objects.get(organisation=authority, user=buyer),
        is_admin=True,
        is_buyer=False,
    )
    events = AuditEvent.objects.count()
    response = post(client, "/api/v1/needs", plaintext, {"title": "A need"})
    problem_of(response, 403, "not_a_buyer")
    assert not InnovationNeed.objects.exists()
    assert AuditEvent.objects.count() == events


# --- Needs --------------------------------------------------------------------------------


def test_an_authority_token_creates_then_publishes_a_need(client, buyer_token, buyer):
    _token, plaintext = buyer_token
    body = {
        "title": "Real-time occupancy of public car parks",
        "problem": "Drivers circle the centre looking for a space.",
        "expected_outcomes": "Drivers find a space straight away.",
        "outcome_measures": "Search time before and after.",
        "cpv_codes": ["72212000-4"],
        "nuts_region": "BE100",
        "budget_min": "100000",
        "budget_max": "250000",
    }
    response = post(client, "/api/v1/needs", plaintext, body)
    assert response.status_code == 201, response.content
    created = response.json()
    need = InnovationNeed.objects.get(public_id=created["id"])
    assert need.status == NeedStatus.DRAFT
    assert need.created_by == buyer
    assert created["cpv_codes"] == ["72212000-4"]
    assert AuditEvent.objects.filter(action="need.create", object_id=str(need.public_id)).exists()

    published = post(client, f"/api/v1/needs/{need.public_id}/publish", plaintext)
    assert published.status_code == 200, published.content
    assert published.json()["status"] == "published"
    need.refresh_from_db()
    assert need.status == NeedStatus.PUBLISHED


def test_unknown_codes_are_422_and_create_nothing(client, buyer_token):
    _token, plaintext = buyer_token
    response = post(
        client,
        "/api/v1/needs",
        plaintext,
        {"title": "x", "cpv_codes": ["99999999"], "nuts_region": "ZZ9"},
    )
    data = problem_of(response, 422, "invalid_input")
    assert set(data["errors"]) == {"cpv_codes", "nuts_region"}
    assert not InnovationNeed.objects.exists()


def test_a_company_token_cannot_create_needs(client, company_token):
    _token, plaintext = company_token
    problem_of(post(client, "/api/v1/needs", plaintext, {"title": "x"}), 403, "not_a_buyer")
    assert not InnovationNeed.objects.exists()


def test_another_authoritys_draft_is_not_found(
    client, make_token, draft_need, second_authority, second_authority_admin
):
    _token, plaintext = make_token(second_authority, actor=second_authority_admin)
    events = AuditEvent.objects.count()
    response = post(client, f"/api/v1/needs/{draft_need.public_id}/publish", plaintext)
    problem_of(response, 404, "not_found")
    draft_need.refresh_from_db()
    assert draft_need.status == NeedStatus.DRAFT
    assert AuditEvent.objects.count() == events


# --- Proposals ----------------------------------------------------------------------------


def test_a_company_token_saves_submits_reads_and_withdraws_its_proposal(
    client, company_token, open_phase, proposal_files
):
    _token, plaintext = company_token
    url = f"/api/v1/phases/{open_phase.public_id}/proposal"
    answers = answers_for(open_phase, "Through the API")
    first_key = next(iter(answers))

    draft = post(client, url, plaintext, {"title": "Sensors", "answers": {first_key: "Part"}})
    assert draft.status_code == 200, draft.content
    assert draft.json()["status"] == "draft"
    proposal = Proposal.objects.get(public_id=draft.json()["id"])
    assert AuditEvent.objects.filter(action="proposal.draft_save").count() == 1

    missing_key = post(client, url, plaintext, {"answers": answers, "submit": True})
    problem_of(missing_key, 422, "idempotency_key_required")
    proposal.refresh_from_db()
    assert proposal.status == ProposalStatus.DRAFT

    key = form_token()
    submitted = post(
        client, url, plaintext, {"answers": answers, "submit": True}, **{"Idempotency-Key": key}
    )
    assert submitted.status_code == 200, submitted.content
    data = submitted.json()
    assert data["status"] == "submitted"
    assert data["receipt"]["is_current"] is True
    assert {a["criterion"]: a["text"] for a in data["answers"]} == answers
    again = post(
        client, url, plaintext, {"answers": answers, "submit": True}, **{"Idempotency-Key": key}
    )
    assert again.status_code == 200
    assert again.json()["receipt"]["id"] == data["receipt"]["id"]
    assert AuditEvent.objects.filter(action="proposal.submit").count() == 1

    own = client.get(url, headers=bearer(plaintext))
    assert own.status_code == 200
    assert own.json()["title"] == "Sensors"

    withdrawn = post(client, f"/api/v1/proposals/{proposal.public_id}/withdraw", plaintext)
    assert withdrawn.status_code == 200, withdrawn.content
    assert withdrawn.json()["status"] == "withdrawn"


def test_an_incomplete_proposal_is_not_submitted(client, company_token, open_phase, proposal_files):
    _token, plaintext = company_token
    response = post(
        client,
        f"/api/v1/phases/{open_phase.public_id}/proposal",
        plaintext,
        {"submit": True},
        **{"Idempotency-Key": form_token()},
    )
    data = problem_of(response, 422, "invalid_input")
    assert data["errors"]
    assert not Proposal.objects.filter(status=ProposalStatus.SUBMITTED).exists()


def test_another_companys_token_cannot_read_a_draft_and_is_audited(
    client, make_token, make_proposal, open_phase, second_company, second_supplier
):
    draft = make_proposal(open_phase, submit=False, text="Secret idea")
    _token, plaintext = make_token(second_company, actor=second_supplier)
    response = client.get(f"/api/v1/proposals/{draft.public_id}", headers=bearer(plaintext))
    problem_of(response, 403, "sealed")
    assert "Secret idea" not in response.content.decode()
    (event,) = refusals()
    assert event.object_id == str(draft.public_id)
    assert event.actor_id == second_supplier.pk
    # Nor can it withdraw or change it.
    problem_of(
        post(client, f"/api/v1/proposals/{draft.public_id}/withdraw", plaintext),
        403,
        "not_allowed",
    )


def test_an_outsiders_token_cannot_read_a_sealed_proposal(
    client, make_token, submitted_proposal, make_organisation, outsider
):
    org = make_organisation(admin=outsider)
    _token, plaintext = make_token(org, actor=outsider, scopes=["read"])
    response = client.get(
        f"/api/v1/proposals/{submitted_proposal.public_id}", headers=bearer(plaintext)
    )
    problem_of(response, 403, "sealed")
    assert len(refusals()) == 1


def test_the_buyer_gets_only_a_count_before_the_deadline(
    client, buyer_token, submitted_proposal, open_phase
):
    _token, plaintext = buyer_token
    overview = client.get(
        f"/api/v1/phases/{open_phase.public_id}/proposals", headers=bearer(plaintext)
    )
    assert overview.status_code == 200, overview.content
    assert overview.json()["received_count"] == 1
    assert overview.json()["received"] is None
    response = client.get(
        f"/api/v1/proposals/{submitted_proposal.public_id}", headers=bearer(plaintext)
    )
    problem_of(response, 403, "sealed")
    (event,) = refusals()
    assert (event.after or {})["reason"] == "before_deadline"


def test_the_buyer_reads_what_was_received_once_opened(
    client, buyer_token, submitted_proposal, opened_phase
):
    _token, plaintext = buyer_token
    overview = client.get(
        f"/api/v1/phases/{opened_phase.public_id}/proposals", headers=bearer(plaintext)
    ).json()
    assert overview["opened"] is True
    assert len(overview["received"]) == 1
    response = client.get(
        f"/api/v1/proposals/{submitted_proposal.public_id}", headers=bearer(plaintext)
    )
    assert response.status_code == 200, response.content
    assert response.json()["receipt"]["id"] == overview["received"][0]["id"]
    assert not refusals()


def test_a_company_token_cannot_see_a_phases_received_proposals(
    client, company_token, submitted_proposal, open_phase
):
    _token, plaintext = company_token
    response = client.get(
        f"/api/v1/phases/{open_phase.public_id}/proposals", headers=bearer(plaintext)
    )
    problem_of(response, 403, "sealed")
    assert len(refusals()) == 1


def test_an_authority_token_of_an_admin_who_is_not_a_buyer_reads_nothing(
    client, make_token, authority, authority_admin, submitted_proposal, opened_phase
):
    _token, plaintext = make_token(authority, actor=authority_admin, scopes=["read"])
    response = client.get(
        f"/api/v1/proposals/{submitted_proposal.public_id}", headers=bearer(plaintext)
    )
    problem_of(response, 403, "sealed")
    overview = client.get(
        f"/api/v1/phases/{opened_phase.public_id}/proposals", headers=bearer(plaintext)
    )
    problem_of(overview, 403, "sealed")
    assert len(refusals()) == 2
