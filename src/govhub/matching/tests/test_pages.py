"""CPV suggestions on the forms and recommendation panels on the pages: who sees what.

Personas: ``buyer`` (a buyer of ``authority``), ``cobuyer`` (a buyer of another authority),
``supplier`` (admin of the company ``company``), ``outsider`` (no organisation), anonymous.
A panel is for the owning team only; it never shows a draft or anything sealed; without a
trained model it says so in a sentence; its query count does not grow with its items.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from govhub.needs.tests.fixtures import cpv
from govhub.search.indexing import reindex

pytestmark = pytest.mark.django_db

PANEL = "data-recommendations="


def client_for(user: Any | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


def page(user: Any | None, path: str) -> str:
    response = client_for(user).get(path)
    assert response.status_code == 200, (path, response.status_code)
    return response.content.decode()


def panel(html: str, key: str) -> str:
    """The recommendation panel's HTML (or its placeholder), "" when the page has none."""
    start = html.find(f'{PANEL}"{key}"')
    if start == -1:
        return ""
    return html[start : html.index("</section>", start)]


def loaded(user: Any | None, key: str, obj: Any, *, htmx: bool = True) -> str:
    """The panel as the page's placeholder loads it (htmx), or as its own page."""
    headers = {"HX-Request": "true"} if htmx else {}
    response = client_for(user).get(
        f"/matching/recommendations/{key}/{obj.public_id}/", headers=headers
    )
    assert response.status_code == 200, response.status_code
    assert "HX-Request" in response.get("Vary", "")
    assert "private" in response["Cache-Control"]
    return response.content.decode()


def refused(user: Any | None, key: str, obj: Any) -> bool:
    """Someone who may not see the panel gets 404, as if there were none to see."""
    for headers in ({"HX-Request": "true"}, {}):
        response = client_for(user).get(
            f"/matching/recommendations/{key}/{obj.public_id}/", headers=headers
        )
        if response.status_code != 404:
            return False
    return True


# -- CPV suggestion on the three forms ---------------------------------------------------------


def _assert_suggest_box(html: str, source: str, target: str) -> None:
    assert "data-cpv-suggest" in html
    assert f'data-cpv-source="{source}"' in html
    assert f'data-cpv-target="{target}"' in html
    # Hidden until the script runs: without JavaScript the form is unchanged.
    box = html[html.index("data-cpv-suggest") :]
    assert " hidden>" in box[: box.index("\n")]
    assert 'role="status"' in box
    # The script is a same-origin file with the request's nonce (CSP: no inline script).
    assert "matching/cpv-suggest.js" in html
    script = html[html.rindex("<script", 0, html.index("matching/cpv-suggest.js")) :]
    assert 'nonce="' in script.split(">")[0]


def test_need_forms_offer_cpv_suggestions(buyer, published_need, small_model) -> None:
    for path in ("/needs/new/", f"/needs/{published_need.public_id}/edit/"):
        _assert_suggest_box(
            page(buyer, path), "#id_title, #id_problem, #id_expected_outcomes", "#id_cpv_codes"
        )


def test_challenge_forms_offer_cpv_suggestions(buyer, challenge_draft, small_model) -> None:
    for path in ("/challenges/new/", f"/challenges/{challenge_draft.public_id}/edit/"):
        _assert_suggest_box(
            page(buyer, path), "#id_title, #id_summary, #id_description", "#id_cpv_codes"
        )


def test_company_capabilities_form_offers_cpv_suggestions(supplier, company, small_model) -> None:
    html = page(supplier, f"/organisations/{company.public_id}/edit/")
    _assert_suggest_box(html, "#id_description", "#id_cpv_capabilities")
    # The description comes first: what the company writes feeds the suggestions below it.
    assert html.index('id="id_description"') < html.index('id="id_cpv_capabilities"')


def test_authority_form_has_no_capabilities_and_no_suggestions(authority_admin, authority) -> None:
    html = page(authority_admin, f"/organisations/{authority.public_id}/edit/")
    assert "data-cpv-suggest" not in html
    assert "cpv-suggest.js" not in html


SUGGEST = "/matching/cpv-suggest/"


def test_suggestions_fragment_is_buttons_with_confidence(client, small_model) -> None:
    response = client.post(SUGGEST, {"text": "parking sensors car parks"})
    html = response.content.decode()
    assert 'data-cpv-code="34970000-7"' in html
    assert 'data-cpv-digits="34970000"' in html
    assert "% confidence" in html
    assert 'type="button"' in html
    assert "aria-describedby=" in html


