"""The OpenAPI document and the documentation page."""

from __future__ import annotations

import json
import re

import pytest
from django.test import Client

from govhub.api.api import api

pytestmark = pytest.mark.django_db


def test_the_openapi_document_is_3_1_json(client: Client):
    response = client.get("/api/v1/openapi.json")
    assert response.status_code == 200
    document = json.loads(response.content)
    assert re.fullmatch(r"3\.1\.\d+", document["openapi"])
    assert document["info"]["version"] == "1"


def test_every_route_is_documented(client: Client):
    document = client.get("/api/v1/openapi.json").json()
    documented = {
        (method.upper(), path)
        for path, item in document["paths"].items()
        for method in item
        if method in {"get", "post", "put", "patch", "delete"}
    }
    routes: set[tuple[str, str]] = set()
    for prefix, router in api._routers:
        mount = "/" + prefix.strip("/") if prefix.strip("/") else ""
        for path, view in router.path_operations.items():
            for operation in view.operations:
                if not operation.include_in_schema:
                    continue
                full = "/api/v1" + mount + re.sub(r"{\w+:(\w+)}", r"{\1}", "/" + path.lstrip("/"))
                routes.update((m, full) for m in operation.methods)
    assert routes
    assert routes == documented
    for path, item in document["paths"].items():
        for method, operation in item.items():
            assert operation.get("summary"), f"{method} {path} has no summary"
    assert ("GET", "/api/v1/challenges/{challenge_id}") in documented
    assert ("POST", "/api/v1/phases/{phase_id}/proposal") in documented


def test_authenticated_operations_declare_bearer_security(client: Client):
    document = client.get("/api/v1/openapi.json").json()
    post = document["paths"]["/api/v1/phases/{phase_id}/proposal"]["post"]
    assert post["security"] == [{"TokenAuth": []}]
    assert document["components"]["securitySchemes"]["TokenAuth"]["scheme"] == "bearer"
    assert "security" not in document["paths"]["/api/v1/challenges"]["get"]


def test_the_docs_page_lists_operations_under_the_site_csp(client: Client):
    response = client.get("/api/v1/docs")
    assert response.status_code == 200
    html = response.content.decode()
    assert "Content-Security-Policy" in response
    assert "cdn" not in html.lower()
    assert html.count("<h1") == 1
    assert "/api/v1/challenges/{challenge_id}" in html
    assert 'href="/api/v1/openapi.json"' in html
    assert "<style" not in html
    assert " style=" not in html


def test_the_proposal_operation_documents_its_idempotency_header_and_body(client: Client):
    document = client.get("/api/v1/openapi.json").json()
    post = document["paths"]["/api/v1/phases/{phase_id}/proposal"]["post"]
    headers = [p["name"] for p in post["parameters"] if p["in"] == "header"]
    assert headers == ["Idempotency-Key"]
    body = post["requestBody"]["content"]["application/json"]["schema"]
    schema = document["components"]["schemas"][body["$ref"].rsplit("/", 1)[1]]
    assert {"answers", "declared_price", "submit"} <= set(schema["properties"])
    assert set(post["responses"]) >= {"200", "401", "403", "404", "409", "422", "429"}


def test_matching_operations_are_documented(client: Client):
    document = client.get("/api/v1/openapi.json").json()
    suggest = document["paths"]["/api/v1/matching/cpv-suggestions"]["post"]
    assert "security" not in suggest  # public, like the other public reads
    assert suggest["tags"] == ["matching"]
    assert set(suggest["responses"]) >= {"200", "422", "429"}
    for kind, name in (
        ("needs", "need_id"),
        ("challenges", "challenge_id"),
        ("companies", "company_id"),
    ):
        get = document["paths"][f"/api/v1/matching/{kind}/{{{name}}}/recommendations"]["get"]
        assert get["security"] == [{"TokenAuth": []}]
        assert get["tags"] == ["matching"]
        assert set(get["responses"]) >= {"200", "401", "403", "404", "429"}
