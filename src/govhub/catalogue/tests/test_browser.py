"""Every catalogue page in a real browser: axe-clean and a silent console."""

from __future__ import annotations

from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.utils import timezone
from playwright.sync_api import expect

from govhub.catalogue import services
from govhub.web.tests.fixtures import assert_page_ok

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def signed_in_page(make_page: Any, live_server: Any, user: Any) -> Any:
    """A browser holding the user's session (signing in itself is the accounts app's test)."""
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


def test_every_page_is_accessible(
    make_page,
    live_server,
    supplier,
    company,
    moderator,
    buyer,
    authority,
    make_solution,
    evaluation_world,
):
    published = make_solution(
        actor=supplier,
        provider=company,
        publish_by=moderator,
        energy_efficiency_label="ENERA",
        gpp_criteria=["eu"],
        hosting_renewable_share=90,
    )
    services.translation_add(
        actor=supplier, solution=published, language="fr", name="Anti-file", summary="Rendez-vous."
    )
    adoption = services.adoption_record(
        actor=buyer, solution=published, authority=authority, outcome="Shorter queues."
    )
    services.review_create(actor=buyer, adoption=adoption, rating=4, title="Good", body="Works.")
    draft = make_solution(actor=supplier, provider=company, name="Half done", contact_email="")
    proposed = make_solution(actor=supplier, provider=company, name="Waiting")
    services.solution_propose(actor=supplier, solution=proposed)

    anonymous = make_page()
    for path, label in [
        ("/catalogue/", "catalogue list"),
        ("/catalogue/?category=citizen_services&licence=EUPL-1.2&sort=best_rated", "filtered"),
        (f"/catalogue/{published.public_id}/", "published entry, anonymous"),
    ]:
        anonymous.goto(path)
        assert_page_ok(anonymous, label)

    page = signed_in_page(make_page, live_server, supplier)
    base = f"/catalogue/{draft.public_id}"
    for path, label in [
        ("/catalogue/new/", "add a solution"),
        ("/catalogue/mine/", "our solutions"),
        (f"{base}/", "draft with missing facts"),
        (f"{base}/edit/", "edit entry"),
        (f"{base}/propose/", "propose with missing facts"),
        (f"{base}/translations/", "translations"),
        (f"{base}/archive/", "archive"),
        (f"/catalogue/{proposed.public_id}/withdraw/", "take back"),
        (f"/catalogue/{published.public_id}/translations/fr/", "edit translation"),
        (f"/catalogue/{published.public_id}/translations/fr/remove/", "remove translation"),
    ]:
        page.goto(path)
        assert_page_ok(page, label)
    page.goto("/catalogue/new/")
    page.get_by_label("Licence (SPDX identifier)").fill("Nope-9")
    page.get_by_role("button", name="Save draft").click()
    expect(page.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(page, "add a solution with errors")

    mod = signed_in_page(make_page, live_server, moderator)
    for path, label in [
        ("/catalogue/moderation/", "moderation queue"),
        (f"/catalogue/{proposed.public_id}/moderate/", "moderate"),
    ]:
        mod.goto(path)
        assert_page_ok(mod, label)
    mod.get_by_role("button", name="Record decision").click()
    expect(mod.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(mod, "moderate with errors")

    from govhub.evaluation.models import Outcome

    outcome = Outcome.objects.create(
        challenge=evaluation_world.challenge,
        kind="awarded",
        reasons="Best.",
        published_at=timezone.now(),
        published_by=buyer,
        becomes_final_at=timezone.now(),
    )
    outcome.awarded_proposals.add(evaluation_world.proposals["company"])
    other = make_solution(actor=supplier, provider=company, publish_by=moderator, name="Other")
    buyer_page = signed_in_page(make_page, live_server, buyer)
    for path, label in [
        (f"/catalogue/{published.public_id}/", "entry seen by its adopter"),
        (f"/catalogue/{published.public_id}/adoptions/{adoption.public_id}/edit/", "adoption"),
        (f"/catalogue/{published.public_id}/adoptions/{adoption.public_id}/review/", "review"),
        (f"/catalogue/{published.public_id}/adoptions/{adoption.public_id}/end/", "end"),
        (f"/catalogue/{other.public_id}/adopt/", "record adoption"),
        (f"/catalogue/from-challenge/{evaluation_world.challenge.public_id}/", "from challenge"),
    ]:
        buyer_page.goto(path)
        assert_page_ok(buyer_page, label)


def test_filters_refresh_results_with_htmx(
    make_page, live_server, supplier, company, moderator, make_solution
):
    make_solution(actor=supplier, provider=company, publish_by=moderator, name="Alpha")
    make_solution(
        actor=supplier,
        provider=company,
        publish_by=moderator,
        name="Beta",
        categories=["health"],
    )
    page = make_page()
    page.goto("/catalogue/")
    expect(page.locator("#catalogue h2[aria-live]")).to_contain_text("2 solutions")
    page.get_by_label("Health and care (1)").check()
    expect(page.locator("#catalogue h2[aria-live]")).to_contain_text("1 solution")
    assert "category=health" in page.url
    expect(page.get_by_label("Health and care (1)")).to_be_focused()
    assert_page_ok(page, "filtered by htmx")
