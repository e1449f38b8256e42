"""Two TED imports at once (two `govhub import-ted` processes, or the import task twice)
naming the same organisations that are not in the database yet: one row each, not two."""

from __future__ import annotations

import contextlib
import sqlite3
import threading
from pathlib import Path
from typing import Any

import pytest
from django.db import connection, connections, transaction

from govhub.opportunities.models import ExternalAwardWinner, ExternalNotice
from govhub.opportunities.services import OrganisationIndex, TedImporter
from govhub.opportunities.ted import parse_notice
from govhub.organisations.models import Organisation, OrganisationKind
from govhub.reference.models import Country

pytestmark = pytest.mark.shared_data

# An award notice: a French buyer and three winners, none of them known before the import.
NOTICE = "061944-2017.xml"
PARTIES = 4


def _two_notices_naming_the_same_parties(source: Path, tmp_path: Path) -> list[Path]:
    """Two notices (different OJ numbers, so neither updates the other) of the same parties."""
    original = source.read_bytes()
    copies = []
    for number in (b"2017/S 034-961944", b"2017/S 034-961945"):
        copy = tmp_path / f"{number.decode()[-6:]}.xml"
        copy.write_bytes(original.replace(b"2017/S 034-061944", number, 1))
        copies.append(copy)
    return copies


def _assert_each_party_stored_once() -> None:
    assert ExternalNotice.objects.count() == 2
    assert Organisation.objects.filter(source="ted").count() == PARTIES
    first, second = ExternalNotice.objects.order_by("oj_number")
    assert first.buyer_id == second.buyer_id is not None
    winners = ExternalAwardWinner.objects.values_list("award__notice_id", "organisation_id")
    by_notice: dict[int, set[Any]] = {}
    for notice_id, organisation_id in winners:
        by_notice.setdefault(notice_id, set()).add(organisation_id)
    assert by_notice[first.pk] == by_notice[second.pk]
    assert len(by_notice[first.pk]) == PARTIES - 1


@pytest.mark.django_db
def test_an_import_matches_what_another_created_after_it_started(
    reference_data, ted_notices_dir, tmp_path
):
    # Both runs read the organisations first (none of these exist yet), then write in turn:
    # the second must not trust what it read at its start.
    first_file, second_file = _two_notices_naming_the_same_parties(
        ted_notices_dir / NOTICE, tmp_path
    )
    first, second = TedImporter(), TedImporter()

    first.import_file(first_file)
    first.flush()
    second.import_file(second_file)
    second.flush()

    assert (first.report.organisations_created, second.report.organisations_created) == (
        PARTIES,
        0,
    )
    _assert_each_party_stored_once()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="needs two writers at once: SQLite's IMMEDIATE transactions queue writers, and "
    "its shared in-memory test database does not run them concurrently",
)
def test_two_imports_at_once_create_each_new_organisation_once(
    reference_data, ted_notices_dir, tmp_path, monkeypatch
):
    files = _two_notices_naming_the_same_parties(ted_notices_dir / NOTICE, tmp_path)
    started = threading.Barrier(2)
    # Each run, once it has caught up with the organisations in the database, waits for the
    # other to have done so too, so that without a lock both would match against the same
    # (empty) state and both insert. With the lock the second cannot catch up before the
    # first commits: the first waits in vain for a moment, then goes on alone.
    caught_up = threading.Barrier(2, timeout=3)
    refresh = OrganisationIndex.refresh
    writing = threading.local()  # past the start: refreshes are now the batch's

    def refresh_then_wait(index: OrganisationIndex) -> None:
        refresh(index)
        if getattr(writing, "now", False):
            with contextlib.suppress(threading.BrokenBarrierError):
                caught_up.wait()

    errors: list[BaseException] = []
    reports: list[Any] = []

    def run(path: Path) -> None:
        try:
            importer = TedImporter()  # reads the organisations: none of the parties yet
            started.wait()
            writing.now = True
            importer.import_file(path)
            importer.flush()
            reports.append(importer.report)
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            connections.close_all()

    monkeypatch.setattr(OrganisationIndex, "refresh", refresh_then_wait)
    threads = [threading.Thread(target=run, args=(path,)) for path in files]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert sorted(r.organisations_created for r in reports) == [0, PARTIES]
    assert all(r.skipped == [] for r in reports)
    _assert_each_party_stored_once()


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's writers insert one at a time: a row committed late never has a lower key",
)
def test_an_import_matches_an_organisation_whose_key_was_taken_before_it_read(
    reference_data, ted_notices_dir, tmp_path
):
    # Someone registers the notice's buyer (no import lock there): the row has its key, but
    # commits only after the import has read the organisations, and after another row with
    # a higher key was committed. Reading by key alone, the import never sees it.
    path = ted_notices_dir / NOTICE
    buyer = parse_notice(path.read_bytes()).buyer
    assert buyer is not None
    country = Country.objects.get(alpha2=buyer.country)
    inserted, read = threading.Event(), threading.Event()
    registered: list[int] = []
    errors: list[BaseException] = []

    def register() -> None:
        try:
            with transaction.atomic():
                org = Organisation.objects.create(
                    kind=OrganisationKind.AUTHORITY, name=buyer.name, country=country
                )
                registered.append(org.pk)
                inserted.set()
                assert read.wait(timeout=10)
        except BaseException as error:  # reported by the test below
            errors.append(error)
        finally:
            inserted.set()
            connections.close_all()

    thread = threading.Thread(target=register)
    thread.start()
    try:
        assert inserted.wait(timeout=10)
        later = Organisation.objects.create(
            kind=OrganisationKind.COMPANY, name="Registered meanwhile", country=country
        )
        importer = TedImporter()
        assert importer.organisations.last_pk == later.pk > registered[0]
        assert importer.organisations.find(country.pk, "", buyer.name) is None
    finally:
        read.set()
        thread.join()
    assert errors == []

    importer.import_file(path)
    importer.flush()

    assert importer.report.organisations_created == PARTIES - 1
    assert Organisation.objects.filter(name=buyer.name).count() == 1
    assert ExternalNotice.objects.get().buyer_id == registered[0]


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's single write lock")
def test_starting_an_import_does_not_wait_for_another_writer(reference_data):
    country = Country.objects.get(alpha2="FR")
    org = Organisation.objects.create(
        kind=OrganisationKind.AUTHORITY, name="Ville de Test", country=country
    )
    name = connection.settings_dict["NAME"]
    other = sqlite3.connect(name, uri=str(name).startswith("file:"), timeout=0.1)
    other.isolation_level = None
    with connection.cursor() as cursor:
        # Fail at once rather than after the settings' 20 s if the write lock is wanted.
        cursor.execute("PRAGMA busy_timeout = 100")
    try:
        other.execute("BEGIN IMMEDIATE")  # another import or a user, writing meanwhile
        importer = TedImporter()
        # The writer still holds its lock: the importer read without asking for it.
        assert other.in_transaction
    finally:
        other.rollback()
        other.close()
        with connection.cursor() as cursor:
            cursor.execute("PRAGMA busy_timeout = 20000")

    assert importer.organisations.find(country.pk, "", "Ville de Test") == org.pk
