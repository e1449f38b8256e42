"""The administrators' API tokens page."""

from __future__ import annotations

import pytest
from django.test import Client

from govhub.api.models import ApiToken
from govhub.core.models import AuditEvent

pytestmark = pytest.mark.django_db


def url(org) -> str:
    return f"/organisations/{org.public_id}/api-tokens/"


def test_an_admin_creates_a_token_and_sees_its_secret_once(client: Client, company, supplier):
    client.force_login(supplier)
    page = client.get(url(company))
    assert page.status_code == 200
    assert page.content.decode().count("<h1") == 1
    response = client.post(url(company), {"name": "ERP", "scopes": ["read", "proposals:write"]})
    assert response.status_code == 200
    assert "no-store" in response["Cache-Control"]
    token = ApiToken.objects.get()
    html = response.content.decode()
    secret = html.split('id="new-token">')[1].split("<")[0]
    assert secret.startswith(token.prefix)
    assert token.token_hash != secret
    again = client.get(url(company)).content.decode()
    assert secret not in again
    assert token.prefix in again


def test_a_form_error_keeps_what_was_typed_and_creates_nothing(client, company, supplier):
    client.force_login(supplier)
    response = client.post(url(company), {"name": "ERP"})
    html = response.content.decode()
    assert response.status_code == 200
    assert "govuk-error-summary" in html
    assert 'value="ERP"' in html
    assert not ApiToken.objects.exists()


def test_an_admin_revokes_a_token(client, company, supplier, company_token):
    token, _plaintext = company_token
    client.force_login(supplier)
    response = client.post(f"{url(company)}{token.public_id}/revoke/")
    assert response.status_code == 302
    token.refresh_from_db()
    assert token.revoked_at is not None
    assert AuditEvent.objects.filter(action="api_token.revoke").count() == 1


def test_others_are_refused(client, company, outsider, company_token):
    token, _plaintext = company_token
    assert client.get(url(company)).status_code == 302  # to sign in
    client.force_login(outsider)
    assert client.get(url(company)).status_code == 403
    assert client.post(url(company), {"name": "x", "scopes": ["read"]}).status_code == 403
    assert client.post(f"{url(company)}{token.public_id}/revoke/").status_code == 403
    token.refresh_from_db()
    assert token.revoked_at is None
    assert ApiToken.objects.count() == 1
