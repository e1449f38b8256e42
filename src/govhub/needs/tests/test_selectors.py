from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import NoReverseMatch, reverse

from govhub.challenges.models import Challenge
from govhub.needs import selectors, services, similarity
from govhub.needs.models import NeedStatus
from govhub.organisations import services as org_services
from govhub.organisations.models import Membership, OrganisationKind

from .fixtures import PARKING_TITLE


@pytest.fixture
def third_authority(make_organisation, moderator, org_reference):
    return make_organisation(
        OrganisationKind.AUTHORITY,
        name="Paris Mobility Office",
        verified_by=moderator,
        country=org_reference.france,
        nuts_region=org_reference.paris,
    )


@pytest.fixture
def third_buyer(third_authority, make_user, with_totp):
    user = make_user("buyer@paris.example.eu")
    with_totp(user)
    Membership.objects.create(organisation=third_authority, user=user, is_buyer=True)
    return user


# --- similarity (pure) ---------------------------------------------------------------------


def test_tokens_fold_drop_stop_words_and_trim_plurals():
    assert similarity.tokens("The Sensors for Île-de-France, 2026!") == [
        ("sensor", "sensors"),
        ("ile", "ile"),
        ("france", "france"),
    ]


def test_rank_scores_identical_text_highest_and_unrelated_text_zero():
    query = similarity.terms("Parking sensors", "Free parking spaces in real time")
    same = similarity.terms("Parking sensors", "Free parking spaces in real time")
    partly = similarity.terms("Parking payments", "Pay for parking by phone")
    unrelated = similarity.terms("School meals", "Healthy lunches for pupils")
    matches = similarity.rank(query, [same, partly, unrelated])
    assert matches[0].score == pytest.approx(1.0)
    assert 0 < matches[1].score < matches[0].score
    assert matches[1].common == ("parking",)
    assert matches[2].score == 0
    assert matches[2].common == ()


def test_rank_is_deterministic():
    query = similarity.terms("Traffic lights", "Adaptive traffic lights at junctions")
    docs = [similarity.terms(f"Traffic {n}", "junctions and lights") for n in range(5)]
    assert similarity.rank(query, docs) == similarity.rank(query, docs)


# --- similar needs -------------------------------------------------------------------------


@pytest.fixture
def candidates(make_need, cobuyer, second_authority, third_buyer, third_authority):
    """Published needs elsewhere: two in CPV group 722, one in 349, one other group."""

    def lisbon(**fields):
        return make_need(actor=cobuyer, authority=second_authority, publish=True, **fields)

    return {
        "parking": lisbon(
            title="Free parking spaces in real time",
            problem="Drivers waste time looking for a parking space in the city centre.",
            cpv_codes=["72212100"],
        ),
        "payroll": lisbon(
            title="Payroll software for municipal staff",
            problem="Salaries are computed in spreadsheets.",
            cpv_codes=["72212000"],
        ),
        "traffic": make_need(
            actor=third_buyer,
            authority=third_authority,
            title="Traffic counting at junctions",
            problem="We count cars by hand twice a year.",
            cpv_codes=["34970000"],
            publish=True,
        ),
        "bins": lisbon(
            title="Parking for refuse lorries",
            problem="Lorries park in the car parks of the city centre.",
            cpv_codes=["90511000"],
        ),
    }


def test_similar_needs_ranks_by_text_within_shared_cpv_groups(published_need, candidates):
    results = selectors.similar_needs(published_need)
    titles = [r.need.title for r in results]
    # "bins" shares words but no CPV group; needs of the same authority never appear.
    assert titles == [
        "Free parking spaces in real time",
        "Traffic counting at junctions",
        "Payroll software for municipal staff",
    ]
    assert results[0].score > results[1].score >= results[2].score
    assert results[0].groups == ("722",)
    assert results[1].groups == ("349",)
    assert results[0].reason.startswith("same CPV group 722; ")
    assert "words in common: " in results[0].reason
    assert "parking" in results[0].common_words
    assert results[2].reason == "same CPV group 722; no words in common"


def test_similar_needs_names_several_shared_groups(
    published_need, make_need, cobuyer, second_authority
):
    make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Car park occupancy sensors",
        cpv_codes=["72212000", "34970000"],
        publish=True,
    )
    (result,) = selectors.similar_needs(published_need)
    assert result.groups == ("349", "722")
    assert result.reason.startswith("same CPV groups 349, 722; ")


