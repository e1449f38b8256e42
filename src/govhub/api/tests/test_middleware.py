"""The API answers in the language of Accept-Language; the pages keep their path's language."""

from __future__ import annotations

import pytest
from django.test import Client

from .test_problems import problem_of

pytestmark = pytest.mark.django_db

UNKNOWN = "/api/v1/organisations/6f1c2a52-0000-4000-8000-000000000000"


def test_api_problems_follow_accept_language(client: Client, reference_data) -> None:
    response = client.get(UNKNOWN, headers={"Accept-Language": "fr-BE,fr;q=0.9,en;q=0.5"})
    assert problem_of(response, 404, "not_found")["detail"] == "Rien n’a été trouvé ici."
    assert response["Content-Language"] == "fr"
    # Caches must not serve one client's language to another.
    assert "Accept-Language" in response["Vary"]
    german = problem_of(client.get(UNKNOWN, headers={"Accept-Language": "de"}), 404, "not_found")
    assert german["detail"] == "Hier wurde nichts gefunden."


def test_api_problems_are_english_without_a_language_govhub_speaks(
    client: Client, reference_data
) -> None:
    for headers in ({}, {"Accept-Language": "ja"}):
        response = client.get(UNKNOWN, headers=headers)
        assert problem_of(response, 404, "not_found")["detail"] == "Nothing found here."
        assert response["Content-Language"] == "en"


def test_pages_keep_the_language_of_their_path(client: Client, reference_data) -> None:
    french_reader = {"Accept-Language": "fr"}
    english = client.get("/", headers=french_reader)
    assert english.status_code == 200
    assert english["Content-Language"] == "en"
    assert '<html lang="en"' in english.content.decode()
    french = client.get("/fr/", headers=french_reader)
    assert french.status_code == 200
    assert french["Content-Language"] == "fr"