def test_suggestions_fragment_with_no_match_says_so(client, small_model) -> None:
    html = client.post(SUGGEST, {"text": "zzzz qqqq"}).content.decode()
    assert "data-cpv-code" not in html
    assert "No CPV code to suggest" in html


def test_suggestions_fragment_without_a_model_says_so(client, no_model) -> None:
    html = client.post(SUGGEST, {"text": "parking sensors car parks"}).content.decode()
    assert "data-cpv-code" not in html
    assert "an administrator has to train the matching model first" in html


def test_the_draft_text_is_posted_never_put_in_a_url(client, small_model) -> None:
    # By GET the text would end up in server logs, browser history and proxies.
    response = client.get(SUGGEST, {"text": "parking sensors car parks"})
    assert response.status_code == 405
    assert "data-cpv-code" not in response.content.decode()


def test_suggestions_take_the_csrf_token_the_box_carries(buyer, small_model) -> None:
    strict = Client(enforce_csrf_checks=True)
    strict.force_login(buyer)
    text = {"text": "parking sensors car parks"}
    refused = strict.post(SUGGEST, text)
    assert refused.status_code == 403
    assert "data-cpv-code" not in refused.content.decode()
    # The CSRF cookie is HttpOnly: the script sends the box's copy of the page's token.
    found = re.search(r'data-csrf-token="([^"]+)"', strict.get("/needs/new/").content.decode())
    assert found is not None
    response = strict.post(SUGGEST, text, headers={"X-CSRFToken": found.group(1)})
    assert response.status_code == 200
    assert 'data-cpv-code="34970000-7"' in response.content.decode()


def test_suggestions_are_rate_limited_per_address(client, small_model, settings) -> None:
    # A day's window: the test cannot straddle two windows and see its count reset.
    settings.GOVHUB_API_RATE_ANON = "2/d"
    text = {"text": "parking sensors car parks"}
    for _ in range(2):
        assert 'data-cpv-code="34970000-7"' in client.post(SUGGEST, text).content.decode()
    refused = client.post(SUGGEST, text)
    assert refused.status_code == 429
    assert int(refused["Retry-After"]) >= 1
    html = refused.content.decode()
    assert "data-cpv-code" not in html
    assert "Too many suggestions were asked for from your address" in html
    # The API's anonymous calls from the same address share the count.
    api = client.post("/api/v1/matching/cpv-suggestions", text, content_type="application/json")
    assert api.status_code == 429
    # Another address is not held back.
    other = Client(REMOTE_ADDR="192.0.2.7").post(SUGGEST, text)
    assert other.status_code == 200
    assert 'data-cpv-code="34970000-7"' in other.content.decode()


def test_a_long_text_is_read_up_to_the_limit(client, small_model) -> None:
    # Only words the model does not know in the first 5,000 characters, the telling ones after:
    # read past the limit, they would bring the parking codes.
    filler = "zzzz " * 1_000
    assert len(filler) == 5_000
    text = filler + "parking sensors car parks " * 100
    response = client.post(SUGGEST, {"text": text})
    assert response.status_code == 200
    html = response.content.decode()
    assert "data-cpv-code" not in html
    assert "No CPV code to suggest" in html


# -- the need page ------------------------------------------------------------------------------


@pytest.fixture
def other_needs(
    make_need: Callable[..., Any], cobuyer: Any, second_authority: Any
) -> dict[str, Any]:
    """Needs at Lisbon like the Brussels parking need: one published, one still a draft."""
    published = make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Parking sensors in Lisbon car parks",
        problem="We do not know how full our public car parks are in real time.",
        cpv_codes=["72212000"],
        publish=True,
    )
    draft = make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Secret draft about car parks occupancy",
        problem="We do not know how full our public car parks are in real time.",
        cpv_codes=["72212000"],
    )
    return {"published": published, "draft": draft}


