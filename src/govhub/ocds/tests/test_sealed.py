"""Sealed proposals before the deadline: nothing of them in any OCDS or eForms output."""

from __future__ import annotations

import json
from decimal import Decimal

import pytest
from django.urls import reverse

from govhub.ocds.publication import build_bulk_files

pytestmark = pytest.mark.django_db


def test_no_tenderer_anywhere_before_the_deadline(
    client, settings, tmp_path, make_proposal, open_phase, company
):
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    proposal = make_proposal(open_phase, price=Decimal("12345.67"), text="Secret sauce answer")
    proposal.refresh_from_db()
    challenge = open_phase.challenge
    bodies = [
        client.get(f"/api/v1/ocds/challenges/{challenge.public_id}/releases").content,
        client.get(f"/api/v1/ocds/challenges/{challenge.public_id}/record").content,
        client.get("/api/v1/ocds/releases").content,
        client.get("/api/v1/ocds/records").content,
        client.get(reverse("eforms:contract-notice", args=[open_phase.public_id])).content,
    ]
    build_bulk_files()
    for name in ("releases.json", "records.json"):
        bodies.append((tmp_path / "opendata" / "ocds" / name).read_bytes())
    assert all(bodies)
    text = b"\n".join(bodies).decode()
    assert challenge.title in text  # the outputs are about this challenge…
    for secret in (
        company.name,
        str(company.public_id),
        str(proposal.public_id),
        "Secret sauce answer",
        "12345.67",
        "12345",
    ):
        assert secret not in text  # …but say nothing of its sealed proposal
    assert "tenderers" not in json.loads(bodies[0])["releases"][0]["tender"]
