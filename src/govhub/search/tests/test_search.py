"""Search on real imported TED notices: stemming, cross-lingual hits, facets, typos, pages,
permissions (drafts and sealed proposals never appear), saved searches and their alerts."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from govhub.search import engine
from govhub.search.indexing import reindex
from govhub.search.models import SavedSearch, SearchDocument
from govhub.search.selectors import Filters, SearchResult, highlight, search
from govhub.search.services import saved_search_create, saved_search_send_alerts

PT_HOSPITAL = "Empreitada de construção do novo Hospital Central do Alentejo"
pytestmark = pytest.mark.django_db


def titles(result: SearchResult) -> list[str]:
    return [hit.document.title for hit in result.hits]


def test_query_words_are_stemmed_in_every_language() -> None:
    terms = engine.query_terms("Mappings hôpitaux")
    assert "map" in terms[0] or "mapping" in terms[0]
    assert "hopital" in terms[1] or "hopit" in terms[1]


def test_highlight_marks_stems_and_escapes() -> None:
    html = highlight("Seabed <Mapping> of coasts", {"map", "coast"}, language="en")
    assert "<mark>Mapping</mark>" in html
    assert "&lt;" in html
    assert "<mark>coasts</mark>" in html


@pytest.mark.shared_data
def test_stemming_finds_other_word_forms(indexed_notices: None) -> None:
    result = search(query="seabed mappings")
    assert "Bathymetry — High Resolution Seabed Mapping" in titles(result)
    assert "<mark>" in str(result.hits[0].title_html)


@pytest.mark.shared_data
def test_english_query_finds_the_portuguese_hospital(indexed_notices: None) -> None:
    result = search(query="hospital construction")
    assert PT_HOSPITAL in titles(result)[:5]


@pytest.mark.shared_data
def test_a_typo_still_finds(indexed_notices: None) -> None:
    result = search(query="bathimetry")
    assert result.corrected
    assert any("Bathymetry" in t for t in titles(result))


@pytest.mark.shared_data
def test_facet_counts_are_the_index_counts(indexed_notices: None) -> None:
    result = search(query="", filters=Filters(kind="opportunity"))
    counts = dict(result.facets["country"])
    assert counts["DE"] == SearchDocument.objects.filter(kind="opportunity", country="DE").count()
    assert result.total == SearchDocument.objects.filter(kind="opportunity").count()
    # A facet's own filter does not hide its other values.
    chosen = search(query="", filters=Filters(kind="opportunity", country="PL"))
    assert dict(chosen.facets["country"])["DE"] == counts["DE"]
    assert chosen.total == counts["PL"]


@pytest.mark.shared_data
def test_cursor_pages_do_not_overlap(indexed_notices: None) -> None:
    first = search(query="", filters=Filters(kind="opportunity"), sort="newest", page_size=10)
    second = search(
        query="", filters=Filters(kind="opportunity"), sort="newest", cursor=first.next_cursor,
        page_size=10,
    )  # fmt: skip
    assert first.next_cursor
    assert second.hits
    assert not {h.document.id for h in first.hits} & {h.document.id for h in second.hits}


@pytest.mark.shared_data
def test_search_page_and_api(client, indexed_notices: None, django_assert_max_num_queries) -> None:
    with django_assert_max_num_queries(15):
        response = client.get(reverse("search:search"), {"q": "hospital construction"})
    assert response.status_code == 200
    assert "Alentejo" in response.content.decode()
    api = client.get("/api/v1/search", {"q": "hospital", "kind": "opportunity"})
    assert api.status_code == 200
    assert api.json()["total"] >= 1


def test_drafts_and_sealed_proposals_never_appear(
    make_need, published_need, challenge_draft, make_proposal, open_phase, second_company,
    second_supplier, django_capture_on_commit_callbacks,
) -> None:  # fmt: skip
    with django_capture_on_commit_callbacks(execute=True):
        make_need(title="Quixotic draft zeppelin mooring", problem="Zeppelins drift.")
        make_proposal(open_phase, text="Quixotic sealed zeppelin answer")
        make_proposal(
            open_phase,
            company=second_company,
            actor=second_supplier,
            text="Quixotic draft proposal answer",
            submit=False,
        )
    reindex()
    assert search(query="Quixotic").total == 0
    assert search(query="zeppelin").total == 0
    found_ids = {h.document.public_id for h in search(query=challenge_draft.title).hits}
    assert str(challenge_draft.public_id) not in found_ids
    assert str(open_phase.challenge.public_id) in found_ids
    assert not SearchDocument.objects.exclude(
        kind__in=["need", "challenge", "opportunity", "solution", "organisation"]
    ).exists()
    found = search(query="car parks occupancy")
    assert published_need.title in titles(found)


def test_published_need_is_indexed_on_commit_and_removed_when_withdrawn(
    published_need, buyer, django_capture_on_commit_callbacks
) -> None:
    from govhub.needs import services as need_services

    SearchDocument.objects.all().delete()
    with django_capture_on_commit_callbacks(execute=True):
        published_need.title = published_need.title + " updated"
        published_need.save()
    assert SearchDocument.objects.filter(kind="need", public_id=str(published_need.public_id))
    with django_capture_on_commit_callbacks(execute=True):
        need_services.need_withdraw(actor=buyer, need=published_need, reason="No longer needed.")
    assert not SearchDocument.objects.filter(kind="need").exists()


def test_saved_search_alerts_mail_new_matches(buyer, published_need) -> None:
    SearchDocument.objects.all().delete()
    saved = saved_search_create(actor=buyer, name="Parking", query="parking", filters=Filters())
    assert saved_search_send_alerts() == 0
    reindex(["need"])
    mail.outbox.clear()
    assert saved_search_send_alerts() == 1
    assert published_need.title in mail.outbox[-1].body
    assert saved_search_send_alerts() == 0  # nothing new since the last check
    assert SavedSearch.objects.get(pk=saved.pk).last_checked_at is not None


def test_saved_search_pages(client, buyer) -> None:
    client.force_login(buyer)
    response = client.post(reverse("search:saved-create") + "?q=parking", {"name": "P"})
    assert response.status_code == 302
    saved = SavedSearch.objects.get(user=buyer)
    assert "P" in client.get(reverse("search:saved")).content.decode()
    client.post(reverse("search:saved-delete", args=[saved.public_id]))
    assert not SavedSearch.objects.filter(user=buyer).exists()


def test_query_words_beyond_the_limit_are_ignored() -> None:
    words = " ".join(f"word{chr(97 + i)}" for i in range(20))
    assert len(engine.query_terms(words)) == engine.MAX_QUERY_WORDS


def test_alerts_see_new_matches_when_a_word_matches_more_than_the_candidates(
    monkeypatch,
) -> None:
    """Candidates are capped per query; the newest must be among them, or a saved search's
    alert (``indexed_after``) would miss what was just published behind older matches."""

    from django.utils import timezone

    from govhub.search.indexing import write_document
    from govhub.search.providers import IndexFacts

    monkeypatch.setattr(engine, "CANDIDATES", 3)
    monkeypatch.setattr(engine, "BROAD_CANDIDATES", 3)
    SearchDocument.objects.all().delete()

    def facts(n: int) -> IndexFacts:
        return IndexFacts(
            title=f"Software licences lot {n}",
            body="Software",
            url=f"/o/{n}/",
            public_id=f"p{n}",
            language="en",
        )

    for n in range(6):
        write_document("opportunity", str(n), facts(n))
    since = timezone.now()
    write_document("opportunity", "new", facts(99))
    result = search(query="software", indexed_after=since)
    assert titles(result) == ["Software licences lot 99"]


def test_query_words_of_every_script_are_kept() -> None:
    terms = engine.query_terms("Ремонт на сграда σταθμός")
    assert {"ремонт"} <= terms[0]
    assert "сграда" in terms[2]
    # Greek is stemmed as Greek (a Greek notice is indexed under "σταθμ"), accents folded.
    assert "σταθμ" in terms[3]


def test_cyrillic_and_greek_documents_are_found_by_their_words() -> None:
    from govhub.search.indexing import write_document
    from govhub.search.providers import IndexFacts

    SearchDocument.objects.all().delete()
    for n, (title, language) in enumerate(
        [
            ("Ремонт на сграда на РПС — Луковит", "bg"),
            ("Παροχή υπηρεσιών συμβούλων μελετητών", "el"),
            ("Repair of a building in Lovech", "en"),
        ]
    ):
        write_document(
            "opportunity",
            str(n),
            IndexFacts(title=title, body="", url=f"/o/{n}/", public_id=f"p{n}", language=language),
        )
    assert titles(search(query="сграда")) == ["Ремонт на сграда на РПС — Луковит"]
    assert titles(search(query="Луковит ремонт")) == ["Ремонт на сграда на РПС — Луковит"]
    # Another form of the word, no accent: the Greek stem and the folded query meet.
    assert titles(search(query="συμβουλος")) == ["Παροχή υπηρεσιών συμβούλων μελετητών"]
    assert "<mark>" in str(search(query="сграда").hits[0].title_html)


@pytest.mark.shared_data
def test_real_bulgarian_and_greek_notices_are_found(indexed_notices: None) -> None:
    assert any("Луковит" in t for t in titles(search(query="сграда Луковит")))
    assert any("μελετητών" in t for t in titles(search(query="υπηρεσιών συμβούλων")))


def test_migration_reindexes_documents_with_non_latin_words() -> None:
    """Rows indexed before every script counted: the migration gives them their words."""
    import importlib

    from django.apps import apps
    from django.db import connection

    from govhub.search.indexing import write_document
    from govhub.search.providers import IndexFacts

    migration = importlib.import_module("govhub.search.migrations.0004_non_latin_words")
    SearchDocument.objects.all().delete()
    bg = write_document(
        "opportunity",
        "bg",
        IndexFacts(title="Ремонт на сграда", body="", url="/o/bg/", public_id="bg", language="bg"),
    )
    pl = write_document(
        "opportunity",
        "pl",
        IndexFacts(title="Usługi w Łodzi", body="", url="/o/pl/", public_id="pl", language="pl"),
    )
    en = write_document(
        "opportunity",
        "en",
        IndexFacts(title="Building repair", body="", url="/o/en/", public_id="en", language="en"),
    )
    assert bg is not None
    assert pl is not None
    assert en is not None
    # As the old ASCII-only tokeniser left them: Cyrillic gone, Polish words cut at "ł".
    for doc, old in ((bg, ""), (pl, "us ugi w odzi us ugi w odzi")):
        SearchDocument.objects.filter(pk=doc.pk).update(stems=old)
        engine.backend().write(doc.pk, old, doc.concepts)
    assert search(query="сграда").total == 0
    assert search(query="usługi").total == 0
    en_stems = SearchDocument.objects.get(pk=en.pk).stems

    class Editor:
        """What the migration uses of a schema editor (a real one cannot run inside the test's
        transaction on SQLite)."""

        def __init__(self) -> None:
            self.connection = connection

        def execute(self, sql: str) -> None:
            with connection.cursor() as cursor:
                cursor.execute(sql)

    migration.forwards(apps, Editor())
    assert titles(search(query="сграда")) == ["Ремонт на сграда"]
    assert titles(search(query="usługi Łódź")) == ["Usługi w Łodzi"]
    assert SearchDocument.objects.get(pk=en.pk).stems == en_stems


def test_a_filter_finds_matches_beyond_the_capped_candidates(monkeypatch) -> None:
    """Candidates are capped per query; a filter must not show only the few of them that
    pass it: a filtered search matches among the admitted documents only."""
    from govhub.search.indexing import write_document
    from govhub.search.providers import IndexFacts

    monkeypatch.setattr(engine, "CANDIDATES", 3)
    monkeypatch.setattr(engine, "BROAD_CANDIDATES", 3)
    SearchDocument.objects.all().delete()
    # The Portuguese notice is where the capped candidates are not: the oldest on SQLite
    # (whose candidates are the newest), the last written on PostgreSQL (whose candidates come
    # in table order; a position in the middle could move into reused space).
    from django.db import connection

    countries = ["DE"] * 6
    countries.insert(0 if connection.vendor == "sqlite" else 6, "PT")
    for n, country in enumerate(countries):
        write_document(
            "opportunity",
            str(n),
            IndexFacts(
                title=f"Software licences {country} {n}",
                body="Software",
                url=f"/o/{n}/",
                public_id=f"p{n}",
                language="en",
                country=country,
            ),
        )
    everything = search(query="software")
    pt_title = f"Software licences PT {countries.index('PT')}"
    assert pt_title not in titles(everything)  # capped: not a candidate
    found = search(query="software", filters=Filters(country="PT"))
    assert titles(found) == [pt_title]
    assert found.total == 1
    counts = dict(found.facets["country"])
    assert counts["PT"] == 1
    assert counts.get("DE", 0) >= 1  # the other values still counted (documents with the words)
    monkeypatch.setattr(engine, "CANDIDATES", 500)
    monkeypatch.setattr(engine, "BROAD_CANDIDATES", 500)
    assert search(query="software", filters=Filters(country="DE")).total == 6


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        (Filters(country="pt"), {"pt-45", "pt-72"}),
        (Filters(cpv_division="45"), {"pt-45", "de-45"}),
        (Filters(nuts="PT1"), {"pt-45"}),
        (Filters(nuts="PT18"), {"pt-45"}),
        (Filters(nuts="DE300"), {"de-45"}),
        (Filters(country="PT", cpv_division="72"), {"pt-72"}),
        (Filters(country="XYZ"), set()),
    ],
)
def test_filters_admit_exactly_the_matching_documents(filters: Filters, expected: set[str]) -> None:
    """The filters inside the engines' candidate queries admit exactly the documents the
    page's SQL filters do."""
    from govhub.search.indexing import write_document
    from govhub.search.providers import IndexFacts

    SearchDocument.objects.all().delete()
    for key, country, codes, nuts in [
        ("pt-45", "PT", ["45210000"], "PT181"),
        ("pt-72", "PT", ["72000000"], "PT300"),
        ("de-45", "DE", ["45000000"], "DE300"),
    ]:
        write_document(
            "opportunity",
            key,
            IndexFacts(
                title=f"Hospital works {key}", body="", url=f"/o/{key}/", public_id=key,
                language="en", country=country, cpv_codes=codes, nuts=nuts,
            ),
        )  # fmt: skip
    found = search(query="hospital works", filters=filters)
    assert {hit.document.public_id for hit in found.hits} == expected
    assert found.total == len(expected)
