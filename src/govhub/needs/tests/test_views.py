from __future__ import annotations

import re
import uuid
from decimal import Decimal

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govhub.challenges.models import Challenge, ChallengeBuyer, ChallengeStatus, Phase, PhaseStatus
from govhub.needs import selectors, services
from govhub.needs.models import InnovationNeed, InterestStatus, NeedInterest, NeedStatus
from govhub.organisations.models import Membership

from .fixtures import PARKING_TITLE
from .helpers import assert_unchanged

pytestmark = pytest.mark.django_db

PERSONAS = [
    "anonymous",
    "outsider",
    "supplier",
    "buyer",
    "cobuyer",
    "authority_admin",
    "moderator",
    "unverified_buyer",
]


@pytest.fixture
def as_persona(request, client):
    """A client signed in as the named persona, or anonymous."""

    def sign_in(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in


def url(name: str, *args) -> str:
    return reverse(f"needs:{name}", args=args)


def html(response) -> str:
    return response.content.decode()


def form_data(**overrides) -> dict[str, str]:
    data = {
        "title": "Smart street lighting",
        "problem": "Lights burn all night in empty streets.",
        "affected": "",
        "expected_outcomes": "",
        "outcome_measures": "",
        "cpv_codes": "34996000-5",
        "nuts_region": "BE100",
        "currency": "EUR",
        "budget_min": "10000",
        "budget_max": "20000",
        "timeline": "",
        "expected_start": "",
        "constraints_data": "",
        "constraints_interoperability": "",
        "constraints_accessibility": "",
        "constraints_security": "",
        "open_to_pooling": "on",
    }
    data.update(overrides)
    return data


def edit_data(need: InnovationNeed, **overrides) -> dict[str, str]:
    data = form_data(
        title=need.title,
        problem=need.problem,
        cpv_codes=", ".join(c.code for c in need.cpv_codes.all()),
        nuts_region=need.nuts_region.code if need.nuts_region else "",
        budget_min=str(need.budget_min or ""),
        budget_max=str(need.budget_max or ""),
        version=str(need.version),
    )
    data.update(overrides)
    return data


# --- public list ---------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_is_public_and_shows_only_published_needs(
    as_persona, persona, published_need, draft_need
):
    response = as_persona(persona).get(url("list"))
    assert response.status_code == 200
    assert PARKING_TITLE in html(response)
    assert draft_need.title not in html(response)


def test_list_filters(client, published_need, make_need, cobuyer, second_authority):
    bins = make_need(title="Smart bins", cpv_codes=["90511000"], publish=True)
    lisbon = make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Tram stop screens",
        cpv_codes=["34970000"],
        publish=True,
    )
    content = html(client.get(url("list"), {"division": "90"}))
    assert bins.title in content
    assert PARKING_TITLE not in content
    content = html(client.get(url("list"), {"division": "34"}))
    assert PARKING_TITLE in content
    assert lisbon.title in content
    assert bins.title not in content
    content = html(client.get(url("list"), {"country": "PRT"}))
    assert lisbon.title in content
    assert PARKING_TITLE not in content
    content = html(client.get(url("list"), {"q": "parking"}))
    assert PARKING_TITLE in content
    assert bins.title not in content
    content = html(client.get(url("list"), {"q": "lisbon"}))  # the authority's name
    assert lisbon.title in content
    assert PARKING_TITLE not in content


def test_list_paginates_and_keeps_filters(client, make_need):
    for n in range(23):
        make_need(title=f"Need {n:02d}", cpv_codes=["90511000"], publish=True)
    response = client.get(url("list"), {"division": "90"})
    content = html(response)
    assert "23 published needs" in content
    assert "Need 22" in content  # newest first
    assert "Need 02" not in content
    assert "?division=90&amp;page=2" in content
    assert "Need 02" in html(client.get(url("list"), {"division": "90", "page": 2}))


