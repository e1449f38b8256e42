from __future__ import annotations

import pytest
from django.urls import reverse


@pytest.fixture
def suggest_cpv():
    return reverse("reference:cpv_suggest")


def test_cpv_suggestions_are_options(client, reference_data):
    response = client.get(reverse("reference:cpv_suggest"), {"q": "hospital beds"})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'role="option"' in html
    assert 'data-code="33192120-9"' in html
    assert "Hospital beds" in html


def test_cpv_suggestions_by_code(client, reference_data):
    html = client.get(reverse("reference:cpv_suggest"), {"q": "4521514"}).content.decode()
    assert 'data-code="45215140-0"' in html
    assert html.count('role="option"') <= 12


def test_empty_query_suggests_nothing(client, reference_data):
    response = client.get(reverse("reference:cpv_suggest"), {"q": ""})
    assert response.status_code == 200
    assert "option" not in response.content.decode()
    response = client.get(reverse("reference:nuts_suggest"))
    assert "option" not in response.content.decode()


def test_reference_data_is_public_to_outsiders(client, outsider, reference_data):
    client.force_login(outsider)
    html = client.get(reverse("reference:nuts_suggest"), {"q": "paris"}).content.decode()
    assert 'data-code="FR101"' in html


def test_nuts_suggestions_in_the_page_language(client, reference_data):
    html = client.get("/fr/reference/nuts/suggest/", {"q": "allemagne"}).content.decode()
    assert 'data-code="DE"' in html
    assert "Allemagne" in html


def test_nuts_suggestions_filtered_by_country(client, reference_data):
    url = reverse("reference:nuts_suggest")
    html = client.get(url, {"q": "lisboa", "country": "ES"}).content.decode()
    assert "option" not in html
    html = client.get(url, {"q": "lisboa", "country": "PT"}).content.decode()
    assert 'data-code="PT1A0"' in html


def test_suggestions_escape_the_query(client, reference_data):
    response = client.get(reverse("reference:cpv_suggest"), {"q": "<script>alert(1)</script>"})
    assert response.status_code == 200
    assert "<script>" not in response.content.decode()


def test_suggestions_refuse_post(client, reference_data):
    assert client.post(reverse("reference:cpv_suggest"), {"q": "45"}).status_code == 405


def test_suggestions_take_few_queries(client, reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(3):
        client.get(reverse("reference:cpv_suggest"), {"q": "construction"})