def test_need_panel_is_for_the_needs_buyers_only(
    buyer, cobuyer, supplier, company, outsider, published_need, small_model
) -> None:
    path = f"/needs/{published_need.public_id}/"
    placeholder = panel(page(buyer, path), "need")
    assert f'hx-get="/matching/recommendations/need/{published_need.public_id}/"' in placeholder
    # Without JavaScript the placeholder is a link to the same panel on its own page.
    assert f'href="/matching/recommendations/need/{published_need.public_id}/"' in placeholder
    assert "data-recommendations-loaded" in loaded(buyer, "need", published_need)
    for viewer in (cobuyer, supplier, outsider, None):
        assert PANEL not in page(viewer, path), viewer
        assert refused(viewer, "need", published_need), viewer


def test_need_panel_shows_published_needs_elsewhere_and_solutions_with_why(
    buyer,
    published_need,
    other_needs,
    make_need,
    make_solution,
    supplier,
    company,
    moderator,
    small_model,
) -> None:
    own = make_need(title="Car parks occupancy, our second try", publish=True)
    parking = {"cpv_codes": [cpv("72212000")], "summary": "Shows how full car parks are."}
    solution = make_solution(
        actor=supplier, provider=company, publish_by=moderator, name="ParkSense", **parking
    )
    draft_solution = make_solution(
        actor=supplier, provider=company, name="Unpublished ParkBot", **parking
    )
    reindex()
    html = loaded(buyer, "need", published_need, htmx=False)
    assert "<h1" in html  # a page of its own
    assert other_needs["published"].title in html
    assert "same CPV class 7221" in html
    assert solution.name in html
    assert "Why:" in html
    # Not the authority's own needs ("at other authorities"), never a draft of anyone.
    assert own.title not in html
    assert other_needs["draft"].title not in html
    assert draft_solution.name not in html

    # In place on the need's page, what the pooling suggestions list is not listed twice.
    full = page(buyer, f"/needs/{published_need.public_id}/")
    assert full.count(other_needs["published"].title) == 1
    fragment = loaded(buyer, "need", published_need)
    assert other_needs["published"].title not in fragment
    assert "Similar needs at other authorities" not in fragment
    assert solution.name in fragment
    assert other_needs["draft"].title not in full + fragment


def test_need_panel_on_the_buyers_own_draft(buyer, draft_need, other_needs, small_model) -> None:
    reindex()
    assert panel(page(buyer, f"/needs/{draft_need.public_id}/"), "need")
    html = loaded(buyer, "need", draft_need)
    assert "data-recommendations-loaded" in html
    assert other_needs["draft"].title not in html


def test_need_panel_without_a_model_says_so(buyer, published_need, no_model) -> None:
    reindex()
    html = loaded(buyer, "need", published_need)
    assert "no matching model has been trained yet" in html


def test_need_panel_says_when_the_similar_needs_are_all_listed_above(
    buyer, published_need, other_needs, small_model
) -> None:
    reindex()
    html = loaded(buyer, "need", published_need)
    assert other_needs["published"].title not in html
    assert "the similar needs GovHub found are listed above" in html


def test_need_page_queries_do_not_grow_with_recommendations(
    buyer, published_need, make_need, cobuyer, second_authority, small_model
) -> None:
    client = client_for(buyer)
    endpoint = f"/matching/recommendations/need/{published_need.public_id}/"

    def add(n: int) -> None:
        for i in range(n):
            make_need(
                actor=cobuyer,
                authority=second_authority,
                title=f"Free parking spaces in real time, district {i}",
                problem="Drivers circle the centre looking for a free space in car parks.",
                cpv_codes=["34970000"],
                publish=True,
            )
        reindex()

    def count() -> tuple[int, str]:
        client.get(endpoint)  # warm: the model is loaded once per process
        with CaptureQueriesContext(connection) as queries:
            # Its own page: in place, the needs app's pooling list would hide these.
            html = client.get(endpoint).content.decode()
        return len(queries), html

    add(1)
    few, html = count()
    assert html.count("Free parking spaces in real time") == 1
    add(4)
    many, html = count()
    assert html.count("Free parking spaces in real time") == 5
    assert many <= few  # fewer than LIMIT candidates costs one more look, never more


# -- the challenge page -------------------------------------------------------------------------


def test_challenge_panel_is_for_the_challenges_buyers_only(
    buyer, cobuyer, supplier, company, outsider, published_challenge, small_model
) -> None:
    reindex()
    path = f"/challenges/{published_challenge.public_id}/"
    assert panel(page(buyer, path), "challenge")
    html = loaded(buyer, "challenge", published_challenge)
    assert company.name in html
    assert "declares CPV capability 72000000" in html
    for viewer in (cobuyer, supplier, outsider, None):
        assert PANEL not in page(viewer, path), viewer
        assert refused(viewer, "challenge", published_challenge), viewer


