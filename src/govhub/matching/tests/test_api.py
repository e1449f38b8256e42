"""Matching through the REST API: CPV suggestions for anyone, recommendations for the same
people as the pages' panels.

Personas: ``buyer`` (a buyer of ``authority``), ``cobuyer`` (a buyer of ``second_authority``),
``supplier`` (admin of the company ``company``), ``second_supplier`` (of ``second_company``),
anonymous. A token acts as its creator within its own organisation; whoever may not see a
panel gets 404 (nothing revealed, not even that the object exists).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from django.test import Client

from govhub.api.models import Scope
from govhub.api.tests.fixtures import bearer
from govhub.api.tests.test_problems import problem_of
from govhub.matching.models import TrainedModel
from govhub.matching.store import NAME, forget_cached
from govhub.matching.suggester import CpvSuggester, Example
from govhub.organisations import services as org_services
from govhub.organisations.models import Membership
from govhub.reference.models import CpvCode
from govhub.search.indexing import reindex

pytestmark = pytest.mark.django_db

SUGGEST = "/api/v1/matching/cpv-suggestions"

# Six codes that all speak of car parks, and one that does not.
PARKING = [
    Example("Parking sensors showing the occupancy of car parks", "34970000"),
    Example("Car park control equipment, barriers for car parks", "34926000"),
    Example("Parking services in municipal car parks", "63712400"),
    Example("Parking lot construction work for new car parks", "45223300"),
    Example("Car park management services for the city's car parks", "98351000"),
    Example("Mobile app to find free spaces in car parks", "72212000"),
    Example("Catering services for school canteens", "55520000"),
]


@pytest.fixture
def parking_model(reference_data: None) -> Iterator[None]:
    model = CpvSuggester.fit(PARKING)
    TrainedModel.objects.create(name=NAME, data=model.to_bytes(), examples=model.size)
    forget_cached()
    yield
    forget_cached()


def suggest(client: Client, body: Any, **headers: str) -> Any:
    return client.post(SUGGEST, body, content_type="application/json", headers=headers)


def recommendations(client: Client, kind: str, obj: Any, plaintext: str | None) -> Any:
    headers = bearer(plaintext) if plaintext else {}
    return client.get(f"/api/v1/matching/{kind}/{obj.public_id}/recommendations", headers=headers)


def titles(data: dict[str, Any], group: str | None = None) -> list[str]:
    return [
        item["title"]
        for g in data["groups"]
        if group is None or g["key"] == group
        for item in g["items"]
    ]


def not_found(response: Any, *secrets: str) -> None:
    """404 as a problem, and nothing of what the owners see in it."""
    problem_of(response, 404, "not_found")
    body = response.content.decode()
    for secret in secrets:
        assert secret not in body


def unauthenticated(response: Any, *secrets: str) -> None:
    problem_of(response, 401, "not_authenticated")
    body = response.content.decode()
    for secret in secrets:
        assert secret not in body


@pytest.fixture
def token_as(
    make_token: Callable[..., Any],
) -> Callable[..., str]:
    """``token_as(user, org, admin)``: a token of ``org`` acting as ``user``; ``admin``, an
    admin of ``org``, first makes ``user`` an admin too (only admins make tokens) and keeps
    the buyer role they have."""

    def make(user: Any, organisation: Any, admin: Any, scopes: list[str] | None = None) -> str:
        membership = Membership.objects.get(organisation=organisation, user=user)
        if not membership.is_admin:
            org_services.membership_set_roles(
                actor=admin,
                membership=membership,
                is_admin=True,
                is_buyer=membership.is_buyer,
            )
        _token, plaintext = make_token(organisation, actor=user, scopes=scopes)
        return str(plaintext)

    return make


@pytest.fixture
def also_member_of(make_token: Callable[..., Any]) -> Callable[..., str]:
    """``also_member_of(user, org, admin)``: ``user`` joins ``org`` as an admin (and a buyer,
    in an authority) by invitation from ``admin``, and makes a token of ``org``."""

    def make(user: Any, organisation: Any, admin: Any) -> str:
        _invitation, secret = org_services.invitation_create(
            actor=admin,
            organisation=organisation,
            email=user.email,
            is_admin=True,
            is_buyer=organisation.is_authority,
        )
        org_services.invitation_accept(actor=user, token=secret)
        _token, plaintext = make_token(organisation, actor=user)
        return str(plaintext)

    return make


# -- CPV suggestions ---------------------------------------------------------------------------


def test_anyone_gets_five_labelled_codes_for_a_text(client, parking_model) -> None:
    response = suggest(client, {"text": "We want to know how full our car parks are."})
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["available"] is True
    suggestions = data["suggestions"]
    assert len(suggestions) == 5
    by_digits = {s["digits"]: s for s in suggestions}
    assert "55520000" not in by_digits  # catering has nothing to do with car parks
    assert by_digits["63712400"] == {
        "code": "63712400-7",
        "digits": "63712400",
        "label": "Parking services",
        "confidence": by_digits["63712400"]["confidence"],
    }
    for s in suggestions:
        assert s["code"].startswith(s["digits"] + "-")
        assert s["label"]
        assert 0 < s["confidence"] <= 1
    confidences = [s["confidence"] for s in suggestions]
    assert confidences == sorted(confidences, reverse=True)


def test_limit_and_the_requests_language(client, parking_model) -> None:
    parking = CpvCode.objects.get(digits="63712400")
    parking.labels = {**parking.labels, "fr": "Services de stationnement"}
    parking.save(update_fields=["labels"])
    text = {"text": "car parks parking services", "limit": 10}
    french = suggest(client, text, **{"Accept-Language": "fr-BE,fr;q=0.9"}).json()
    french = french["suggestions"]
    assert 5 < len(french) <= 10
    labels = {s["digits"]: s["label"] for s in french}
    assert labels["63712400"] == "Services de stationnement"
    # No French label in the reference data: the English one.
    assert labels["98351000"] == "Car park management services"
    german = suggest(client, text, **{"Accept-Language": "de"}).json()["suggestions"]
    assert {s["digits"]: s["label"] for s in german}["63712400"] == "Parking services"
    one = suggest(client, {"text": "car parks", "limit": 1}).json()["suggestions"]
    assert len(one) == 1


def test_without_a_model_suggestions_are_unavailable(client, no_model) -> None:
    data = suggest(client, {"text": "car parks"}).json()
    assert data == {"suggestions": [], "available": False}


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"text": ""}, "text"),
        ({"text": "   \n "}, "text"),
        ({"text": "car parks " * 501}, "text"),  # 5010 characters
        ({}, "text"),
        ({"text": "car parks", "limit": 0}, "limit"),
        ({"text": "car parks", "limit": 11}, "limit"),
    ],
)
def test_invalid_requests_are_422_problems(client, parking_model, body, field) -> None:
    data = problem_of(suggest(client, body), 422, "validation_error")
    assert field in data["errors"], data


def test_a_blank_text_is_refused_in_the_requests_language(client, parking_model) -> None:
    # Validation runs before the endpoint: the message must come out translated all the same.
    english = problem_of(suggest(client, {"text": "  "}), 422, "validation_error")
    assert english["errors"]["text"] == ["Write some text to get suggestions."]
    response = suggest(client, {"text": "  "}, **{"Accept-Language": "fr-BE,fr;q=0.9"})
    french = problem_of(response, 422, "validation_error")
    assert french["errors"]["text"] == ["Écrivez un texte pour obtenir des suggestions."]
    assert french["detail"] == "La requête n’est pas valide : consultez les erreurs par champ."
    assert response["Content-Language"] == "fr"


def test_the_text_is_never_taken_from_the_address(client, parking_model) -> None:
    response = client.get(SUGGEST, {"text": "car parks"})
    problem_of(response, 405, "method_not_allowed")
    assert "confidence" not in response.content.decode()


def test_anonymous_suggestions_are_rate_limited(client, parking_model, settings) -> None:
    settings.GOVHUB_API_RATE_ANON = "2/m"
    assert suggest(client, {"text": "car parks"}).status_code == 200
    assert suggest(client, {"text": "car parks"}).status_code == 200
    problem_of(suggest(client, {"text": "car parks"}), 429, "rate_limited")


# -- a need's recommendations ------------------------------------------------------------------


@pytest.fixture
def lisbon_needs(make_need: Callable[..., Any], cobuyer: Any, second_authority: Any) -> Any:
    """Needs at Lisbon like the Brussels parking need: one published, one still a draft."""
    problem = "We do not know how full our public car parks are in real time."
    published = make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Parking sensors in Lisbon car parks",
        problem=problem,
        cpv_codes=["72212000"],
        publish=True,
    )
    draft = make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Secret draft about car parks occupancy",
        problem=problem,
        cpv_codes=["72212000"],
    )
    reindex()
    return {"published": published, "draft": draft}


def test_a_needs_buyers_token_sees_its_recommendations(
    client, buyer_token, published_need, lisbon_needs, parking_model
) -> None:
    _token, plaintext = buyer_token
    response = recommendations(client, "needs", published_need, plaintext)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["kind"] == "need"
    assert data["id"] == str(published_need.public_id)
    assert data["model_ready"] is True
    assert [g["key"] for g in data["groups"]] == ["needs", "solutions"]
    twin = lisbon_needs["published"]
    [item] = [i for g in data["groups"] if g["key"] == "needs" for i in g["items"]]
    assert item["kind"] == "need"
    assert item["id"] == str(twin.public_id)
    assert item["title"] == twin.title
    assert item["url"] == f"http://testserver/needs/{twin.public_id}/"
    assert item["score"] > 0
    assert "same CPV class 7221" in item["reasons"]
    assert lisbon_needs["draft"].title not in response.content.decode()


def test_a_need_with_no_model_says_so(client, buyer_token, published_need, no_model) -> None:
    _token, plaintext = buyer_token
    data = recommendations(client, "needs", published_need, plaintext).json()
    assert data["model_ready"] is False


def test_nobody_else_sees_a_needs_recommendations(
    client,
    company_token,
    token_as,
    also_member_of,
    buyer,
    cobuyer,
    second_authority,
    second_authority_admin,
    published_need,
    draft_need,
    lisbon_needs,
    parking_model,
) -> None:
    twin = lisbon_needs["published"].title
    _token, supplier_token = company_token
    cobuyer_token = token_as(cobuyer, second_authority, second_authority_admin)
    for need in (published_need, draft_need):
        not_found(recommendations(client, "needs", need, supplier_token), twin)
        not_found(recommendations(client, "needs", need, cobuyer_token), twin)
        unauthenticated(recommendations(client, "needs", need, None), twin)
    # The need's own buyer, through a token of another authority they also buy for: the
    # rights of one authority do not travel with the other's token.
    other_authority_token = also_member_of(buyer, second_authority, second_authority_admin)
    not_found(recommendations(client, "needs", published_need, other_authority_token), twin)


def test_the_draft_of_the_tokens_own_need_has_recommendations(
    client, buyer_token, make_need, lisbon_needs, parking_model
) -> None:
    draft = make_need(
        title="Our own draft about car parks",
        problem="We do not know how full our public car parks are in real time.",
        cpv_codes=["72212000"],
    )
    _token, plaintext = buyer_token
    response = recommendations(client, "needs", draft, plaintext)
    assert response.status_code == 200
    assert lisbon_needs["published"].title in titles(response.json(), "needs")
    assert lisbon_needs["draft"].title not in response.content.decode()


def test_a_token_without_the_read_scope_is_refused(
    client, make_token, token_as, buyer, authority, authority_admin, published_need, lisbon_needs
) -> None:
    plaintext = token_as(buyer, authority, authority_admin, scopes=[Scope.NEEDS_WRITE])
    response = recommendations(client, "needs", published_need, plaintext)
    problem_of(response, 403, "insufficient_scope")
    assert lisbon_needs["published"].title not in response.content.decode()


def test_an_unknown_need_is_404(client, buyer_token, parking_model) -> None:
    _token, plaintext = buyer_token
    response = client.get(
        "/api/v1/matching/needs/00000000-0000-4000-8000-000000000000/recommendations",
        headers=bearer(plaintext),
    )
    problem_of(response, 404, "not_found")


def assert_queries_do_not_grow(
    client: Any,
    assert_max_queries: Any,
    add: Any,
    *,
    kind: str,
    obj: Any,
    plaintext: str,
    group: str,
) -> None:
    """One recommended item, then five: the endpoint's query count stays where it was."""
    add(1)
    recommendations(client, kind, obj, plaintext)  # warm: the model loads once
    with assert_max_queries(30) as few:
        data = recommendations(client, kind, obj, plaintext).json()
    assert len(titles(data, group)) == 1
    add(4)
    with assert_max_queries(len(few.captured_queries)):
        data = recommendations(client, kind, obj, plaintext).json()
    assert len(titles(data, group)) == 5


