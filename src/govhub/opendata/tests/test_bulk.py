"""Bulk files: what they hold (public data only), how they are made and downloaded."""

from __future__ import annotations

import csv
import hashlib
import io
import json

import pytest
from django.core.management import call_command

from govhub.core.models import AuditEvent
from govhub.opendata.models import BulkFile
from govhub.opendata.services import bulk_files_regenerate
from govhub.opendata.tables import tables

pytestmark = pytest.mark.django_db


def test_each_table_is_written_as_csv_and_json_with_checksum_and_size(
    client, opendata_storage, published_need, draft_need, published_challenge, challenge_draft
):
    written = bulk_files_regenerate()
    assert len(written) == 2 * len(tables())
    needs_csv = BulkFile.objects.get(name="needs", format="csv")
    path = opendata_storage / needs_csv.path
    body = path.read_bytes()
    assert needs_csv.size == len(body)
    assert needs_csv.sha256 == hashlib.sha256(body).hexdigest()
    rows = list(csv.DictReader(io.StringIO(body.decode())))
    assert [r["id"] for r in rows] == [str(published_need.public_id)]  # never the draft
    assert needs_csv.rows == 1

    response = client.get("/data/bulk/challenges.json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = json.loads(b"".join(response.streaming_content))
    assert [c["id"] for c in data] == [str(published_challenge.public_id)]
    assert response["ETag"] == f'"{BulkFile.objects.get(name="challenges", format="json").sha256}"'


def test_organisations_carry_public_facts_only(client, opendata_storage, authority, company):
    bulk_files_regenerate(only=["organisations"])
    body = (opendata_storage / "opendata/organisations.json").read_text()
    rows = json.loads(body)
    assert {r["name"] for r in rows} == {authority.name, company.name}
    assert "email" not in rows[0]
    assert authority.email not in body if authority.email else True


def test_empty_tables_are_still_valid_files(client, opendata_storage, db):
    bulk_files_regenerate(only=["outcomes"])
    assert json.loads((opendata_storage / "opendata/outcomes.json").read_text()) == []
    assert client.get("/data/bulk/outcomes.csv").status_code == 200


def test_unknown_or_missing_files_are_404(client, opendata_storage, db):
    assert client.get("/data/bulk/needs.csv").status_code == 404
    assert client.get("/data/bulk/../settings.csv").status_code == 404
    assert client.get("/data/bulk/needs.xml").status_code == 404


def test_the_command_builds_every_file(opendata_storage, published_need, capsys):
    call_command("open_data", "build", "--only", "needs")
    out = capsys.readouterr().out
    assert "opendata/needs.csv" in out
    assert "opendata/needs.json" in out
    assert BulkFile.objects.filter(name="needs").count() == 2


def test_a_moderator_regenerates_on_demand(
    client, opendata_storage, moderator, published_need, django_capture_on_commit_callbacks
):
    client.force_login(moderator)
    page = client.get("/open-data/")
    assert "Regenerate the files now" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post("/open-data/regenerate/")
    assert response.status_code == 302
    # The test settings run tasks at once.
    assert BulkFile.objects.filter(name="needs").count() == 2
    assert AuditEvent.objects.filter(action="opendata.regenerate").count() == 1


def test_others_cannot_regenerate(client, opendata_storage, supplier, published_need):
    assert client.post("/open-data/regenerate/").status_code in {302, 403}
    client.force_login(supplier)
    assert "Regenerate the files now" not in client.get("/open-data/").content.decode()
    assert client.post("/open-data/regenerate/").status_code == 403
    assert not BulkFile.objects.exists()
    assert not AuditEvent.objects.filter(action="opendata.regenerate").exists()


def test_the_page_lists_datasets_with_sizes_and_links(
    client, opendata_storage, published_need, django_assert_max_num_queries
):
    bulk_files_regenerate(only=["needs"])
    with django_assert_max_num_queries(12):
        response = client.get("/open-data/")
    html = response.content.decode()
    assert response.status_code == 200
    assert "/data/bulk/needs.csv" in html
    assert "/data/dcat.ttl" in html
    assert "/data/feeds/opportunities.atom" in html
    assert "/api/v1/docs" in html
    assert "1 row" in html
