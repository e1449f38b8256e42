from __future__ import annotations

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_htmx_filter_returns_only_the_results(client, company, authority):
    url = reverse("organisations:list")
    response = client.get(url, {"kind": "company"}, headers={"HX-Request": "true"})
    body = response.content.decode()
    assert response.status_code == 200
    assert "<html" not in body
    assert company.name in body
    assert authority.name not in body
    assert 'role="status"' in body


def test_plain_request_gets_the_whole_page_with_htmx_wiring(client, company):
    body = client.get(reverse("organisations:list")).content.decode()
    assert "<html" in body
    assert 'hx-target="#organisation-results"' in body
    assert 'id="organisation-results"' in body