def test_list_query_count_does_not_grow_with_needs(
    client, make_need, django_assert_max_num_queries, org_reference
):
    def grow(n: int) -> None:
        for i in range(n):
            make_need(
                title=f"Need {InnovationNeed.objects.count()}-{i}",
                cpv_codes=["72212000", "34970000"],
                nuts_region=org_reference.brussels,
                publish=True,
            )

    grow(2)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("list")).status_code == 200
    grow(18)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("list")).status_code == 200
    assert len(many) == len(few)
    with django_assert_max_num_queries(10):
        client.get(url("list"), {"division": "72", "country": "BEL", "q": "need"})


# --- detail --------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_published_need_is_public(as_persona, persona, published_need):
    response = as_persona(persona).get(url("detail", published_need.public_id))
    assert response.status_code == 200
    content = html(response)
    assert PARKING_TITLE in content
    assert "72212000-4" in content
    assert "100,000 – 250,000 EUR" in content


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 404),
        ("outsider", 404),
        ("supplier", 404),
        ("cobuyer", 404),
        ("moderator", 404),
        ("unverified_buyer", 404),
        ("buyer", 200),
        ("colleague_buyer", 200),
        ("authority_admin", 200),  # every member of the authority sees its drafts
    ],
)
def test_drafts_are_visible_only_to_members(as_persona, persona, status, draft_need):
    response = as_persona(persona).get(url("detail", draft_need.public_id))
    assert response.status_code == status


def test_unknown_need_is_404(client):
    assert client.get(url("detail", uuid.uuid4())).status_code == 404


def test_detail_shows_actions_to_buyers_only(as_persona, draft_need):
    content = html(as_persona("buyer").get(url("detail", draft_need.public_id)))
    assert url("edit", draft_need.public_id) in content
    assert url("publish", draft_need.public_id) in content
    content = html(as_persona("authority_admin").get(url("detail", draft_need.public_id)))
    assert url("edit", draft_need.public_id) not in content


def test_draft_page_says_what_is_missing_before_publishing(client, buyer, make_need):
    need = make_need(title="Half done", problem="", cpv_codes=[])
    client.force_login(buyer)
    content = html(client.get(url("detail", need.public_id)))
    assert "Before it can be published" in content
    assert "Describe the problem the need is about" in content
    assert "Choose at least one CPV code" in content


def test_interested_authorities_are_listed_publicly_with_shares(
    client, cobuyer, second_authority, published_need
):
    services.need_express_interest(
        actor=cobuyer,
        need=published_need,
        authority=second_authority,
        quantity="40 car parks",
        budget_share=Decimal("80000"),
    )
    content = html(client.get(url("detail", published_need.public_id)))
    assert "Lisbon City Council" in content
    assert "40 car parks" in content
    assert "80,000 EUR" in content


def test_similar_needs_are_shown_to_the_buyer_only(
    as_persona, published_need, make_need, cobuyer, second_authority
):
    make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Free parking spaces in real time",
        problem="Drivers waste time looking for parking in the centre.",
        cpv_codes=["72212100"],
        publish=True,
    )
    content = html(as_persona("buyer").get(url("detail", published_need.public_id)))
    assert "consider pooling" in content
    assert "Free parking spaces in real time" in content
    assert "same CPV group 722" in content
    client = as_persona("outsider")
    assert "consider pooling" not in html(client.get(url("detail", published_need.public_id)))


def test_detail_query_count_is_bounded(
    client,
    buyer,
    published_need,
    make_need,
    cobuyer,
    second_authority,
    django_assert_max_num_queries,
):
    for n in range(5):
        make_need(
            actor=cobuyer,
            authority=second_authority,
            title=f"Parking sensors {n}",
            cpv_codes=["72212000"],
            publish=True,
        )
    client.force_login(buyer)
    with django_assert_max_num_queries(20):
        assert client.get(url("detail", published_need.public_id)).status_code == 200


# --- create --------------------------------------------------------------------------------


