"""The open-data links that challenge pages include (``ocds/_open_data_links.html``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.template.loader import render_to_string
from django.utils import timezone

from govhub.challenges.tests.fixtures import first_phase
from govhub.evaluation.models import Outcome, OutcomeKind

pytestmark = pytest.mark.django_db


def render(challenge):
    phases = list(challenge.phases.all())
    return render_to_string(
        "ocds/_open_data_links.html", {"challenge": challenge, "phases": phases}
    )


def test_links_of_a_published_challenge(published_challenge, client):
    html = render(published_challenge)
    assert f"/api/v1/ocds/challenges/{published_challenge.public_id}/record" in html
    assert f"/data/eforms/{first_phase(published_challenge).public_id}/contract-notice.xml" in html
    assert "award-notice.xml" not in html
    for phase in published_challenge.phases.all():
        assert client.get(f"/data/eforms/{phase.public_id}/contract-notice.xml").status_code == 200


def test_award_notice_link_once_the_outcome_is_published(evaluation_world, client):
    now = timezone.now()
    Outcome.objects.create(
        challenge=evaluation_world.challenge,
        kind=OutcomeKind.NOT_AWARDED,
        value=Decimal("1"),
        reasons="None suitable.",
        published_at=now,
        becomes_final_at=now + dt.timedelta(days=1),
    )
    html = render(evaluation_world.challenge)
    url = f"/data/eforms/{evaluation_world.challenge.public_id}/award-notice.xml"
    assert url in html
    assert client.get(url).status_code == 200


def test_no_links_for_a_draft(challenge_draft):
    assert "ocds" not in render(challenge_draft)