def test_challenge_panel_for_the_buyers_of_a_co_buying_authority(
    buyer, cobuyer, second_authority, challenge_draft, small_model
) -> None:
    from govhub.challenges import services as challenge_services

    assert refused(cobuyer, "challenge", challenge_draft)
    challenge_services.cobuyer_add(
        actor=buyer, challenge=challenge_draft, authority=second_authority
    )
    assert panel(page(cobuyer, f"/challenges/{challenge_draft.public_id}/"), "challenge")
    assert "data-recommendations-loaded" in loaded(cobuyer, "challenge", challenge_draft)


def test_challenge_panel_on_a_draft_and_nothing_sealed(
    buyer, challenge_draft, published_challenge, company, make_proposal, open_phase, small_model
) -> None:
    make_proposal(open_phase, text="Sealed answer: LoRaWAN magnetometers in every bay")
    reindex()
    for challenge in (challenge_draft, published_challenge):
        assert panel(page(buyer, f"/challenges/{challenge.public_id}/"), "challenge")
        html = loaded(buyer, "challenge", challenge)
        assert company.name in html
        assert "LoRaWAN" not in html


def test_challenge_panel_without_a_model_says_so(buyer, published_challenge, no_model) -> None:
    html = loaded(buyer, "challenge", published_challenge)
    assert "no matching model has been trained yet" in html


def test_challenge_page_queries_do_not_grow_with_recommendations(
    buyer, published_challenge, make_organisation, org_reference, small_model
) -> None:
    path = f"/matching/recommendations/challenge/{published_challenge.public_id}/"
    client = client_for(buyer)

    def add(n: int) -> None:
        for _ in range(n):
            make_organisation("company", cpv_capabilities=[org_reference.it_services])

    def count() -> tuple[int, str]:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(path, headers={"HX-Request": "true"}).content.decode()
        return len(queries), html

    add(1)
    few, html = count()
    assert html.count("declares CPV capability") == 1
    add(4)
    many, html = count()
    assert html.count("declares CPV capability") == 5
    assert many <= few  # fewer than LIMIT candidates costs one more look, never more


# -- the company's page -------------------------------------------------------------------------


def test_company_panel_is_for_its_members_only(
    supplier, company, buyer, second_supplier, second_company, outsider, small_model
) -> None:
    path = f"/organisations/{company.public_id}/"
    assert panel(page(supplier, path), "company")
    assert "data-recommendations-loaded" in loaded(supplier, "company", company)
    for viewer in (buyer, second_supplier, outsider, None):
        assert PANEL not in page(viewer, path), viewer
        assert refused(viewer, "company", company), viewer


def test_authority_page_has_no_company_panel(buyer, authority, small_model) -> None:
    assert PANEL not in page(buyer, f"/organisations/{authority.public_id}/")
    assert refused(buyer, "company", authority)


def test_company_panel_shows_published_challenges_never_drafts(
    supplier, company, make_challenge, small_model
) -> None:
    published = make_challenge(title="Open data on parking occupancy", publish=True)
    draft = make_challenge(title="Draft challenge nobody may see yet")
    reindex()
    html = loaded(supplier, "company", company)
    assert published.title in html
    assert "same CPV class 7200" in html
    assert draft.title not in html


def test_company_panel_without_a_model_says_so(supplier, company, no_model) -> None:
    html = loaded(supplier, "company", company)
    assert "no matching model has been trained yet" in html


def test_company_page_queries_do_not_grow_with_recommendations(
    supplier, company, make_challenge, small_model
) -> None:
    path = f"/matching/recommendations/company/{company.public_id}/"
    client = client_for(supplier)

    def add(n: int) -> None:
        for i in range(n):
            make_challenge(title=f"Parking open data, lot {i}", publish=True)
        reindex()

    def count() -> tuple[int, str]:
        client.get(path)
        with CaptureQueriesContext(connection) as queries:
            html = client.get(path, headers={"HX-Request": "true"}).content.decode()
        return len(queries), html

    add(1)
    few, html = count()
    assert html.count("Parking open data, lot") == 1
    add(4)
    many, html = count()
    assert html.count("Parking open data, lot") == 5
    assert many <= few  # fewer than LIMIT candidates costs one more look, never more
