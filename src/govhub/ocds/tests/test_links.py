"""The open-data links partial that challenge pages include."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string

from govhub.challenges.tests.fixtures import first_phase

pytestmark = pytest.mark.django_db


def test_links_of_a_published_challenge(published_challenge, client):
    phases = list(published_challenge.phases.all())
    html = render_to_string(
        "ocds/_open_data_links.html",
        {"challenge": published_challenge, "phases": phases, "outcome": None},
    )
    assert f"/api/v1/ocds/challenges/{published_challenge.public_id}/record" in html
    assert f"/data/eforms/{first_phase(published_challenge).public_id}/contract-notice.xml" in html
    assert "award-notice.xml" not in html
    for phase in phases:
        assert client.get(f"/data/eforms/{phase.public_id}/contract-notice.xml").status_code == 200


def test_no_links_for_a_draft(challenge_draft):
    html = render_to_string(
        "ocds/_open_data_links.html", {"challenge": challenge_draft, "phases": [], "outcome": None}
    )
    assert "ocds" not in html
