"""The other participation pages in a real browser: axe-clean, silent console."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from govhub.participation import services
from govhub.web.tests.fixtures import assert_page_ok

from .test_journey import _signed_in_page

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_management_pages_are_accessible(
    make_page, live_server, make_process, open_process, buyer, moderator, cleo, nico, make_idea
):
    draft = make_process(open_it=False, title="Draft process")
    idea = make_idea(cleo, open_process)
    comment = services.comment_post(actor=nico, idea=idea, body="Rude words")
    services.report_create(actor=cleo, idea=idea, comment=comment, reason="Insult")

    page = _signed_in_page(make_page, live_server, buyer)
    for path, label in [
        ("/participation/", "process list with drafts"),
        ("/participation/new/", "start a process"),
        (f"/participation/{draft.public_id}/", "draft process"),
        (f"/participation/{draft.public_id}/open/", "open a process"),
        (f"/participation/{open_process.public_id}/?state=new&order=support", "ideas filtered"),
        (f"/participation/ideas/{idea.public_id}/", "idea, as the authority"),
        (f"/participation/ideas/{idea.public_id}/hide/?comment={comment.public_id}", "hide"),
    ]:
        page.goto(path)
        assert_page_ok(page, label)
    page.goto("/participation/new/")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "start a process with errors")

    author = _signed_in_page(make_page, live_server, cleo)
    fresh = make_idea(cleo, open_process, title="Benches", body="Benches in the shade")
    for path, label in [
        (f"/participation/ideas/{fresh.public_id}/edit/", "change an idea"),
        (f"/participation/ideas/{idea.public_id}/comment/?parent={comment.public_id}", "reply"),
        (f"/participation/ideas/{idea.public_id}/report/?comment={comment.public_id}", "report"),
    ]:
        author.goto(path)
        assert_page_ok(author, label)

    mod = _signed_in_page(make_page, live_server, moderator)
    mod.goto(f"/participation/ideas/{idea.public_id}/hide/?comment={comment.public_id}")
    mod.get_by_role("button", name="Hide").click()
    expect(mod.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(mod, "hide without a reason")
    mod.get_by_label("Reason, published in place of the content").fill("Insults")
    mod.get_by_role("button", name="Hide").click()
    expect(mod.get_by_text("This comment was hidden by a moderator: Insults")).to_be_visible()
    assert_page_ok(mod, "idea with a hidden comment")
