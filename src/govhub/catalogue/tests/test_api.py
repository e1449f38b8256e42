"""The catalogue's API: published entries and adoptions, and recording an adoption with a
token (scope adoptions:write), end to end with Django's test client."""

from __future__ import annotations

from typing import Any

import pytest

from govhub.api.models import Scope
from govhub.api.services import api_token_revoke
from govhub.api.tests.fixtures import bearer
from govhub.catalogue.models import Adoption

pytestmark = pytest.mark.django_db


def get(client: Any, url: str, **params: Any) -> dict[str, Any]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    data: dict[str, Any] = response.json()
    return data


def test_only_published_entries_are_listed_and_read(client, published_solution, draft_solution):
    data = get(client, "/api/v1/solutions")
    assert data["count"] == 1
    entry = data["results"][0]
    assert entry["id"] == str(published_solution.public_id)
    assert entry["provider"]["name"] == published_solution.provider.name
    assert "contact_email" not in entry
    assert get(client, f"/api/v1/solutions/{published_solution.public_id}")["name"]
    assert client.get(f"/api/v1/solutions/{draft_solution.public_id}").status_code == 404


def test_entries_are_filtered(client, published_solution):
    solution = published_solution
    assert get(client, "/api/v1/solutions", q=solution.name.split()[0])["count"] == 1
    assert get(client, "/api/v1/solutions", licence=solution.licence or "none")["count"] == (
        1 if solution.licence else 0
    )
    assert (
        get(client, "/api/v1/solutions", open_source=str(not solution.is_open_source).lower())[
            "count"
        ]
        == 0
    )
    other = "saas" if solution.delivery_model != "saas" else "hybrid"
    assert get(client, "/api/v1/solutions", delivery_model=other)["count"] == 0
    assert get(client, "/api/v1/solutions", ai_risk_category="high")["count"] == 0
    assert get(client, "/api/v1/solutions", interoperability_level="full")["count"] == 0
    assert get(client, "/api/v1/solutions", category="justice")["count"] == 0
    assert get(client, "/api/v1/solutions", country="ZZZ")["count"] == 0
    assert get(client, "/api/v1/solutions", ordering="-name")["count"] == 1
    assert client.get("/api/v1/solutions", {"ordering": "provider"}).status_code == 422
    assert client.get("/api/v1/solutions", {"category": "nope"}).status_code == 422


def test_an_authority_token_records_an_adoption(client, published_solution, buyer_token, authority):
    _token, plaintext = buyer_token
    # buyer_token carries the default scopes: give it adoptions:write too.
    _token.scopes = [*_token.scopes, Scope.ADOPTIONS_WRITE]
    _token.save(update_fields=["scopes"])
    response = client.post(
        "/api/v1/adoptions",
        {"solution": str(published_solution.public_id), "scale": "pilot", "users_count": 40},
        content_type="application/json",
        headers=bearer(plaintext),
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["authority"]["id"] == str(authority.public_id)
    assert data["scale"] == "pilot"
    listed = get(client, "/api/v1/adoptions", solution=str(published_solution.public_id))
    assert [a["id"] for a in listed["results"]] == [data["id"]]
    assert get(client, f"/api/v1/adoptions/{data['id']}")["users_count"] == 40
    assert get(client, f"/api/v1/solutions/{published_solution.public_id}")["adoption_count"] == 1
    again = client.post(
        "/api/v1/adoptions",
        {"solution": str(published_solution.public_id)},
        content_type="application/json",
        headers=bearer(plaintext),
    )
    assert again.status_code == 409
    assert again["Content-Type"] == "application/problem+json"
    assert Adoption.objects.count() == 1


def test_a_token_without_the_scope_is_refused(client, published_solution, buyer_token):
    _token, plaintext = buyer_token
    response = client.post(
        "/api/v1/adoptions",
        {"solution": str(published_solution.public_id)},
        content_type="application/json",
        headers=bearer(plaintext),
    )
    assert response.status_code == 403
    assert response.json()["code"] == "insufficient_scope"
    assert not Adoption.objects.exists()


def test_a_company_token_cannot_record_an_adoption(
    client, published_solution, make_token, company, supplier
):
    _token, plaintext = make_token(company, actor=supplier, scopes=[Scope.ADOPTIONS_WRITE])
    response = client.post(
        "/api/v1/adoptions",
        {"solution": str(published_solution.public_id)},
        content_type="application/json",
        headers=bearer(plaintext),
    )
    assert response.status_code == 403
    assert not Adoption.objects.exists()


def test_a_revoked_token_and_no_token_are_401(client, published_solution, buyer_token, buyer):
    token, plaintext = buyer_token
    api_token_revoke(actor=buyer, token=token)
    body = {"solution": str(published_solution.public_id)}
    for headers in (bearer(plaintext), {}):
        response = client.post(
            "/api/v1/adoptions", body, content_type="application/json", headers=headers
        )
        assert response.status_code == 401
    assert not Adoption.objects.exists()


def test_a_draft_entry_cannot_be_adopted(
    client, draft_solution, make_token, authority, buyer_token
):
    token, plaintext = buyer_token
    token.scopes = [Scope.ADOPTIONS_WRITE]
    token.save(update_fields=["scopes"])
    response = client.post(
        "/api/v1/adoptions",
        {"solution": str(draft_solution.public_id)},
        content_type="application/json",
        headers=bearer(plaintext),
    )
    assert response.status_code == 404
    assert not Adoption.objects.exists()