def test_create_needs_sign_in(client):
    response = client.get(url("create"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


@pytest.mark.parametrize(
    "persona", ["outsider", "supplier", "authority_admin", "moderator", "unverified_buyer"]
)
def test_only_buyers_of_verified_authorities_create(as_persona, persona, authority):
    client = as_persona(persona)
    assert client.get(url("create")).status_code == 403
    with assert_unchanged():
        assert client.post(url("create"), form_data()).status_code == 403


def test_buyer_creates_a_draft(client, buyer, authority):
    client.force_login(buyer)
    response = client.get(url("create"))
    assert response.status_code == 200
    assert 'name="authority"' not in html(response)  # one authority: no question
    response = client.post(url("create"), form_data())
    need = InnovationNeed.objects.get()
    assert response.status_code == 302
    assert response["Location"] == url("detail", need.public_id)
    assert need.authority == authority
    assert need.status == NeedStatus.DRAFT
    assert need.budget_max == Decimal("20000.00")
    assert need.open_to_pooling is True
    assert [c.code for c in need.cpv_codes.all()] == ["34996000-5"]
    assert need.nuts_region is not None
    assert need.nuts_region.code == "BE100"


def test_create_keeps_input_on_form_errors(client, buyer):
    client.force_login(buyer)
    with assert_unchanged():
        response = client.post(
            url("create"),
            form_data(title="", problem="Kept problem text", cpv_codes="99999999", budget_min="x"),
        )
    assert response.status_code == 200
    content = html(response)
    assert "Enter a title for the need" in content
    assert "99999999 is not a CPV code" in content
    assert "Kept problem text" in content
    assert 'value="99999999"' in content
    assert "govuk-error-summary" in content


def test_create_shows_service_refusals_on_the_form(client, buyer):
    client.force_login(buyer)
    with assert_unchanged():
        response = client.post(url("create"), form_data(budget_min="30000", budget_max="20000"))
    assert response.status_code == 200
    content = html(response)
    assert "The budget’s upper end must be at least its lower end" in content
    assert 'value="30000"' in content
    assert 'href="#id_budget_max"' in content


def test_buyer_of_two_authorities_chooses_one(
    client, buyer, second_authority, second_authority_admin
):
    Membership.objects.create(organisation=second_authority, user=buyer, is_buyer=True)
    client.force_login(buyer)
    response = client.get(url("create"), {"authority": str(second_authority.public_id)})
    content = html(response)
    assert 'name="authority"' in content
    assert re.search(rf'value="{second_authority.public_id}"\s+checked', content)
    with assert_unchanged():
        response = client.post(url("create"), form_data())
    assert "Choose the authority the need is for" in html(response)
    client.post(url("create"), form_data(authority=str(second_authority.public_id)))
    assert InnovationNeed.objects.get().authority == second_authority


# --- edit ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("outsider", 404),
        ("cobuyer", 404),
        ("moderator", 404),
        ("authority_admin", 403),
        ("buyer", 200),
        ("colleague_buyer", 200),
    ],
)
def test_edit_draft_permissions(as_persona, persona, status, draft_need):
    assert as_persona(persona).get(url("edit", draft_need.public_id)).status_code == status


@pytest.mark.parametrize("persona", ["outsider", "supplier", "cobuyer", "moderator"])
def test_edit_published_need_is_refused_to_others(as_persona, persona, published_need):
    client = as_persona(persona)
    assert client.get(url("edit", published_need.public_id)).status_code == 403
    with assert_unchanged():
        response = client.post(url("edit", published_need.public_id), edit_data(published_need))
    assert response.status_code == 403


def test_edit_anonymous_is_sent_to_sign_in(client, published_need):
    response = client.get(url("edit", published_need.public_id))
    assert response.status_code == 302


def test_buyer_edits_a_published_need(client, buyer, published_need):
    client.force_login(buyer)
    response = client.get(url("edit", published_need.public_id))
    assert f'name="version" value="{published_need.version}"' in html(response)
    response = client.post(
        url("edit", published_need.public_id), edit_data(published_need, budget_max="300000")
    )
    assert response.status_code == 302
    need = InnovationNeed.objects.get(pk=published_need.pk)
    assert need.budget_max == Decimal("300000.00")
    assert need.version == published_need.version + 1


