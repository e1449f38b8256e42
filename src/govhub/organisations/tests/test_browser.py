"""Every organisations page in a real browser: axe-clean, silent console, keyboard-usable."""

from __future__ import annotations

import re
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from govhub.organisations import services
from govhub.web.tests.fixtures import assert_page_ok

from .fixtures import confirm_email, membership
from .helpers import with_two_factor

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _signed_in_page(make_page: Any, live_server: Any, user: Any) -> Any:
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
    authority,
    authority_admin,
    buyer,
    company,
    unverified_authority,
    moderator,
    outsider,
    make_user,
):
    services.join_request_create(
        actor=outsider, organisation=authority, message="I run the open-data portal."
    )
    invitee = make_user("invitee@example.eu", display_name="Ivy Invitee")
    confirm_email(invitee)
    _, token = services.invitation_create(
        actor=authority_admin, organisation=authority, email=invitee.email, is_evaluator=True
    )

    anonymous = make_page()
    anonymous.goto("/organisations/?kind=authority&country=BEL")
    expect(anonymous.locator("h1")).to_have_text("Organisations")
    assert_page_ok(anonymous, "organisation list with filters")
    anonymous.goto(f"/organisations/{company.public_id}/")
    expect(anonymous.locator("h1")).to_have_text("CivicTech Solutions")
    assert_page_ok(anonymous, "company page")

    admin = _signed_in_page(make_page, live_server, authority_admin)
    pages = [
        (f"/organisations/{authority.public_id}/", "authority page seen by its admin"),
        (f"/organisations/{authority.public_id}/edit/", "edit authority"),
        (f"/organisations/{authority.public_id}/members/", "members page"),
        (
            f"/organisations/{authority.public_id}/members/"
            f"{membership(buyer, authority).public_id}/",
            "roles page",
        ),
        (
            f"/organisations/{authority.public_id}/members/"
            f"{membership(buyer, authority).public_id}/remove/",
            "remove member page",
        ),
        (f"/organisations/{authority.public_id}/leave/", "leave page"),
    ]
    for path, label in pages:
        admin.goto(path)
        expect(admin.locator("h1")).to_have_count(1)
        assert_page_ok(admin, label)
    admin.goto(f"/organisations/{authority.public_id}/members/")
    admin.get_by_role("link", name=re.compile(r"^Review")).click()
    expect(admin.locator("main")).to_contain_text("I run the open-data portal.")
    assert_page_ok(admin, "join request page")

    mod = _signed_in_page(make_page, live_server, with_two_factor(moderator))
    for path, label in [
        ("/organisations/moderation/", "moderation queue"),
        (f"/organisations/{unverified_authority.public_id}/moderate/", "moderate page"),
    ]:
        mod.goto(path)
        assert_page_ok(mod, label)
    mod.get_by_role("radio", name="Suspend").check()
    mod.get_by_role("button", name="Confirm decision").click()
    expect(mod.locator(".govuk-error-summary")).to_be_visible()
    assert_page_ok(mod, "moderate page with an error")

    person = _signed_in_page(make_page, live_server, invitee)
    person.goto(f"/organisations/invitations/{token}/")
    expect(person.locator("h1")).to_have_text("Invitation to join Brussels Digital Agency")
    assert_page_ok(person, "invitation page")

    asker = _signed_in_page(make_page, live_server, make_user("asker@example.eu"))
    asker.goto(f"/organisations/{company.public_id}/join/")
    assert_page_ok(asker, "ask to join page")


def test_create_an_authority_with_the_keyboard_only(
    make_page, live_server, outsider, org_reference
):
    page = _signed_in_page(make_page, live_server, outsider)
    page.goto("/organisations/new/")
    assert_page_ok(page, "choose the kind")
    # "Public authority" is the first radio; Tab leaves the radio group for the button.
    page.locator("input[name=kind]").first.focus()
    page.keyboard.press("Space")
    page.keyboard.press("Tab")
    expect(page.get_by_role("button", name="Continue")).to_be_focused()
    page.keyboard.press("Enter")
    expect(page).to_have_url(re.compile(r"/organisations/new/\?kind=authority"))
    assert_page_ok(page, "authority form")

    main = page.locator("main")
    main.get_by_label("Name", exact=True).fill("Flemish Data Office")
    main.get_by_label("Country").select_option("BEL")
    main.locator("input[name=nuts_region]").fill("FR101")
    main.get_by_label(re.compile(r"^Buyer legal type")).select_option("ra")
    main.get_by_label(re.compile(r"^Name")).press("Enter")
    expect(page.locator(".govuk-error-summary")).to_contain_text("must be in the chosen country")
    assert_page_ok(page, "authority form with an error")
    expect(main.get_by_label("Name", exact=True)).to_have_value("Flemish Data Office")

    main.locator("input[name=nuts_region]").fill("BE2")
    main.get_by_label(re.compile(r"^Name")).press("Enter")
    expect(page.locator("h1")).to_have_text("Flemish Data Office")
    assert_page_ok(page, "new authority page")
