"""Clarifications, published outcomes and the TED opportunities and awards, end to end."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from django.utils import timezone

from govhub.api.models import Scope
from govhub.api.tests.fixtures import bearer
from govhub.challenges import services as challenge_services
from govhub.challenges.tests.fixtures import first_phase
from govhub.evaluation import services as evaluation_services
from govhub.evaluation.models import OutcomeKind
from govhub.opportunities.models import ExternalAward, ExternalAwardWinner, ExternalNotice
from govhub.proposals.models import Proposal
from govhub.reference.models import CpvCode

pytestmark = pytest.mark.django_db


def get(client: Any, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def test_only_answered_clarifications_of_public_challenges_are_listed(
    client, published_challenge, challenge_draft, company, supplier, buyer
):
    phase = first_phase(published_challenge)
    asked = challenge_services.clarification_ask(
        actor=supplier, phase=phase, organisation=company, question="May we use LoRaWAN?"
    )
    challenge_services.clarification_ask(
        actor=supplier, phase=phase, organisation=company, question="Still open?"
    )
    challenge_services.clarification_answer(actor=buyer, clarification=asked, answer="Yes.")
    data = get(client, "/api/v1/clarifications")
    assert data["count"] == 1
    item = data["results"][0]
    assert item["question"] == "May we use LoRaWAN?"
    assert item["challenge"] == str(published_challenge.public_id)
    assert company.name not in str(data)
    assert supplier.email not in str(data)
    assert get(client, "/api/v1/clarifications", q="lorawan")["count"] == 1
    assert (
        get(client, "/api/v1/clarifications", challenge=str(challenge_draft.public_id))["count"]
        == 0
    )
    assert get(client, f"/api/v1/clarifications/{item['id']}")["answer"] == "Yes."
    assert client.get("/api/v1/clarifications", {"ordering": "asked_by"}).status_code == 422


def test_published_outcomes_are_listed_with_their_challenge(client, shortlisted_world, buyer):
    challenge = shortlisted_world.challenge
    assert get(client, "/api/v1/outcomes")["count"] == 0
    evaluation_services.outcome_publish(
        actor=buyer, challenge=challenge, kind=OutcomeKind.NOT_AWARDED, reasons="None fitted."
    )
    data = get(client, "/api/v1/outcomes", kind="not_awarded")
    assert data["count"] == 1
    outcome = data["results"][0]
    assert outcome["challenge"]["id"] == str(challenge.public_id)
    assert outcome["reasons"] == "None fitted."
    assert get(client, "/api/v1/outcomes", kind="awarded")["count"] == 0
    assert get(client, f"/api/v1/outcomes/{outcome['id']}")["kind"] == "not_awarded"


@pytest.fixture
def ted(reference_data: Any, company: Any) -> ExternalNotice:
    cpv = CpvCode.objects.filter(digits__startswith="72").first()
    notice = ExternalNotice.objects.create(
        oj_number="2026/S 001-000001",
        file_name="000001-2026.xml",
        form="F03",
        title="Parking software",
        titles={"en": "Parking software"},
        cpv_main=cpv,
        country_code="BE",
        nuts_codes=["BE100"],
        publication_date=dt.date(2026, 10, 1),
        tender_deadline=timezone.now() + dt.timedelta(days=10),
        content_hash="0" * 64,
    )
    ExternalNotice.objects.create(
        oj_number="2026/S 001-000002",
        file_name="000002-2026.xml",
        form="F14",
        title="Corrigendum",
        content_hash="1" * 64,
    )
    award = ExternalAward.objects.create(
        notice=notice, lot_number="1", value=Decimal("90000.00"), currency="EUR"
    )
    ExternalAwardWinner.objects.create(
        award=award, organisation=company, name=company.name, country_code="BE", is_sme=True
    )
    return notice


def test_ted_opportunities_are_listed_and_filtered(client, ted):
    data = get(client, "/api/v1/opportunities")
    assert [n["oj_number"] for n in data["results"]] == ["2026/S 001-000001"]  # no corrigenda
    assert get(client, "/api/v1/opportunities", cpv="72")["count"] == 1
    assert get(client, "/api/v1/opportunities", cpv="03")["count"] == 0
    assert get(client, "/api/v1/opportunities", country="BEL")["count"] == 1
    assert get(client, "/api/v1/opportunities", country="be")["count"] == 1
    assert get(client, "/api/v1/opportunities", country="FRA")["count"] == 0
    assert get(client, "/api/v1/opportunities", nuts="BE1")["count"] == 1
    assert get(client, "/api/v1/opportunities", nuts="BE2")["count"] == 0
    assert get(client, "/api/v1/opportunities", open_now="true")["count"] == 1
    detail = get(client, f"/api/v1/opportunities/{ted.public_id}")
    assert detail["awards"][0]["winners"][0]["is_sme"] is True


def test_ted_awards_are_listed_with_their_winners(client, ted, company):
    data = get(client, "/api/v1/awards", winner_country="BEL")
    assert data["count"] == 1
    award = data["results"][0]
    assert award["notice"]["oj_number"] == "2026/S 001-000001"
    assert award["winners"][0]["organisation"] == str(company.public_id)
    assert get(client, "/api/v1/awards", awarded="false")["count"] == 0
    assert get(client, f"/api/v1/awards/{award['id']}")["value"] == "90000.00"
    assert client.get(f"/api/v1/awards/{ted.public_id}").status_code == 404


def test_list_queries_do_not_grow(client, ted, django_assert_max_num_queries):
    with django_assert_max_num_queries(12) as few:
        get(client, "/api/v1/opportunities")
    for n in range(4):
        ExternalNotice.objects.create(
            oj_number=f"2026/S 002-00000{n}",
            file_name=f"{n}.xml",
            form="F02",
            content_hash=str(n) * 64,
        )
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get(client, "/api/v1/opportunities")["count"] == 5


def test_a_token_without_the_write_scope_cannot_draft_a_proposal(
    client, make_token, company, supplier, open_phase
):
    _token, plaintext = make_token(company, actor=supplier, scopes=[Scope.READ])
    response = client.post(
        f"/api/v1/phases/{open_phase.public_id}/proposal",
        {"title": "Ours"},
        content_type="application/json",
        headers=bearer(plaintext),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert not Proposal.objects.exists()


def test_nul_characters_are_refused_before_any_query(client, company_token):
    response = client.get("/api/v1/organisations", {"q": "a\x00b"})
    assert response.status_code == 422
    assert response["Content-Type"] == "application/problem+json"
    assert set(response.json()["errors"]) == {"q"}
    _token, plaintext = company_token
    body = client.post(
        "/api/v1/needs",
        '{"title": "x\\u0000y"}',
        content_type="application/json",
        headers=bearer(plaintext),
    )
    assert body.status_code == 422