def test_similar_needs_skips_drafts_withdrawn_converted_and_own_authority(
    published_need, make_need, cobuyer, second_authority
):
    def lisbon(title, **fields):
        return make_need(
            actor=cobuyer, authority=second_authority, title=title, cpv_codes=["72212000"], **fields
        )

    lisbon("Draft parking")
    withdrawn = lisbon("Withdrawn parking", publish=True)
    services.need_withdraw(actor=cobuyer, need=withdrawn, reason="No budget")
    converted = lisbon("Converted parking", publish=True)
    with transaction.atomic():
        services.mark_converted(converted)
    make_need(title="Our own other parking need", cpv_codes=["72212000"], publish=True)
    assert selectors.similar_needs(published_need) == []


def test_similar_needs_limit_and_ties_newest_first(
    published_need, make_need, cobuyer, second_authority
):
    made = [
        make_need(
            actor=cobuyer,
            authority=second_authority,
            title="Identical wording",
            problem="Identical wording",
            cpv_codes=["72212000"],
            publish=True,
        )
        for _ in range(4)
    ]
    results = selectors.similar_needs(published_need, limit=3)
    assert [r.need.pk for r in results] == [made[3].pk, made[2].pk, made[1].pk]
    assert selectors.similar_needs(published_need, limit=0) == []


def test_similar_needs_without_cpv_codes_is_empty(make_need, candidates):
    need = make_need(title="Parking", cpv_codes=[])
    assert selectors.similar_needs(need) == []


def test_similar_needs_query_count(published_need, candidates, django_assert_num_queries):
    need = selectors.need_detail(public_id=published_need.public_id)
    assert need is not None
    with django_assert_num_queries(2):  # the candidates, and their CPV codes
        results = selectors.similar_needs(need)
        for result in results:
            str(result.need.authority.country)
    assert len(results) == 3


# --- lists and plans -----------------------------------------------------------------------


def test_needs_filtered(published_need, candidates, authority, org_reference):
    assert set(selectors.needs_filtered(division="72")) == {
        published_need,
        candidates["parking"],
        candidates["payroll"],
    }
    assert list(selectors.needs_filtered(country="BEL")) == [published_need]
    assert list(selectors.needs_filtered(country=org_reference.belgium)) == [published_need]
    assert list(selectors.needs_filtered(query="JUNCTIONS")) == [candidates["traffic"]]
    assert list(selectors.needs_filtered(query="Lisbon", division="90")) == [candidates["bins"]]


def test_need_list_query_count(published_need, candidates, django_assert_num_queries):
    with django_assert_num_queries(3):  # count, page, CPV codes
        page = selectors.need_list(page=1)
        for need in page.object_list:
            str(need.authority.country)
            list(need.cpv_codes.all())
            str(need.nuts_region)
    assert page.paginator.count == 5


def test_publishable_authorities(buyer, authority, second_authority, moderator, make_user):
    assert selectors.publishable_authorities(user=buyer) == [authority]
    Membership.objects.create(organisation=second_authority, user=buyer, is_buyer=True)
    assert selectors.publishable_authorities(user=buyer) == [authority, second_authority]
    org_services.organisation_suspend(actor=moderator, organisation=authority, reason="Audit")
    assert selectors.publishable_authorities(user=buyer) == [second_authority]
    assert selectors.publishable_authorities(user=make_user()) == []


def test_authorities_for_interest(cobuyer, buyer, second_authority, published_need):
    assert selectors.authorities_for_interest(user=cobuyer, need=published_need) == [
        second_authority
    ]
    assert selectors.authorities_for_interest(user=buyer, need=published_need) == []
    interest = services.need_express_interest(
        actor=cobuyer, need=published_need, authority=second_authority, quantity="1"
    )
    assert selectors.authorities_for_interest(user=cobuyer, need=published_need) == []
    assert list(selectors.active_interests(need=published_need)) == [interest]
    services.need_withdraw_interest(actor=cobuyer, interest=interest)
    assert list(selectors.active_interests(need=published_need)) == []
    assert selectors.authorities_for_interest(user=cobuyer, need=published_need) == [
        second_authority
    ]


def test_innovation_plan_shows_drafts_to_members_only(
    authority, buyer, authority_admin, outsider, published_need, draft_need
):
    for viewer in (buyer, authority_admin):
        plan = selectors.innovation_plan(authority=authority, viewer=viewer)
        assert plan.drafts == [draft_need]
    plan = selectors.innovation_plan(authority=authority, viewer=outsider)
    assert plan.drafts == []
    assert plan.needs == [published_need]
    assert plan.needs[0].title == PARKING_TITLE
    assert plan.needs[0].status == NeedStatus.PUBLISHED


def test_challenge_url_is_none_until_the_challenges_app_has_pages(authority):
    challenge = Challenge(lead_authority=authority, title="T", summary="S", description="D")
    try:
        expected = reverse("challenges:detail", args=[challenge.public_id])
    except NoReverseMatch:
        expected = None
    assert selectors.challenge_url(challenge) == expected
