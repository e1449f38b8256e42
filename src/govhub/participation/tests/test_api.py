"""Public API and open-data rows: no personal data, drafts never published."""

from __future__ import annotations

import pytest

from govhub.participation import selectors, services

pytestmark = pytest.mark.django_db


def test_api_lists_public_processes_ideas_and_results(
    client, open_process, make_process, buyer, cleo, nico, make_idea, make_need
):
    draft = make_process(open_it=False, title="Secret draft")
    idea = make_idea(cleo, open_process)
    services.support_add(actor=nico, idea=idea)
    services.idea_answer(actor=buyer, idea=idea, state="accepted", text="Yes, we will.")
    need = make_need(publish=True)
    services.result_create(actor=buyer, idea=idea, summary="Planting", progress=30, need=need)

    processes = client.get("/api/v1/participation/processes").json()
    assert processes["count"] == 1
    assert processes["results"][0]["title"] == open_process.title
    assert client.get(f"/api/v1/participation/processes/{draft.public_id}").status_code == 404

    ideas = client.get(
        "/api/v1/participation/ideas", {"process": str(open_process.public_id), "state": "accepted"}
    ).json()
    assert ideas["count"] == 1
    row = ideas["results"][0]
    assert row["author"] == "Cleo"
    assert row["supports"] == 1
    assert "cleo@example.eu" not in str(ideas)
    assert "Realname" not in str(ideas)

    detail = client.get(f"/api/v1/participation/ideas/{idea.public_id}").json()
    assert detail["answers"][0]["text"] == "Yes, we will."
    assert detail["result"]["need"] == str(need.public_id)

    results = client.get("/api/v1/participation/results", {"limit": 5}).json()
    assert results["count"] == 1
    assert results["results"][0]["progress"] == 30
    assert client.get("/api/v1/participation/ideas", {"limit": 500}).status_code == 422


def test_hidden_idea_text_not_published(client, open_process, moderator, cleo, make_idea):
    idea = make_idea(cleo, open_process, title="Offensive title", body="Offensive body")
    services.content_hide(actor=moderator, idea=idea, reason="Insults")
    row = client.get(f"/api/v1/participation/ideas/{idea.public_id}").json()
    assert row["title"] == ""
    assert row["hidden_reason"] == "Insults"
    tables = selectors.open_data_rows()
    assert "Offensive" not in str(tables)


def test_open_data_rows(open_process, make_process, buyer, cleo, nico, make_idea):
    make_process(open_it=False, title="Secret draft")
    idea = make_idea(cleo, open_process)
    services.idea_answer(actor=buyer, idea=idea, state="accepted", text="Yes")
    services.result_create(actor=buyer, idea=idea, summary="Doing it", progress=5)
    tables = selectors.open_data_rows()
    assert set(tables) == {"processes", "ideas", "answers", "results"}
    assert [p["title"] for p in tables["processes"]] == [open_process.title]
    assert tables["ideas"][0]["state"] == "accepted"
    assert tables["answers"][0]["answer"] == "Yes"
    assert tables["results"][0]["progress"] == 5
    flat = str(tables)
    assert "Cleo" not in flat
    assert "cleo@example.eu" not in flat