def test_stale_version_shows_a_conflict_and_keeps_the_input(
    client, buyer, colleague_buyer, published_need
):
    opened = edit_data(published_need)  # the buyer opens the form…
    services.need_update(  # …a colleague saves first…
        actor=colleague_buyer,
        need=published_need,
        version=published_need.version,
        budget_max=Decimal("260000"),
    )
    current = InnovationNeed.objects.get(pk=published_need.pk)
    client.force_login(buyer)
    with assert_unchanged():
        response = client.post(
            url("edit", published_need.public_id),
            {**opened, "title": "My better title", "budget_max": "275000"},
        )
    assert response.status_code == 200  # a form with an error, like any other
    content = html(response)
    assert "Someone else changed this need since you opened it" in content
    assert 'value="My better title"' in content
    assert 'value="275000"' in content
    # What is saved now, where it differs from the user's input:
    assert "260000.00" in content
    # The form now carries the current version: saving again is a knowing choice.
    assert f'name="version" value="{current.version}"' in content
    response = client.post(
        url("edit", published_need.public_id),
        {**opened, "title": "My better title", "version": str(current.version)},
    )
    assert response.status_code == 302
    assert InnovationNeed.objects.get(pk=published_need.pk).title == "My better title"


def test_edit_without_version_is_refused(client, buyer, draft_need):
    client.force_login(buyer)
    data = edit_data(draft_need, title="Changed")
    del data["version"]
    with assert_unchanged():
        response = client.post(url("edit", draft_need.public_id), data)
    assert response.status_code == 200
    assert "Open the need again" in html(response)


def test_edit_published_need_refuses_removing_its_cpv_codes(client, buyer, published_need):
    client.force_login(buyer)
    with assert_unchanged():
        response = client.post(
            url("edit", published_need.public_id),
            edit_data(published_need, cpv_codes="", problem="New problem text"),
        )
    assert response.status_code == 200
    content = html(response)
    assert "Choose at least one CPV code" in content
    assert "New problem text" in content


def test_withdrawn_need_is_not_editable(client, buyer, published_need):
    services.need_withdraw(actor=buyer, need=published_need, reason="Cut")
    client.force_login(buyer)
    response = client.get(url("edit", published_need.public_id))
    assert response.status_code == 302
    assert response["Location"] == url("detail", published_need.public_id)


# --- publish and withdraw ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"),
    [("outsider", 404), ("cobuyer", 404), ("authority_admin", 403), ("buyer", 200)],
)
def test_publish_permissions(as_persona, persona, status, draft_need):
    client = as_persona(persona)
    assert client.get(url("publish", draft_need.public_id)).status_code == status
    if status != 200:
        with assert_unchanged():
            client.post(url("publish", draft_need.public_id), {"version": "1"})


def test_buyer_publishes(client, buyer, draft_need):
    client.force_login(buyer)
    response = client.post(url("publish", draft_need.public_id), {"version": "1"})
    assert response.status_code == 302
    assert InnovationNeed.objects.get(pk=draft_need.pk).status == NeedStatus.PUBLISHED


def test_publish_page_lists_what_is_missing(client, buyer, make_need):
    need = make_need(title="Half done", problem="", cpv_codes=[])
    client.force_login(buyer)
    content = html(client.get(url("publish", need.public_id)))
    assert "cannot be published yet" in content
    assert "Describe the problem" in content
    with assert_unchanged():
        response = client.post(url("publish", need.public_id), {"version": str(need.version)})
    assert response.status_code == 200
    assert "govuk-error-summary" in html(response)


def test_publish_refuses_a_need_changed_since_it_was_reviewed(client, buyer, draft_need):
    services.need_update(actor=buyer, need=draft_need, version=1, title="Changed meanwhile")
    client.force_login(buyer)
    with assert_unchanged():
        response = client.post(url("publish", draft_need.public_id), {"version": "1"})
    assert "Someone else changed this need" in html(response)


