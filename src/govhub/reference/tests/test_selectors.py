from __future__ import annotations

from govhub.reference import selectors


def codes(objs) -> list[str]:
    return [o.code for o in objs]


def test_cpv_search_by_code_prefix_puts_the_broadest_first(reference_data):
    found = selectors.cpv_search("45", language="en")
    assert found[0].code == "45000000-7"
    assert all(c.digits.startswith("45") for c in found)
    assert len(found) == 10


def test_cpv_search_by_full_code_with_or_without_check_digit(reference_data):
    assert codes(selectors.cpv_search("45215140-0", language="en")) == ["45215140-0"]
    assert codes(selectors.cpv_search("45215140", language="en")) == ["45215140-0"]


def test_cpv_search_by_english_words(reference_data):
    found = selectors.cpv_search("hospital beds", language="en")
    assert found[0].code == "33192120-9"
    found = selectors.cpv_search("Construction", language="en", limit=5)
    assert "45000000-7" in codes(found)


def test_cpv_search_in_romanian_and_english_fallback(reference_data):
    assert "14211000-3" in codes(selectors.cpv_search("nisip", language="ro"))
    assert selectors.cpv_search("nisip", language="en") == []
    # No French CPV labels: French readers search the English ones.
    assert "14211000-3" in codes(selectors.cpv_search("sand", language="fr"))


def test_cpv_search_ignores_accents_and_case(reference_data):
    assert "14211000-3" in codes(selectors.cpv_search("NISÍP", language="ro"))


def test_cpv_search_empty_query_finds_nothing(reference_data):
    assert selectors.cpv_search("  ", language="en") == []


def test_nuts_search_by_code_prefix(reference_data):
    found = selectors.nuts_search("pt1", language="en")
    assert found[0].code == "PT1"
    assert all(r.code.startswith("PT1") for r in found)


def test_nuts_search_by_french_name(reference_data):
    found = selectors.nuts_search("Allemagne", language="fr")
    assert found[0].code == "DE"
    assert found[0].labels["fr"] == "Allemagne"


def test_nuts_search_by_local_name_without_accents(reference_data):
    assert "DE212" in codes(selectors.nuts_search("munchen", language="en"))


def test_nuts_search_filters_by_country(reference_data):
    assert codes(selectors.nuts_search("lisboa", language="en", country="PT")) == ["PT1A0"]
    assert codes(selectors.nuts_search("lisboa", language="en", country="PRT")) == ["PT1A0"]
    assert selectors.nuts_search("lisboa", language="en", country="ES") == []
    # ISO says GR, NUTS says EL.
    assert all(
        r.country_code == "EL" for r in selectors.nuts_search("el", language="en", country="GR")
    )


def test_cpv_lookup_reports_unknown_codes(reference_data):
    found, unknown = selectors.cpv_lookup(["45215140-0", "03000000", "45215140-1", "99999999", "x"])
    assert codes(found) == ["45215140-0", "03000000-1"]
    assert unknown == ["45215140-1", "99999999", "x"]


def test_cpv_by_codes_keeps_order_and_drops_repeats(reference_data):
    found = selectors.cpv_by_codes(["03000000-1", "45000000", "03000000"])
    assert codes(found) == ["03000000-1", "45000000-7"]


def test_country_lookups(reference_data):
    greece = selectors.country_by_code("GR")
    assert greece is not None
    assert greece.code == "GRC"
    assert selectors.country_by_code("grc") == greece
    assert selectors.countries(eu_only=True).count() == 27
    assert selectors.nuts_country_code("GRC") == "EL"


def test_codelist_lookups(reference_data):
    entry = selectors.codelist_entry("buyer-legal-type", "body-pl")
    assert entry is not None
    assert entry.label == "Body governed by public law"
    assert selectors.codelist_entries("eu-programme").count() == 145
    assert selectors.codelist_entry("language", "FRA").extra["alpha2"] == "fr"  # type: ignore[union-attr]


def test_searches_take_few_queries(reference_data, django_assert_max_num_queries):
    with django_assert_max_num_queries(1):
        selectors.cpv_search("construction work", language="en")
    with django_assert_max_num_queries(2):
        selectors.nuts_search("de", language="en")
