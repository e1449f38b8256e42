"""The TED importer on the real notices in ../shared/data (a sample; the full set is
imported by ``govhub bench import``)."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any

import pytest
from lxml import etree

from govhub.core.errors import NotAllowed
from govhub.core.models import AuditEvent
from govhub.opportunities.models import (
    ExternalAward,
    ExternalAwardWinner,
    ExternalLot,
    ExternalNotice,
)
from govhub.opportunities.services import normalise_name, ted_import
from govhub.opportunities.tests.fixtures import CORRECTED, CORRIGENDUM, SEVERAL_CONTRACTORS
from govhub.organisations.models import Organisation, OrganisationKind
from govhub.reference.models import Country

pytestmark = [pytest.mark.shared_data, pytest.mark.django_db]

PARSER = etree.XMLParser(resolve_entities=False, no_network=True)


def _xpath_counts(files: list[Path]) -> dict[str, int]:
    """Counted independently of the importer, with XPath on the original-language form."""
    counts = {"lots": 0, "awards": 0, "winners": 0}
    for path in files:
        root: Any = etree.parse(str(path), PARSER).getroot()
        language = root.xpath("string(//*[local-name()='NOTICE_DATA']/*[local-name()='LG_ORIG'])")
        forms = root.xpath("//*[local-name()='FORM_SECTION']/*[@CATEGORY='ORIGINAL']")
        form: Any = next((f for f in forms if f.get("LG") == language.strip()), forms[0])
        counts["lots"] += int(
            form.xpath("count(*[local-name()='OBJECT_CONTRACT']/*[local-name()='OBJECT_DESCR'])")
        )
        counts["awards"] += int(form.xpath("count(*[local-name()='AWARD_CONTRACT'])"))
        counts["winners"] += int(
            form.xpath(
                "count(*[local-name()='AWARD_CONTRACT']/*[local-name()='AWARDED_CONTRACT']"
                "//*[local-name()='CONTRACTOR'][*[local-name()='ADDRESS_CONTRACTOR']"
                "/*[local-name()='OFFICIALNAME'][normalize-space()]])"
            )
        )
    return counts


def _db_state() -> tuple[int, ...]:
    return (
        ExternalNotice.objects.count(),
        ExternalLot.objects.count(),
        ExternalAward.objects.count(),
        ExternalAwardWinner.objects.count(),
        Organisation.objects.count(),
        AuditEvent.objects.count(),
    )


def test_sample_counts_match_an_independent_xpath_count(reference_data, ted_sample):
    expected = _xpath_counts(ted_sample)

    report = ted_import(paths=ted_sample)

    assert report.files_read == len(ted_sample)
    assert report.skipped == []
    assert report.notices_created == ExternalNotice.objects.count() == len(ted_sample)
    assert report.lots == ExternalLot.objects.count() == expected["lots"]
    assert report.awards == ExternalAward.objects.count() == expected["awards"]
    assert report.winners == ExternalAwardWinner.objects.count() == expected["winners"]
    assert expected["winners"] > 50  # the sample does exercise award notices
    assert report.organisations_created == Organisation.objects.filter(source="ted").count()
    event = AuditEvent.objects.get(action="opportunities.ted_import")  # one for the run
    assert event.after is not None
    assert event.after["notices_created"] == len(ted_sample)


def test_reimport_changes_nothing_and_writes_no_audit_event(reference_data, ted_sample):
    ted_import(paths=ted_sample)
    before = _db_state()
    updated_at = dict(ExternalNotice.objects.values_list("pk", "updated_at"))

    report = ted_import(paths=ted_sample)

    assert (report.notices_created, report.notices_updated) == (0, 0)
    assert report.notices_unchanged == len(ted_sample)
    assert report.organisations_created == 0
    assert _db_state() == before
    assert dict(ExternalNotice.objects.values_list("pk", "updated_at")) == updated_at


def test_a_changed_file_updates_its_notice_without_duplicating(
    reference_data, ted_notices_dir, tmp_path
):
    copy = tmp_path / SEVERAL_CONTRACTORS
    original = (ted_notices_dir / SEVERAL_CONTRACTORS).read_bytes()
    copy.write_bytes(original)
    ted_import(paths=[copy])
    counts = _db_state()[:5]
    copy.write_bytes(original.replace(b"EASME/EMFF/2018/007", b"EASME/EMFF/2018/007-bis"))
    copy.write_bytes(
        copy.read_bytes().replace(
            "<P>Bathymetry — High Resolution Seabed Mapping</P>\n                </TITLE>".encode(),
            b"<P>Bathymetry, corrected</P>\n                </TITLE>",
            1,
        )
    )

    report = ted_import(paths=[copy])

    assert (report.notices_created, report.notices_updated) == (0, 1)
    assert _db_state()[:5] == counts  # lots, awards and winners replaced, not added
    assert ExternalNotice.objects.get().title == "Bathymetry, corrected"


def test_a_malformed_file_is_reported_and_skipped(reference_data, ted_notices_dir, tmp_path):
    broken = tmp_path / "broken.xml"
    broken.write_bytes(b"<TED_EXPORT><CODED_DATA_SECTION>")
    foreign = tmp_path / "foreign.xml"
    foreign.write_bytes(b"<?xml version='1.0'?><rss><channel/></rss>")
    good = ted_notices_dir / SEVERAL_CONTRACTORS

    report = ted_import(paths=[broken, foreign, good])

    reasons = dict(report.skipped)
    assert set(reasons) == {"broken.xml", "foreign.xml"}
    assert reasons["broken.xml"].startswith("malformed XML")
    assert "not a TED export" in reasons["foreign.xml"]
    assert report.notices_created == 1
    assert ExternalNotice.objects.get().file_name == SEVERAL_CONTRACTORS


def test_a_file_with_an_entity_is_not_expanded(reference_data, tmp_path):
    evil = tmp_path / "evil.xml"
    evil.write_bytes(
        b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY e SYSTEM "file:///etc/passwd">]>'
        b"<TED_EXPORT><CODED_DATA_SECTION><NOTICE_DATA><NO_DOC_OJS>&e;</NO_DOC_OJS>"
        b"</NOTICE_DATA></CODED_DATA_SECTION><FORM_SECTION><F02_2014 FORM='F02'/>"
        b"</FORM_SECTION></TED_EXPORT>"
    )

    report = ted_import(paths=[evil])

    assert report.skipped == [("evil.xml", "a DOCTYPE declaration (TED exports have none)")]
    assert not ExternalNotice.objects.exists()


@pytest.mark.parametrize("corrigendum_first", [False, True])
def test_a_corrigendum_corrects_its_notice_in_either_order(
    reference_data, ted_notices_dir, corrigendum_first
):
    files = [ted_notices_dir / CORRECTED, ted_notices_dir / CORRIGENDUM]
    if corrigendum_first:
        files.reverse()

    report = ted_import(paths=files)

    assert report.corrigenda_applied == 1
    corrected = ExternalNotice.objects.get(file_name=CORRECTED)
    corrigendum = ExternalNotice.objects.get(file_name=CORRIGENDUM)
    assert corrigendum.form == "F14"
    assert corrigendum.corrects == corrected
    # The deadline moved from 17 May 2021 23:59 (local) to 21 May 2021 00:00.
    brussels = zoneinfo.ZoneInfo("Europe/Brussels")
    assert corrected.tender_deadline is not None
    assert corrected.tender_deadline.astimezone(brussels).date() == dt.date(2021, 5, 21)
    applied = [c for c in corrigendum.applied_changes if c["applied"]]
    assert [c["field"] for c in applied] == ["tender_deadline"]
    assert applied[0]["old"] == "2021-05-17T21:59:00+00:00"
    assert applied[0]["new"] == "2021-05-20T22:00:00+00:00"
    # Sections this importer does not hold are recorded as not applied.
    assert any(not c["applied"] for c in corrigendum.applied_changes)


def test_a_reimported_corrected_notice_keeps_its_corrigendum(reference_data, ted_notices_dir):
    ted_import(paths=[ted_notices_dir / CORRECTED, ted_notices_dir / CORRIGENDUM])
    deadline = ExternalNotice.objects.get(file_name=CORRECTED).tender_deadline

    report = ted_import(paths=[ted_notices_dir / CORRECTED])

    assert report.notices_unchanged == 1
    assert ExternalNotice.objects.get(file_name=CORRECTED).tender_deadline == deadline


def test_titles_are_kept_in_all_24_languages(reference_data, ted_notices_dir):
    ted_import(paths=[ted_notices_dir / SEVERAL_CONTRACTORS])

    notice = ExternalNotice.objects.get()
    assert len(notice.titles) == 24
    assert notice.titles["en"] == "Bathymetry — High Resolution Seabed Mapping"
    assert notice.titles["bg"].startswith("Батиметрия")
    assert notice.oj_number == "2019/S 001-000002"
    assert notice.form == "F03"
    assert notice.original_language == "en"
    assert notice.publication_date == dt.date(2019, 1, 2)
    assert notice.cpv_main is not None
    assert notice.cpv_main.digits == "79000000"
    assert notice.nuts_codes == ["BE", "BE10"]
    assert str(notice.total_value) == "7439450.70"
    assert notice.currency == "EUR"
    # The original form is the English one, not the Danish translation listed first.
    assert notice.title == "Bathymetry — High Resolution Seabed Mapping"


def test_winners_keep_their_sme_flags_and_published_details(reference_data, ted_notices_dir):
    ted_import(paths=[ted_notices_dir / SEVERAL_CONTRACTORS])

    award = ExternalAward.objects.get()
    assert award.tenders_received == 2
    assert award.award_date == dt.date(2018, 12, 18)
    winners = {w.national_id: w for w in award.winners_rel.all()}
    assert len(winners) >= 5
    assert winners["NL804595859B01"].is_sme is True
    assert winners["FR78130003981"].is_sme is False
    maris = winners["NL804595859B01"]
    assert (maris.town, maris.postal_code, maris.country_code) == ("Voorburg", "2273JJ", "NL")
    assert winners["GB287461957"].country_code == "GB"  # TED's UK


def test_organisations_are_unclaimed_deduplicated_and_matched(
    reference_data, ted_sample, ted_notices_dir
):
    # A real, claimed organisation with the same national ID as a published winner.
    shom = Organisation.objects.create(
        kind=OrganisationKind.RESEARCH,
        name="SHOM",
        country=Country.objects.get(alpha2="FR"),
        national_id="FR 78130003981",
    )

    ted_import(paths=ted_sample)

    imported = Organisation.objects.filter(source="ted")
    assert imported.exists()
    assert not imported.filter(is_claimed=True).exists()
    assert imported.filter(kind=OrganisationKind.AUTHORITY).exists()
    assert imported.filter(kind=OrganisationKind.COMPANY).exists()
    winner = ExternalAwardWinner.objects.get(national_id="FR78130003981")
    assert winner.organisation == shom
    keys = [
        (country_id, national_id or normalise_name(name))
        for country_id, national_id, name in imported.values_list(
            "country_id", "national_id", "name"
        )
    ]
    assert len(keys) == len(set(keys))
    # Parties named more than once became one record each.
    linked = ExternalAwardWinner.objects.exclude(organisation=None).values("organisation")
    assert linked.count() > linked.distinct().count() or imported.count() < (
        ExternalAwardWinner.objects.count() + ExternalNotice.objects.count()
    )


def test_only_an_administrator_may_import(reference_data, ted_notices_dir, outsider):
    before = _db_state()

    with pytest.raises(NotAllowed):
        ted_import(actor=outsider, paths=[ted_notices_dir / SEVERAL_CONTRACTORS])

    assert _db_state() == before


def test_all_real_notices_import_without_a_skip(reference_data, ted_notices_dir):
    """The whole shared set (about 25 s on SQLite): every file is read, none is skipped."""
    files = sorted(ted_notices_dir.glob("*.xml"))
    expected = _xpath_counts(files)

    report = ted_import(paths=[ted_notices_dir])

    assert report.skipped == []
    assert report.notices_created == ExternalNotice.objects.count() == len(files)
    assert report.lots == ExternalLot.objects.count() == expected["lots"]
    assert report.awards == ExternalAward.objects.count() == expected["awards"]
    assert report.winners == ExternalAwardWinner.objects.count() == expected["winners"]
    assert report.corrigenda_applied >= 1
    assert not Organisation.objects.filter(source="ted", is_claimed=True).exists()


def _content() -> list[tuple[Any, ...]]:
    """What an import stored, without ids: notices with their lots, awards and winners."""
    return sorted(
        (
            notice.oj_number,
            notice.title,
            notice.cpv_main_id,
            notice.buyer.name if notice.buyer else "",
            tuple(sorted(notice.cpv_additional.values_list("code", flat=True))),
            tuple(sorted((lot.number, lot.title) for lot in notice.lots.all())),
            tuple(
                sorted(
                    (award.lot_number, winner.name, winner.organisation.name)
                    for award in notice.awards.all()
                    for winner in award.winners_rel.select_related("organisation")
                    if winner.organisation
                )
            ),
        )
        for notice in ExternalNotice.objects.select_related("buyer")
    )


@pytest.mark.django_db(transaction=True)
def test_parsing_in_worker_processes_stores_the_same_as_one_process(reference_data, ted_sample):
    """Outside a transaction the files are parsed by worker processes; nothing differs."""
    report = ted_import(paths=ted_sample, workers=2)
    assert report.workers == 2
    assert report.skipped == []
    assert report.notices_created == len(ted_sample)
    in_workers = (_content(), report.lots, report.awards, report.winners)
    organisations = sorted(Organisation.objects.values_list("name", flat=True))

    ExternalNotice.objects.all().delete()
    Organisation.objects.filter(source="ted").delete()
    report = ted_import(paths=ted_sample, workers=1)
    assert report.workers == 1
    assert (_content(), report.lots, report.awards, report.winners) == in_workers
    assert sorted(Organisation.objects.values_list("name", flat=True)) == organisations


def test_small_batches_store_the_same_and_apply_corrigenda_across_batches(
    reference_data, ted_sample, ted_notices_dir
):
    from govhub.opportunities import services

    # The corrigendum first, its notice in a later batch of 7 files.
    files = [ted_notices_dir / CORRIGENDUM, *ted_sample]
    importer = services.TedImporter(batch_size=7)
    for path in files:
        importer.import_file(path)
    importer.flush()
    assert importer.report.corrigenda_applied == 1
    corrected = ExternalNotice.objects.get(file_name=CORRECTED)
    assert ExternalNotice.objects.get(file_name=CORRIGENDUM).corrects == corrected
    small = _content()

    ExternalNotice.objects.all().delete()
    Organisation.objects.filter(source="ted").delete()
    ted_import(paths=files)
    assert _content() == small