def test_withdraw_requires_a_reason_and_keeps_the_form(client, buyer, published_need):
    client.force_login(buyer)
    with assert_unchanged():
        response = client.post(
            url("withdraw", published_need.public_id),
            {"reason": "", "version": str(published_need.version)},
        )
    assert response.status_code == 200
    assert "Give the reason for withdrawing the need" in html(response)
    response = client.post(
        url("withdraw", published_need.public_id),
        {"reason": "The budget was cut.", "version": str(published_need.version)},
    )
    assert response.status_code == 302
    content = html(client.get(url("detail", published_need.public_id)))
    assert "The budget was cut." in content
    assert "Withdrawn" in content


@pytest.mark.parametrize("persona", ["outsider", "supplier", "cobuyer", "authority_admin"])
def test_withdraw_is_refused_to_others(as_persona, persona, published_need):
    client = as_persona(persona)
    with assert_unchanged():
        response = client.post(url("withdraw", published_need.public_id), {"reason": "No"})
    assert response.status_code == 403


# --- pooling -------------------------------------------------------------------------------


def test_cobuyer_expresses_interest(client, cobuyer, second_authority, published_need):
    client.force_login(cobuyer)
    detail = html(client.get(url("detail", published_need.public_id)))
    assert url("interest", published_need.public_id) in detail
    assert client.get(url("interest", published_need.public_id)).status_code == 200
    response = client.post(
        url("interest", published_need.public_id),
        {"quantity": "40 car parks", "budget_share": "80000", "note": ""},
    )
    assert response.status_code == 302
    interest = NeedInterest.objects.get()
    assert interest.authority == second_authority
    assert interest.budget_share == Decimal("80000.00")
    # Once interested, the page offers to withdraw instead.
    detail = html(client.get(url("detail", published_need.public_id)))
    assert url("interest_withdraw", published_need.public_id, interest.public_id) in detail
    response = client.get(url("interest", published_need.public_id))
    assert response.status_code == 302


def test_interest_form_keeps_input_on_error(client, cobuyer, published_need):
    client.force_login(cobuyer)
    with assert_unchanged():
        response = client.post(
            url("interest", published_need.public_id),
            {"quantity": "", "budget_share": "", "note": "Kept note"},
        )
    assert response.status_code == 200
    content = html(response)
    assert "Say how much your authority would buy" in content
    assert "Kept note" in content


@pytest.mark.parametrize(
    "persona", ["buyer", "outsider", "supplier", "moderator", "authority_admin", "unverified_buyer"]
)
def test_interest_is_refused_to_others(as_persona, persona, published_need):
    client = as_persona(persona)
    assert client.get(url("interest", published_need.public_id)).status_code == 403
    with assert_unchanged():
        response = client.post(url("interest", published_need.public_id), {"quantity": "10"})
    assert response.status_code == 403


def test_interest_in_a_draft_is_404(as_persona, draft_need):
    response = as_persona("cobuyer").get(url("interest", draft_need.public_id))
    assert response.status_code == 404


def test_withdraw_interest(as_persona, cobuyer, second_authority, published_need):
    interest = services.need_express_interest(
        actor=cobuyer, need=published_need, authority=second_authority, quantity="10"
    )
    target = url("interest_withdraw", published_need.public_id, interest.public_id)
    client = as_persona("buyer")
    with assert_unchanged():
        assert client.post(target).status_code == 403
    client = as_persona("cobuyer")
    assert client.get(target).status_code == 200
    assert client.post(target).status_code == 302
    assert NeedInterest.objects.get().status == InterestStatus.WITHDRAWN


# --- innovation plan -----------------------------------------------------------------------


