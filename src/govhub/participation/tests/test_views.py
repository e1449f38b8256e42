"""Participation pages: rights per persona, refusals shown on the form with input kept."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govhub.participation import services
from govhub.participation.models import Comment, Idea, IdeaState, ProcessStatus, Support

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"participation:{name}", args=args)


def text(response) -> str:
    return response.content.decode()


def test_public_pages_for_anonymous(client, open_process, cleo, make_idea):
    idea = make_idea(cleo, open_process)
    for path in (
        url("list"),
        url("detail", open_process.public_id),
        url("results", open_process.public_id),
        url("idea", idea.public_id),
    ):
        response = client.get(path)
        assert response.status_code == 200, path
    page = text(client.get(url("detail", open_process.public_id)))
    assert "We answer every idea within a month" in page  # the strategy before contributing
    assert "Cleo" in page
    assert "Cleo Realname" not in page


def test_draft_is_hidden_from_others(client, make_process, cleo, buyer):
    draft = make_process(open_it=False)
    client.force_login(cleo)
    assert client.get(url("detail", draft.public_id)).status_code == 404
    client.force_login(buyer)
    assert client.get(url("detail", draft.public_id)).status_code == 200


def test_list_query_count(
    client, open_process, make_process, cleo, make_idea, django_assert_max_num_queries
):
    make_process(title="Second")
    make_idea(cleo, open_process)
    with django_assert_max_num_queries(15):
        assert client.get(url("list")).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(url("detail", open_process.public_id)).status_code == 200
    with django_assert_max_num_queries(20):
        assert client.get(url("results", open_process.public_id)).status_code == 200


def test_create_process_page(client, buyer, outsider, reference_data):
    client.force_login(outsider)
    assert client.get(url("create")).status_code == 403
    client.force_login(buyer)
    response = client.post(
        url("create"),
        {
            "title": "Kept title",
            "scope": "s",
            "goals": "g",
            "commitment": "c",
            "eligibility": "everyone",
        },
    )
    assert response.status_code == 200
    assert "Kept title" in text(response)
    assert "Give the dates of the ideas phase" in text(response)
    response = client.post(
        url("create"),
        {
            "title": "Parks",
            "scope": "Parks",
            "goals": "Better parks",
            "commitment": "Answer all",
            "eligibility": "everyone",
            "ideas_starts_on": "2026-01-01",
            "ideas_ends_on": "2030-01-01",
        },
    )
    assert response.status_code == 302


def test_submit_idea_keeps_input_on_refusal(client, open_process, cleo, make_idea):
    make_idea(cleo, open_process)
    client.force_login(cleo)
    response = client.post(
        url("idea_create", open_process.public_id),
        {"title": "More trees on the main square", "body": "Shade in summer."},
    )
    assert response.status_code == 200
    page = text(response)
    assert "You already posted this idea" in page
    assert "More trees on the main square" in page
    assert Idea.objects.count() == 1


def test_submit_idea_with_attachment_and_download(client, open_process, cleo):
    client.force_login(cleo)
    response = client.post(
        url("idea_create", open_process.public_id),
        {
            "title": "Bike lanes",
            "body": "On <b>every</b> avenue",
            "attachments": SimpleUploadedFile("plan.pdf", b"%PDF-1.4 test"),
        },
    )
    assert response.status_code == 302
    idea = Idea.objects.get()
    assert idea.body == "On every avenue"
    attachment = idea.attachments.get()
    client.logout()
    download = client.get(url("attachment", attachment.public_id))
    assert download.status_code == 200
    assert download["Content-Type"] == "application/pdf"


def test_similar_endpoint(client, open_process, cleo, make_idea):
    make_idea(cleo, open_process)
    response = client.get(url("idea_similar", open_process.public_id), {"title": "trees square"})
    assert "More trees on the main square" in text(response)
    assert (
        text(client.get(url("idea_similar", open_process.public_id), {"title": ""})).strip() == ""
    )


def test_comment_support_report_flow(client, open_process, cleo, nico, make_idea):
    idea = make_idea(cleo, open_process)
    client.force_login(nico)
    assert client.post(url("comment", idea.public_id), {"body": "Good idea"}).status_code == 302
    response = client.post(url("comment", idea.public_id), {"body": ""})
    assert response.status_code == 200
    assert "Enter your comment" in text(response)
    assert client.post(url("idea_support", idea.public_id)).status_code == 302
    assert Support.objects.filter(user=nico).exists()
    client.post(url("idea_support", idea.public_id), {"action": "withdraw"})
    assert not Support.objects.filter(user=nico).exists()
    client.force_login(cleo)
    comment = Comment.objects.get()
    response = client.post(
        url("report", idea.public_id), {"reason": "Rude", "comment": str(comment.public_id)}
    )
    assert response.status_code == 302
    # After a reaction by someone else, the author can no longer edit.
    assert client.get(url("idea_edit", idea.public_id)).status_code == 302


def test_moderation_pages(client, open_process, cleo, nico, moderator, make_idea):
    idea = make_idea(cleo, open_process)
    comment = services.comment_post(actor=nico, idea=idea, body="Nasty")
    services.report_create(actor=cleo, idea=idea, comment=comment, reason="Rude")
    client.force_login(nico)
    assert client.get(url("hide", idea.public_id)).status_code == 403
    client.force_login(moderator)
    assert "Rude" in text(client.get(url("moderation")))
    response = client.post(
        url("hide", idea.public_id), {"comment": str(comment.public_id), "reason": "Insults"}
    )
    assert response.status_code == 302
    page = text(client.get(url("idea", idea.public_id)))
    assert "This comment was hidden by a moderator: Insults" in page
    assert "Nasty" not in page


def test_answer_merge_result_pages(client, open_process, buyer, cleo, nico, make_idea, make_need):
    idea = make_idea(cleo, open_process)
    dup = make_idea(nico, open_process, title="Trees on the square please", body="Shade")
    client.force_login(cleo)
    assert client.get(url("answer", idea.public_id)).status_code == 403
    client.force_login(buyer)
    response = client.post(
        url("merge", dup.public_id), {"target": str(idea.public_id), "reason": "Same"}
    )
    assert response.status_code == 302
    response = client.post(url("answer", idea.public_id), {"state": "accepted", "text": ""})
    assert "Write the answer" in text(response)
    client.post(url("answer", idea.public_id), {"state": "accepted", "text": "We plant 40 trees."})
    idea.refresh_from_db()
    assert idea.state == IdeaState.ACCEPTED
    need = make_need(title="Urban trees monitoring", publish=True)
    response = client.post(
        url("result", idea.public_id),
        {"summary": "Planting", "progress": "10", "need": str(need.public_id), "challenge": ""},
    )
    assert response.status_code == 302
    response = client.post(
        url("milestone_add", idea.public_id), {"title": "First trees", "due_on": "2027-03-01"}
    )
    assert response.status_code == 302
    page = text(client.get(url("idea", idea.public_id)))
    assert "Urban trees monitoring" in page
    assert "First trees" in page
    results = text(client.get(url("results", open_process.public_id)))
    assert "We plant 40 trees." in results
    assert "Merged into" in results


def test_close_page_requires_reason_when_unanswered(client, open_process, buyer, cleo, make_idea):
    make_idea(cleo, open_process)
    client.force_login(buyer)
    response = client.post(url("close", open_process.public_id), {"reason": ""})
    assert response.status_code == 200
    assert "have no answer yet" in text(response)
    response = client.post(url("close", open_process.public_id), {"reason": "Budget frozen"})
    assert response.status_code == 302
    open_process.refresh_from_db()
    assert open_process.status == ProcessStatus.CLOSED
    assert "Budget frozen" in text(client.get(url("results", open_process.public_id)))


def test_profile_page(client, outsider, reference_data):
    client.force_login(outsider)
    response = client.post(url("profile"), {"pseudonym": "<i>Olga</i>", "nuts_region": "BE100"})
    assert response.status_code == 302
    assert outsider.participant_profile.pseudonym == "Olga"
    assert outsider.participant_profile.nuts_region.code == "BE100"


def test_ideas_behind_tag(open_process, buyer, cleo, make_idea, make_need):
    from django.template import Context, Template

    idea = make_idea(cleo, open_process)
    services.idea_answer(actor=buyer, idea=idea, state="accepted", text="Yes")
    need = make_need(title="Tree need", publish=True)
    services.result_create(actor=buyer, idea=idea, summary="Doing it", need=need)
    rendered = Template("{% load participation %}{% ideas_behind need %}").render(
        Context({"need": need})
    )
    assert "More trees on the main square" in rendered


def test_ideas_behind_a_challenge_without_need_lists_nothing_else(
    open_process, buyer, cleo, make_idea
):
    from govhub.challenges.models import Challenge
    from govhub.participation import selectors

    idea = make_idea(cleo, open_process)
    services.idea_answer(actor=buyer, idea=idea, state="accepted", text="Yes")
    services.result_create(actor=buyer, idea=idea, summary="Doing it")
    challenge = Challenge(pk=10**9, need_id=None)
    challenge._state.adding = False
    assert selectors.ideas_behind(challenge) == []


def test_edit_draft_process_page(client, make_process, buyer):
    draft = make_process(open_it=False)
    client.force_login(buyer)
    response = client.get(url("edit", draft.public_id))
    assert response.status_code == 200
    assert "A greener city centre" in text(response)
    data = {
        "title": "Renamed",
        "scope": "s",
        "goals": "g",
        "commitment": "c",
        "eligibility": "everyone",
        "ideas_starts_on": "2026-01-01",
        "ideas_ends_on": "2030-01-01",
    }
    assert client.post(url("edit", draft.public_id), data).status_code == 302
    draft.refresh_from_db()
    assert draft.title == "Renamed"