def test_need_recommendations_queries_do_not_grow(
    client,
    buyer_token,
    published_need,
    make_need,
    cobuyer,
    second_authority,
    parking_model,
    django_assert_max_num_queries,
) -> None:
    _token, plaintext = buyer_token

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

    assert_queries_do_not_grow(
        client,
        django_assert_max_num_queries,
        add,
        kind="needs",
        obj=published_need,
        plaintext=plaintext,
        group="needs",
    )


# -- a challenge's recommendations -------------------------------------------------------------


def test_a_challenges_buyers_token_sees_who_could_answer(
    client, buyer_token, published_challenge, company, parking_model
) -> None:
    reindex()
    _token, plaintext = buyer_token
    response = recommendations(client, "challenges", published_challenge, plaintext)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["kind"] == "challenge"
    assert [g["key"] for g in data["groups"]] == ["companies", "solutions"]
    [item] = [i for g in data["groups"] if g["key"] == "companies" for i in g["items"]]
    assert item["kind"] == "organisation"
    assert item["id"] == str(company.public_id)
    assert item["title"] == company.name
    assert "declares CPV capability 72000000" in item["reasons"]


def test_nobody_else_sees_a_challenges_recommendations(
    client,
    company_token,
    token_as,
    also_member_of,
    buyer,
    cobuyer,
    second_authority,
    second_authority_admin,
    challenge_draft,
    published_challenge,
    company,
    parking_model,
) -> None:
    reindex()
    _token, supplier_token = company_token
    cobuyer_token = token_as(cobuyer, second_authority, second_authority_admin)
    for challenge in (challenge_draft, published_challenge):
        not_found(recommendations(client, "challenges", challenge, supplier_token), company.name)
        not_found(recommendations(client, "challenges", challenge, cobuyer_token), company.name)
        unauthenticated(recommendations(client, "challenges", challenge, None), company.name)

    # The lead's own buyer, through a token of another authority they also buy for.
    other_authority_token = also_member_of(buyer, second_authority, second_authority_admin)
    for challenge in (challenge_draft, published_challenge):
        response = recommendations(client, "challenges", challenge, other_authority_token)
        not_found(response, company.name)

    # Once Lisbon buys through the challenge too, its buyers see them, as on the page.
    from govhub.challenges import services as challenge_services

    challenge_services.cobuyer_add(
        actor=buyer, challenge=challenge_draft, authority=second_authority
    )
    response = recommendations(client, "challenges", challenge_draft, cobuyer_token)
    assert response.status_code == 200
    assert company.name in titles(response.json(), "companies")


