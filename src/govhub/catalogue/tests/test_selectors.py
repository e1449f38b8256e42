"""Faceted search: counts per facet value, filters, sorting, and a fixed number of queries."""

from __future__ import annotations

from typing import Any

import pytest

from govhub.catalogue import selectors, services
from govhub.catalogue.models import Solution
from govhub.catalogue.selectors import Filters

pytestmark = pytest.mark.django_db


@pytest.fixture
def catalogue(make_solution, supplier, company, moderator, org_reference):
    a = make_solution(
        actor=supplier,
        provider=company,
        publish_by=moderator,
        name="Alpha Booking",
        categories=["citizen_services", "data"],
        licence="EUPL-1.2",
        delivery_model="open_source",
    )
    b = make_solution(
        actor=supplier,
        provider=company,
        publish_by=moderator,
        name="Beta Health",
        categories=["health"],
        licence="LicenseRef-Proprietary",
        delivery_model="saas",
        supported_countries=[org_reference.france],
    )
    Solution.objects.filter(pk=b.pk).update(ai_risk_category="high", interoperability_level="full")
    draft = make_solution(actor=supplier, provider=company, name="Gamma Draft")
    return a, b, draft


def _facet(result, name):
    return {v.value: v.count for v in result.facets[name]}


def test_only_published_entries_with_facet_counts(catalogue):
    result = selectors.solution_search(filters=Filters())
    assert [s.name for s in result.page.object_list] == ["Alpha Booking", "Beta Health"]
    assert _facet(result, "category") == {"citizen_services": 1, "data": 1, "health": 1}
    assert _facet(result, "country") == {"BEL": 1, "FRA": 2}
    assert _facet(result, "licence") == {"EUPL-1.2": 1, "LicenseRef-Proprietary": 1}
    assert _facet(result, "delivery_model") == {"open_source": 1, "saas": 1}
    assert _facet(result, "ai_risk_category") == {"high": 1}
    assert _facet(result, "interoperability_level") == {"full": 1}
    assert result.open_source_count == 1


def test_filters_and_own_facet_stays_open(catalogue):
    result = selectors.solution_search(filters=Filters(categories=["health"]))
    assert [s.name for s in result.page.object_list] == ["Beta Health"]
    # The category facet ignores its own choice: the other categories stay choosable.
    assert _facet(result, "category")["citizen_services"] == 1
    assert _facet(result, "licence") == {"LicenseRef-Proprietary": 1}
    for filters, names in [
        (Filters(countries=["BEL"]), ["Alpha Booking"]),
        (Filters(licences=["EUPL-1.2"]), ["Alpha Booking"]),
        (Filters(delivery_models=["saas"]), ["Beta Health"]),
        (Filters(ai_risk_categories=["high"]), ["Beta Health"]),
        (Filters(interoperability_levels=["full"]), ["Beta Health"]),
        (Filters(open_source=True), ["Alpha Booking"]),
        (Filters(query="alpha"), ["Alpha Booking"]),
    ]:
        found = selectors.solution_search(filters=filters).page.object_list
        assert [s.name for s in found] == names, filters


def test_adopted_in_my_country_and_sorts(catalogue, buyer, authority):
    _a, b, _draft = catalogue
    adoption = services.adoption_record(actor=buyer, solution=b, authority=authority)
    services.review_create(actor=buyer, adoption=adoption, rating=4, title="Good", body="Yes.")
    result = selectors.solution_search(filters=Filters(adopted_in="BEL"), my_country="BEL")
    assert [s.name for s in result.page.object_list] == ["Beta Health"]
    assert result.adopted_in_count == 1
    top: list[Any] = list(
        selectors.solution_search(filters=Filters(), sort="most_adopted").page.object_list
    )
    assert [s.name for s in top] == ["Beta Health", "Alpha Booking"]
    assert top[0].adoption_count == 1
    assert top[0].adoption_countries == 1
    rated: list[Any] = list(
        selectors.solution_search(filters=Filters(), sort="best_rated").page.object_list
    )
    assert rated[0].average_rating == 4


def test_reuse_summary_groups_by_region(catalogue, buyer, authority, cobuyer, second_authority):
    a, _b, _draft = catalogue
    services.adoption_record(actor=buyer, solution=a, authority=authority)
    services.adoption_record(actor=cobuyer, solution=a, authority=second_authority)
    summary = selectors.reuse_summary(a)
    assert summary.authorities == 2
    assert summary.countries == 2
    assert [g.code for g in summary.regions] == ["BE100", "PT1A0"]


def test_query_count_does_not_grow_with_the_page(
    make_solution, supplier, company, moderator, django_assert_max_num_queries
):
    for n in range(30):
        make_solution(
            actor=supplier,
            provider=company,
            publish_by=moderator,
            name=f"Solution {n:02d}",
            categories=["data", "health"],
        )
    with django_assert_max_num_queries(12):
        result = selectors.solution_search(filters=Filters(categories=["data"]), per_page=30)
        rows = list(result.page.object_list)
        for row in rows:
            list(row.categories.all())
            _ = row.provider.country.label
    assert len(rows) == 30