def _challenge(lead, title, status=ChallengeStatus.PUBLISHED, need=None):
    # Rows made directly: the challenges services are another app's, built alongside.
    challenge = Challenge.objects.create(
        lead_authority=lead,
        need=need,
        title=title,
        summary="Summary",
        description="Description",
        status=status,
    )
    ChallengeBuyer.objects.create(challenge=challenge, authority=lead, is_lead=True)
    Phase.objects.create(
        challenge=challenge, order=1, kind="open_call", title="Open call", status=PhaseStatus.OPEN
    )
    Phase.objects.create(challenge=challenge, order=2, kind="pilot", title="Pilot")
    return challenge


@pytest.mark.parametrize("persona", PERSONAS)
def test_plan_is_public(as_persona, persona, authority, published_need, draft_need):
    _challenge(authority, "Parking challenge")
    _challenge(authority, "Secret draft challenge", status=ChallengeStatus.DRAFT)
    response = as_persona(persona).get(url("plan", authority.public_id))
    assert response.status_code == 200
    content = html(response)
    assert PARKING_TITLE in content
    assert "Parking challenge" in content
    assert "Open call: open" in content
    assert "Secret draft challenge" not in content
    member = persona in {"buyer", "authority_admin"}
    assert (draft_need.title in content) is member


def test_plan_lists_co_bought_challenges(client, authority, second_authority):
    challenge = _challenge(authority, "Joint parking challenge")
    ChallengeBuyer.objects.create(challenge=challenge, authority=second_authority)
    content = html(client.get(url("plan", second_authority.public_id)))
    assert "Joint parking challenge" in content
    assert "Co-buyer; led by Brussels Digital Agency" in content


def test_plan_shows_withdrawn_and_converted_needs(client, buyer, authority, make_need):
    gone = make_need(title="Gone need", publish=True)
    services.need_withdraw(actor=buyer, need=gone, reason="Budget cut")
    converted = make_need(title="Became a challenge", publish=True)
    with transaction.atomic():
        services.mark_converted(converted)
    content = html(client.get(url("plan", authority.public_id)))
    assert "Gone need" in content
    assert "Budget cut" in content
    assert "Became a challenge" in content
    assert "Turned into a challenge" in content


def test_plan_of_a_company_or_unknown_is_404(client, company):
    assert client.get(url("plan", company.public_id)).status_code == 404
    assert client.get(url("plan", uuid.uuid4())).status_code == 404


def test_plan_query_count_does_not_grow(client, authority, make_need):
    def grow(n: int) -> None:
        for i in range(n):
            make_need(title=f"Plan need {InnovationNeed.objects.count()}-{i}", publish=True)
            _challenge(authority, f"Challenge {Challenge.objects.count()}")

    grow(1)
    with CaptureQueriesContext(connection) as few:
        assert client.get(url("plan", authority.public_id)).status_code == 200
    grow(6)
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("plan", authority.public_id)).status_code == 200
    assert len(many) == len(few)


def test_buyer_is_offered_to_turn_a_published_need_into_a_challenge(as_persona, published_need):
    target = selectors.create_challenge_url(published_need)
    if target is None:
        pytest.skip("the challenges app offers no page to turn a need into a challenge")
    assert target in html(as_persona("buyer").get(url("detail", published_need.public_id)))
    content = html(as_persona("cobuyer").get(url("detail", published_need.public_id)))
    assert target not in content


def test_converted_need_links_to_its_challenge(client, buyer, authority, published_need):
    with transaction.atomic():
        services.mark_converted(published_need)
    public = _challenge(authority, "Parking challenge", need=published_need)
    draft = _challenge(
        authority, "Draft follow-up", status=ChallengeStatus.DRAFT, need=published_need
    )
    content = html(client.get(url("detail", published_need.public_id)))
    assert "This need has been turned into a challenge" in content
    assert "Parking challenge" in content
    assert "Draft follow-up" not in content  # a draft challenge is the buyers' own
    client.force_login(buyer)
    content = html(client.get(url("detail", published_need.public_id)))
    assert "Draft follow-up" in content
    if selectors.challenge_url(public):
        assert f'href="{selectors.challenge_url(public)}"' in content
        assert f'href="{selectors.challenge_url(draft)}"' in content