def test_challenge_recommendations_queries_do_not_grow(
    client,
    buyer_token,
    published_challenge,
    make_organisation,
    org_reference,
    parking_model,
    django_assert_max_num_queries,
) -> None:
    _token, plaintext = buyer_token

    def add(n: int) -> None:
        for _ in range(n):
            make_organisation("company", cpv_capabilities=[org_reference.it_services])

    assert_queries_do_not_grow(
        client,
        django_assert_max_num_queries,
        add,
        kind="challenges",
        obj=published_challenge,
        plaintext=plaintext,
        group="companies",
    )


# -- a company's recommendations ---------------------------------------------------------------


def test_a_companys_token_sees_what_it_could_win_never_a_draft(
    client, company_token, company, make_challenge, parking_model
) -> None:
    published = make_challenge(title="Open data on parking occupancy", publish=True)
    draft = make_challenge(title="Draft challenge nobody may see yet")
    reindex()
    _token, plaintext = company_token
    response = recommendations(client, "companies", company, plaintext)
    assert response.status_code == 200, response.content
    data = response.json()
    assert data["kind"] == "company"
    assert [g["key"] for g in data["groups"]] == ["challenges", "opportunities"]
    [item] = [i for g in data["groups"] if g["key"] == "challenges" for i in g["items"]]
    assert item["id"] == str(published.public_id)
    assert item["title"] == published.title
    assert "same CPV class 7200" in item["reasons"]
    assert draft.title not in response.content.decode()


