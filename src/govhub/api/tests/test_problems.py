"""Every error kind answers in one format: RFC 9457 problem details."""

from __future__ import annotations

from typing import Any

import pytest
from django.test import Client

from govhub.api import public

from .fixtures import bearer

pytestmark = pytest.mark.django_db

FIELDS = {"type", "title", "status", "detail", "instance", "code"}


def problem_of(response: Any, status: int, code: str) -> dict[str, Any]:
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    data: dict[str, Any] = response.json()
    assert set(data) >= FIELDS
    assert data["status"] == status
    assert data["code"] == code
    assert data["type"] == f"urn:govhub:problem:{code}"
    return data


def test_unknown_object_and_unknown_path_are_404(client: Client, reference_data):
    data = problem_of(
        client.get("/api/v1/organisations/6f1c2a52-0000-4000-8000-000000000000"), 404, "not_found"
    )
    assert data["title"] == "Not Found"
    assert data["instance"] == "/api/v1/organisations/6f1c2a52-0000-4000-8000-000000000000"
    problem_of(client.get("/api/v1/no-such-thing"), 404, "not_found")
    problem_of(client.get("/api/v1/organisations/42"), 404, "not_found")


def test_an_unknown_method_is_405(client: Client, reference_data):
    response = client.put("/api/v1/organisations")
    data = problem_of(response, 405, "method_not_allowed")
    assert response["Allow"] == "GET"
    assert "PUT" in data["detail"]


def test_invalid_parameters_are_422_with_errors_per_field(client: Client, reference_data):
    data = problem_of(
        client.get("/api/v1/organisations", {"limit": "101", "offset": "-1", "kind": "pirate"}),
        422,
        "validation_error",
    )
    assert set(data["errors"]) == {"limit", "offset", "kind"}
    assert all(isinstance(m, str) for ms in data["errors"].values() for m in ms)


def test_an_unknown_sort_field_is_422(client: Client, reference_data):
    data = problem_of(
        client.get("/api/v1/organisations", {"ordering": "-email"}), 422, "validation_error"
    )
    assert "ordering" in data["errors"]


def test_missing_and_unknown_tokens_are_401(client: Client, reference_data):
    response = client.post("/api/v1/needs", {}, content_type="application/json")
    problem_of(response, 401, "not_authenticated")
    assert response["WWW-Authenticate"].startswith("Bearer")
    problem_of(
        client.post(
            "/api/v1/needs", {}, content_type="application/json", headers=bearer("ghb_not-a-token")
        ),
        401,
        "not_authenticated",
    )


def test_a_token_without_the_scope_is_403(client: Client, make_token, company, supplier):
    _token, plaintext = make_token(company, actor=supplier, scopes=["read"])
    data = problem_of(
        client.post(
            "/api/v1/needs",
            {"title": "x"},
            content_type="application/json",
            headers=bearer(plaintext),
        ),
        403,
        "insufficient_scope",
    )
    assert "needs:write" in data["detail"]


def test_a_domain_error_keeps_its_status_and_code(client: Client, company_token, open_phase):
    _token, plaintext = company_token
    # An answer keyed by a criterion that is not in the phase: the service refuses it.
    response = client.post(
        f"/api/v1/phases/{open_phase.public_id}/proposal",
        {"answers": {"6f1c2a52-0000-4000-8000-000000000000": "x"}},
        content_type="application/json",
        headers=bearer(plaintext),
    )
    problem_of(response, 422, "invalid_input")


def test_an_unexpected_error_is_500_without_a_traceback(
    client: Client, reference_data, monkeypatch
):
    def broken(**kwargs: Any) -> None:
        raise RuntimeError("secret internals")

    monkeypatch.setattr(public.org_selectors, "organisations_filtered", broken)
    data = problem_of(client.get("/api/v1/organisations"), 500, "server_error")
    assert "secret internals" not in str(data)
    assert "Traceback" not in str(data)


def test_too_many_requests_are_429_with_retry_after(client: Client, reference_data, settings):
    settings.GOVHUB_API_RATE_ANON = "3/m"
    for _n in range(3):
        assert client.get("/api/v1/reference/nuts").status_code == 200
    response = client.get("/api/v1/reference/nuts")
    problem_of(response, 429, "rate_limited")
    assert 1 <= int(response["Retry-After"]) <= 61
    # Another address has its own counter.
    assert client.get("/api/v1/reference/nuts", REMOTE_ADDR="192.0.2.9").status_code == 200


def test_tokens_have_their_own_rate_limit(client: Client, company_token, settings):
    settings.GOVHUB_API_RATE_TOKEN = "2/h"
    settings.GOVHUB_API_RATE_ANON = "100/m"
    _token, plaintext = company_token
    url = "/api/v1/phases/6f1c2a52-0000-4000-8000-000000000000/proposal"
    for _n in range(2):
        assert client.get(url, headers=bearer(plaintext)).status_code == 404
    response = client.get(url, headers=bearer(plaintext))
    problem_of(response, 429, "rate_limited")
    assert int(response["Retry-After"]) <= 3601
    # The same address without the token is counted apart.
    assert client.get("/api/v1/reference/nuts").status_code == 200


def test_guessing_tokens_is_rate_limited_per_address(client: Client, reference_data, settings):
    settings.GOVHUB_API_RATE_ANON = "2/m"
    url = "/api/v1/phases/6f1c2a52-0000-4000-8000-000000000000/proposal"
    for n in range(2):
        response = client.get(url, headers=bearer(f"ghb_guess-{n}"))
        problem_of(response, 401, "not_authenticated")
    response = client.get(url, headers=bearer("ghb_guess-3"))
    problem_of(response, 429, "rate_limited")
    assert int(response["Retry-After"]) >= 1
