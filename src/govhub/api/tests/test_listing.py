"""The list skeleton the endpoints share: optional filters, word search, 404, sorting."""

from __future__ import annotations

import pytest
from django.http import Http404
from django.test import RequestFactory

from govhub.api.listing import Listing, first_or_404, search_words, upper, where
from govhub.core.errors import InvalidInput
from govhub.reference.models import Country

pytestmark = pytest.mark.django_db


@pytest.fixture
def countries():
    # Codes from the ISO user-assigned range: other tests may leave real countries behind.
    for code, alpha2, is_eu, text in [
        ("ZZB", "Z1", True, "xbelgium xbelgique"),
        ("ZZN", "Z2", False, "xnorway xnorge"),
        ("ZZP", "Z3", True, "xportugal"),
    ]:
        Country.objects.create(
            code=code, alpha2=alpha2, is_eu=is_eu, labels={"en": code}, search_text=text
        )
    return Country.objects.filter(code__in=["ZZB", "ZZN", "ZZP"])


def _codes(qs):
    return sorted(qs.values_list("code", flat=True))


def test_where_skips_the_parameters_left_out_but_filters_on_false(countries):
    assert _codes(where(countries, code=None, alpha2="")) == ["ZZB", "ZZN", "ZZP"]
    assert _codes(where(countries, is_eu=False, code=None)) == ["ZZN"]
    assert _codes(where(countries, is_eu=True, alpha2="Z3")) == ["ZZP"]


def test_search_words_needs_every_word_in_one_of_the_fields(countries):
    qs = countries
    assert _codes(search_words(qs, None, "code", "search_text")) == ["ZZB", "ZZN", "ZZP"]
    assert _codes(search_words(qs, "xbelg", "code", "search_text")) == ["ZZB"]
    assert _codes(search_words(qs, "xnor xnorge", "code", "search_text")) == ["ZZN"]
    assert _codes(search_words(qs, "xnor xportugal", "code", "search_text")) == []


def test_upper_and_first_or_404(countries):
    assert upper("bel") == "BEL"
    assert upper("") is None
    assert first_or_404(countries, code="ZZP").alpha2 == "Z3"
    with pytest.raises(Http404):
        first_or_404(countries.filter(is_eu=True), code="ZZN")


def test_listing_sorts_by_public_names_and_pages(countries):
    listing: Listing[Country] = Listing(serialize=lambda c: c.code, ordering={"country": "code"})
    request = RequestFactory().get("/api/v1/countries", {"ordering": "-country"})
    page = listing.page(request, countries, limit=2, offset=0, ordering="-country")
    assert page["count"] == 3
    assert page["results"] == ["ZZP", "ZZN"]
    assert page["previous"] is None
    assert "offset=2" in page["next"]
    with pytest.raises(InvalidInput):
        listing.page(request, countries, limit=2, offset=0, ordering="alpha2")


def test_a_listing_without_sort_names_keeps_the_querysets_order(countries):
    listing: Listing[Country] = Listing(serialize=lambda c: c.code)
    request = RequestFactory().get("/api/v1/countries")
    qs = countries.order_by("-alpha2")
    page = listing.page(request, qs, limit=10, offset=1)
    assert page["results"] == ["ZZN", "ZZB"]
