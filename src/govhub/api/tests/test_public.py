"""Public read-only endpoints, end to end with Django's test client on the real database."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from govhub.challenges import services as challenge_services
from govhub.challenges.models import Clarification
from govhub.challenges.tests.fixtures import first_phase
from govhub.evaluation import services as evaluation_services
from govhub.evaluation.models import OutcomeKind
from govhub.organisations.models import OrganisationKind

pytestmark = pytest.mark.django_db


def get(client: Client, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    assert response["Content-Type"].startswith("application/json")
    data: dict[str, Any] = response.json()
    return data


# --- Organisations -------------------------------------------------------------------------


def test_organisations_are_listed_with_count_and_filters(client, authority, company):
    data = get(client, "/api/v1/organisations")
    assert data["count"] == 2
    assert data["next"] is None
    assert data["previous"] is None
    assert [o["name"] for o in data["results"]] == [
        "Brussels Digital Agency",
        "CivicTech Solutions",
    ]
    first = data["results"][0]
    assert first["id"] == str(authority.public_id)
    assert "pk" not in first
    assert "email" not in first

    only = get(client, "/api/v1/organisations", kind="company")
    assert [o["id"] for o in only["results"]] == [str(company.public_id)]
    assert get(client, "/api/v1/organisations", status="verified")["count"] == 1
    assert get(client, "/api/v1/organisations", country="bel")["count"] == 2
    assert get(client, "/api/v1/organisations", country="FRA")["count"] == 0
    assert get(client, "/api/v1/organisations", q="civictech")["count"] == 1


def test_pagination_links_and_ordering(client, make_organisation):
    for n in range(5):
        make_organisation(OrganisationKind.COMPANY, name=f"Company {n}")
    page = get(client, "/api/v1/organisations", limit=2, offset=0, ordering="-name")
    assert page["count"] == 5
    assert [o["name"] for o in page["results"]] == ["Company 4", "Company 3"]
    assert page["previous"] is None
    assert page["next"].startswith("http://testserver/api/v1/organisations?")
    second = client.get(page["next"]).json()
    assert [o["name"] for o in second["results"]] == ["Company 2", "Company 1"]
    assert "ordering=-name" in second["previous"]
    last = get(client, "/api/v1/organisations", limit=2, offset=4, ordering="-name")
    assert [o["name"] for o in last["results"]] == ["Company 0"]
    assert last["next"] is None


def test_organisation_list_queries_do_not_grow(
    client, make_organisation, django_assert_max_num_queries
):
    make_organisation(OrganisationKind.COMPANY)
    # The rate-limit counter (database cache) takes a few of these; the list takes two.
    with django_assert_max_num_queries(8) as few:
        get(client, "/api/v1/organisations")
    for _n in range(6):
        make_organisation(OrganisationKind.COMPANY)
        make_organisation(OrganisationKind.AUTHORITY)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get(client, "/api/v1/organisations")["count"] == 13


def test_organisation_detail_by_public_id(client, company):
    data = get(client, f"/api/v1/organisations/{company.public_id}")
    assert data["name"] == "CivicTech Solutions"
    assert data["country"] == "BEL"
    assert data["size"] == "small"
    assert client.get(f"/api/v1/organisations/{company.pk}").status_code == 404


# --- Needs ---------------------------------------------------------------------------------


def test_only_published_needs_are_listed(client, published_need, draft_need):
    data = get(client, "/api/v1/needs")
    assert [n["id"] for n in data["results"]] == [str(published_need.public_id)]
    need = data["results"][0]
    assert need["cpv_codes"] == ["34970000-7", "72212000-4"]
    assert need["authority"]["name"] == "Brussels Digital Agency"
    assert need["budget_max"] == "250000.00"
    assert get(client, "/api/v1/needs", cpv="72")["count"] == 1
    assert get(client, "/api/v1/needs", cpv="90")["count"] == 0
    assert get(client, "/api/v1/needs", country="BEL", q="parking")["count"] == 1
    assert client.get(f"/api/v1/needs/{draft_need.public_id}").status_code == 404
    assert get(client, f"/api/v1/needs/{published_need.public_id}")["title"]


def test_need_list_queries_do_not_grow(client, make_need, django_assert_max_num_queries):
    make_need(publish=True)
    with django_assert_max_num_queries(9) as few:
        get(client, "/api/v1/needs")
    for n in range(5):
        make_need(title=f"Need {n}", cpv_codes=["72212000", "90511000"], publish=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get(client, "/api/v1/needs", ordering="title")["count"] == 6


# --- Challenges ----------------------------------------------------------------------------


def test_drafts_are_never_listed_nor_found(client, challenge_draft, published_challenge):
    data = get(client, "/api/v1/challenges")
    assert [c["id"] for c in data["results"]] == [str(published_challenge.public_id)]
    assert data["results"][0]["open_now"] is True
    assert get(client, "/api/v1/challenges", status="completed")["count"] == 0
    assert get(client, "/api/v1/challenges", open_now="true", cpv="72")["count"] == 1
    assert get(client, "/api/v1/challenges", country="FRA")["count"] == 0
    assert client.get(f"/api/v1/challenges/{challenge_draft.public_id}").status_code == 404
    problem = client.get("/api/v1/challenges", {"status": "draft"})
    assert problem.status_code == 200  # a valid status, but drafts are never public
    assert problem.json()["count"] == 0


def test_challenge_detail_shows_phases_criteria_and_answers_without_the_asker(
    client, published_challenge, company, supplier, buyer
):
    phase = first_phase(published_challenge)
    asked = challenge_services.clarification_ask(
        actor=supplier, phase=phase, organisation=company, question="May we use LoRaWAN?"
    )
    challenge_services.clarification_ask(
        actor=supplier, phase=phase, organisation=company, question="Unanswered question?"
    )
    challenge_services.clarification_answer(actor=buyer, clarification=asked, answer="Yes.")
    data = get(client, f"/api/v1/challenges/{published_challenge.public_id}")
    assert data["lead_authority"]["name"] == "Brussels Digital Agency"
    assert [p["order"] for p in data["phases"]] == sorted(p["order"] for p in data["phases"])
    first = data["phases"][0]
    assert first["id"] == str(phase.public_id)
    assert sum(c["weight"] for c in first["criteria"]) == 100
    assert first["clarifications"] == [
        {
            "id": str(Clarification.objects.get(pk=asked.pk).public_id),
            "question": "May we use LoRaWAN?",
            "answer": "Yes.",
            "answered_at": first["clarifications"][0]["answered_at"],
        }
    ]
    body = str(data)
    assert "CivicTech" not in body
    assert supplier.email not in body
    assert data["outcome"] is None


def test_challenge_list_queries_do_not_grow(client, make_challenge, django_assert_max_num_queries):
    make_challenge(publish=True)
    with django_assert_max_num_queries(10) as few:
        get(client, "/api/v1/challenges")
    for n in range(4):
        make_challenge(title=f"Challenge {n}", open_first=True)
    with django_assert_max_num_queries(len(few.captured_queries)):
        assert get(client, "/api/v1/challenges", ordering="-title")["count"] == 5


# --- Reference vocabularies ----------------------------------------------------------------


def test_cpv_codes_by_prefix_and_words(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(8):
        data = get(client, "/api/v1/reference/cpv", prefix="7221", limit=100)
    assert data["count"] >= 2
    assert all(c["code"].startswith("7221") for c in data["results"])
    words = get(client, "/api/v1/reference/cpv", q="software")
    assert words["count"] > 0
    assert {"code", "label", "level", "parent"} <= set(words["results"][0])


def test_nuts_regions_by_country_and_words(client, reference_data):
    data = get(client, "/api/v1/reference/nuts", country="BEL", q="bruxelles")
    codes = [r["code"] for r in data["results"]]
    assert "BE100" in codes
    assert all(code.startswith("BE") for code in codes)
    greek = get(client, "/api/v1/reference/nuts", country="GR", limit=1)
    assert greek["results"][0]["country_code"] == "EL"


def test_a_completed_challenge_shows_its_published_outcome(client, shortlisted_world, buyer):
    challenge = shortlisted_world.challenge
    assert get(client, f"/api/v1/challenges/{challenge.public_id}")["outcome"] is None
    evaluation_services.outcome_publish(
        actor=buyer,
        challenge=challenge,
        kind=OutcomeKind.NOT_AWARDED,
        reasons="No solution met the accessibility requirements.",
    )
    listed = get(client, "/api/v1/challenges", status="completed")
    assert [c["id"] for c in listed["results"]] == [str(challenge.public_id)]
    data = get(client, f"/api/v1/challenges/{challenge.public_id}")
    assert data["status"] == "completed"
    assert data["outcome"]["kind"] == "not_awarded"
    assert data["outcome"]["reasons"] == "No solution met the accessibility requirements."
    assert data["outcome"]["awarded"] == []
    # Nothing of the evaluation: no company, score or result reason.
    body = str(data)
    for proposal in shortlisted_world.proposals.values():
        assert proposal.company.name not in body
    assert "Best value for residents" not in body
    assert "Weaker on impact" not in body
