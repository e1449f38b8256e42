"""core.bulk: rows inserted without model instances, read back as the ORM wrote them."""

from __future__ import annotations

import datetime as dt
import uuid
import zoneinfo
from decimal import Decimal

import pytest
from django.db import connection
from django.utils import timezone

from govhub.core.bulk import bulk_insert, insert_rows
from govhub.opportunities.models import ExternalAward, ExternalLot, ExternalNotice
from govhub.organisations.models import Organisation, OrganisationKind

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


def _notice(oj_number: str = "2019/S 001-000002") -> ExternalNotice:
    return ExternalNotice.objects.create(oj_number=oj_number, file_name="x.xml", form="F03")


def test_rows_are_stored_with_the_defaults_of_the_fields_left_out(country, monkeypatch):
    belgium = country("BE")
    now = timezone.now()

    def no_instances(*args: object, **kwargs: object) -> None:
        raise AssertionError("insert_rows built a model instance")

    monkeypatch.setattr(Organisation, "__init__", no_instances)
    pks = insert_rows(
        Organisation,
        ("kind", "name", "country_id", "external_ids"),
        [
            (OrganisationKind.AUTHORITY, "Ville de Bruxelles", belgium.pk, {"ted": "1"}),
            (OrganisationKind.COMPANY, "Zeta SA", belgium.pk, {}),
        ],
        now=now,
    )
    monkeypatch.undo()

    first, second = (Organisation.objects.get(pk=pk) for pk in pks)
    assert (first.name, first.kind, first.country, first.external_ids) == (
        "Ville de Bruxelles",
        OrganisationKind.AUTHORITY,
        belgium,
        {"ted": "1"},
    )
    assert second.name == "Zeta SA"
    assert second.external_ids == {}
    # Defaults as Model.__init__ gives them: constants, a new UUID per row, the same moment.
    assert first.is_claimed is True
    assert first.status == "unverified"
    assert first.description == ""
    assert first.nuts_region is None
    assert isinstance(first.public_id, uuid.UUID)
    assert first.public_id != second.public_id
    assert first.created_at == first.updated_at == second.created_at == now


def test_dates_decimals_and_json_round_trip(db):
    deadline = dt.datetime(2019, 2, 11, 14, 30, tzinfo=BRUSSELS)
    (pk,) = insert_rows(
        ExternalNotice,
        (
            "oj_number",
            "form",
            "publication_date",
            "tender_deadline",
            "estimated_value",
            "titles",
            "nuts_codes",
            "buyer",  # a foreign key by its name: its column
        ),
        [
            (
                "2019/S 001-000002",
                "F02",
                dt.date(2019, 1, 2),
                deadline,
                Decimal("1234567.89"),
                {"fr": "Levé bathymétrique", "en": "Bathymetric survey"},
                ["BE1", "BE10"],
                None,
            )
        ],
    )
    notice = ExternalNotice.objects.get(pk=pk)
    assert notice.publication_date == dt.date(2019, 1, 2)
    assert notice.tender_deadline == deadline
    assert notice.estimated_value == Decimal("1234567.89")
    assert notice.titles == {"fr": "Levé bathymétrique", "en": "Bathymetric survey"}
    assert notice.nuts_codes == ["BE1", "BE10"]
    assert notice.buyer is None
    assert notice.changes == []
    assert notice.applied_changes == []
    assert notice.source == "ted"
    assert notice.total_value is None
    assert notice.applied_at is None


def test_many_rows_keep_their_order_across_chunks(db):
    notice = _notice()
    fields = ("notice_id", "number", "title", "nuts_codes", "estimated_value", "currency")
    count = connection.ops.bulk_batch_size(list(fields), [None] * 10_000) * 2 + 7
    count = min(max(count, 300), 5_000)
    rows = [(notice.pk, str(n), f"Lot {n}", list[str](), Decimal(n), "EUR") for n in range(count)]

    pks = insert_rows(ExternalLot, fields, rows)

    assert len(pks) == len(set(pks)) == count
    stored = dict(ExternalLot.objects.values_list("pk", "number"))
    assert [stored[pk] for pk in pks] == [str(n) for n in range(count)]


def test_without_returning_nothing_is_read_back(db, django_assert_num_queries):
    notice = _notice()
    fields = ("notice_id", "lot_number", "is_awarded", "award_date", "value", "tenders_received")
    rows: list[tuple[object, ...]] = [
        (notice.pk, str(n), n % 2 == 0, dt.date(2019, 1, 1 + n), None, n) for n in range(20)
    ]

    with django_assert_num_queries(1):  # one executemany
        assert insert_rows(ExternalAward, fields, rows, returning=False) == []

    stored = list(
        ExternalAward.objects.order_by("pk").values_list(
            "lot_number", "is_awarded", "award_date", "value", "tenders_received"
        )
    )
    assert stored == [(str(n), n % 2 == 0, dt.date(2019, 1, 1 + n), None, n) for n in range(20)]


def test_nothing_to_insert_makes_no_query(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert insert_rows(ExternalLot, ("notice_id",), []) == []
        assert bulk_insert(ExternalLot, []) == []


def test_unknown_fields_and_rows_of_the_wrong_width_are_refused(db):
    notice = _notice()
    with pytest.raises(ValueError, match="no concrete field"):
        insert_rows(ExternalLot, ("notice_id", "colour"), [(notice.pk, "red")])
    with pytest.raises(ValueError, match="named twice"):
        insert_rows(ExternalLot, ("notice", "notice_id"), [(notice.pk, notice.pk)])
    with pytest.raises(ValueError, match="2 values for 1 fields"):
        insert_rows(ExternalLot, ("notice_id",), [(notice.pk, "1")])
    assert not ExternalLot.objects.exists()


def test_bulk_insert_sets_primary_keys_and_timestamps_on_the_instances(db):
    notice = _notice()
    lots = [ExternalLot(notice=notice, number=str(n), nuts_codes=["BE1"]) for n in range(3)]

    returned = bulk_insert(ExternalLot, lots)

    assert returned == lots
    assert all(lot.pk is not None and not lot._state.adding for lot in lots)
    for lot in lots:
        stored = ExternalLot.objects.get(pk=lot.pk)
        assert (stored.number, stored.public_id, stored.nuts_codes) == (
            lot.number,
            lot.public_id,
            ["BE1"],
        )
        assert stored.created_at == lot.created_at == stored.updated_at == lot.updated_at