def test_nobody_else_sees_what_a_company_could_win(
    client,
    buyer_token,
    make_token,
    also_member_of,
    supplier,
    company,
    second_company,
    second_supplier,
    authority,
    make_challenge,
    parking_model,
) -> None:
    published = make_challenge(title="Open data on parking occupancy", publish=True)
    reindex()
    _token, authority_token = buyer_token
    _token, other_company_token = make_token(second_company, actor=second_supplier)
    # The company's own admin, through a token of another company they also belong to.
    other_membership_token = also_member_of(supplier, second_company, second_supplier)
    for plaintext in (authority_token, other_company_token, other_membership_token):
        not_found(recommendations(client, "companies", company, plaintext), published.title)
    unauthenticated(recommendations(client, "companies", company, None), published.title)
    # An authority has no such recommendations, even for its own buyers.
    not_found(recommendations(client, "companies", authority, authority_token))


def test_company_recommendations_queries_do_not_grow(
    client, company_token, company, make_challenge, parking_model, django_assert_max_num_queries
) -> None:
    _token, plaintext = company_token

    def add(n: int) -> None:
        for i in range(n):
            make_challenge(title=f"Parking open data, lot {i}", publish=True)
        reindex()

    assert_queries_do_not_grow(
        client,
        django_assert_max_num_queries,
        add,
        kind="companies",
        obj=company,
        plaintext=plaintext,
        group="challenges",
    )
