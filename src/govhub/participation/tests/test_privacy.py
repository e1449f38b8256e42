"""GDPR: participation's part of the export, and erasure that keeps threads intact."""

from __future__ import annotations

import pytest

from govhub.accounts import privacy
from govhub.participation import selectors, services
from govhub.participation.models import Comment, Idea, ParticipantProfile, Support

pytestmark = pytest.mark.django_db


def test_participation_is_registered():
    assert "participation" in [part.name for part in privacy.registered()]


def test_export_holds_ideas_comments_supports_and_pseudonym(open_process, cleo, nico, make_idea):
    idea = make_idea(cleo, open_process)
    services.comment_post(actor=cleo, idea=idea, body="My own note")
    other = make_idea(nico, open_process, title="Bus", body="More buses")
    services.support_add(actor=cleo, idea=other)
    data = privacy.personal_data_export(actor=cleo, user=cleo)["parts"]["participation"]
    assert data["profile"]["pseudonym"] == "Cleo"
    assert [i["title"] for i in data["ideas"]] == [idea.title]
    assert [c["body"] for c in data["comments"]] == ["My own note"]
    assert [s["idea"] for s in data["supports"]] == ["Bus"]


def test_erasure_keeps_content_anonymised(open_process, cleo, nico, make_idea, client):
    idea = make_idea(cleo, open_process)
    comment = services.comment_post(actor=nico, idea=idea, body="Which trees?")
    reply = services.comment_post(actor=cleo, idea=idea, body="Plane trees", parent=comment)
    other = make_idea(nico, open_process, title="Bus", body="More buses")
    services.support_add(actor=cleo, idea=other)
    privacy.personal_data_erase(actor=cleo, user=cleo, reason="Asked by the person")
    idea.refresh_from_db()
    reply.refresh_from_db()
    assert idea.author is None
    assert idea.title == "More trees on the main square"
    assert reply.author is None
    assert reply.parent == comment  # thread intact
    assert Support.objects.filter(idea=other).count() == 1  # still counts
    assert not ParticipantProfile.objects.filter(user=cleo).exists()
    assert Idea.objects.count() == 2
    assert Comment.objects.count() == 2
    assert selectors.author_label(idea.author) == "Deleted participant"
    page = client.get(f"/participation/ideas/{idea.public_id}/").content.decode()
    assert "Deleted participant" in page
    assert "Plane trees" in page
