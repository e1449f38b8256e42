"""The participation journey in a real browser, every page axe-clean with a silent console:
a citizen submits an idea → others comment and support → a moderator merges a duplicate →
the authority answers → the accepted idea becomes a result linked to a need → the author
follows its progress."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.participation.models import Idea, IdeaState, Result
from govhub.web.tests.fixtures import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(make_page: Any, live_server: Any, user: Any) -> Any:
    client = Client()
    client.force_login(user)
    page = make_page()
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )
    return page


def test_idea_to_result_journey(
    make_page, live_server, open_process, buyer, moderator, cleo, nico, make_idea, make_need
):
    need = make_need(title="Shade for public squares", publish=True)
    duplicate = make_idea(nico, open_process, title="Trees for the main square", body="Shade")

    # Anyone reads the strategy before contributing.
    anonymous = make_page()
    anonymous.goto("/participation/")
    assert_page_ok(anonymous, "process list")
    anonymous.goto(f"/participation/{open_process.public_id}/")
    expect(anonymous.get_by_text("We answer every idea within a month")).to_be_visible()
    assert_page_ok(anonymous, "process page, anonymous")

    # The citizen submits an idea; similar ideas show while typing; errors keep the input.
    citizen = _signed_in_page(make_page, live_server, cleo)
    citizen.goto(f"/participation/{open_process.public_id}/ideas/new/")
    assert_page_ok(citizen, "submit an idea")
    citizen.get_by_label("Title of your idea").fill("Plant trees on the main square")
    expect(citizen.locator("#similar-ideas")).to_contain_text("Trees for the main square")
    assert_page_ok(citizen, "submit an idea with similar ideas")
    citizen.get_by_role("button", name="Publish my idea").click()
    expect(citizen.locator(".govuk-error-summary")).to_contain_text("Describe your idea")
    expect(citizen.get_by_label("Title of your idea")).to_have_value(
        "Plant trees on the main square"
    )
    assert_page_ok(citizen, "submit an idea with errors")
    citizen.get_by_label("Your idea", exact=True).fill(
        "Twenty plane trees would give shade in summer."
    )
    citizen.get_by_role("button", name="Publish my idea").click()
    expect(citizen.locator("h1")).to_have_text("Plant trees on the main square")
    assert_page_ok(citizen, "idea page, author")
    idea = Idea.objects.get(title="Plant trees on the main square")

    # Others comment and support.
    other = _signed_in_page(make_page, live_server, nico)
    other.goto(f"/participation/ideas/{idea.public_id}/")
    other.get_by_label("Add a comment").fill("Which species resist drought?")
    other.get_by_role("button", name="Publish comment").click()
    expect(other.get_by_text("Which species resist drought?")).to_be_visible()
    other.get_by_role("button", name="Support this idea").click()
    expect(other.get_by_role("button", name="Withdraw my support")).to_be_visible()
    assert_page_ok(other, "idea page, supporter")
    other.get_by_role("link", name="Report this idea").click()
    assert_page_ok(other, "report form")

    # The moderator merges the duplicate into the citizen's idea.
    mod = _signed_in_page(make_page, live_server, moderator)
    mod.goto(f"/participation/ideas/{duplicate.public_id}/merge/")
    assert_page_ok(mod, "merge form")
    mod.get_by_label("Merge into").select_option(label="Plant trees on the main square")
    mod.get_by_label("Why these ideas are the same").fill("Both ask for trees on the square.")
    mod.get_by_role("button", name="Merge").click()
    expect(mod.get_by_text("Ideas merged into this one")).to_be_visible()
    assert_page_ok(mod, "idea after merge")
    mod.goto("/participation/moderation/")
    assert_page_ok(mod, "moderation queue")
    duplicate.refresh_from_db()
    assert duplicate.state == IdeaState.MERGED

    # The authority answers, then turns the idea into a result linked to a need.
    authority = _signed_in_page(make_page, live_server, buyer)
    authority.goto(f"/participation/ideas/{idea.public_id}/answer/")
    assert_page_ok(authority, "answer form")
    authority.get_by_label("Accepted").check()
    authority.get_by_label("Answer", exact=True).fill("We plant twenty trees next spring.")
    authority.get_by_role("button", name="Publish the answer").click()
    authority.get_by_role("link", name="Turn into a result").click()
    assert_page_ok(authority, "result form")
    authority.get_by_label("What is being done").fill("Trees ordered; planting in March.")
    authority.get_by_label("Progress (percent)").fill("25")
    authority.get_by_label("Innovation need it led to").select_option(label=need.title)
    authority.get_by_role("button", name="Publish the result").click()
    authority.get_by_role("link", name="Add a milestone").click()
    assert_page_ok(authority, "milestone form")
    authority.get_by_label("Milestone").fill("Trees delivered")
    authority.get_by_label("Date").fill("2027-03-01")
    authority.get_by_role("button", name="Add the milestone").click()
    assert Result.objects.get().need == need
    authority.goto(f"/participation/{open_process.public_id}/close/")
    assert_page_ok(authority, "close form")

    # The author follows its progress; the chain is visible from the need's side too.
    citizen.goto(f"/participation/ideas/{idea.public_id}/")
    expect(citizen.get_by_text("25% done")).to_be_visible()
    expect(citizen.get_by_text("Trees delivered")).to_be_visible()
    expect(citizen.get_by_role("link", name="Shade for public squares")).to_be_visible()
    assert_page_ok(citizen, "idea with result, author")
    citizen.goto(f"/participation/{open_process.public_id}/results/")
    expect(citizen.get_by_text("We plant twenty trees next spring.")).to_be_visible()
    assert_page_ok(citizen, "results page")
    citizen.goto("/participation/profile/")
    assert_page_ok(citizen, "participant profile")
    citizen.goto("/notifications/")
    expect(citizen.get_by_text("Plant trees on the main square").first).to_be_visible()
