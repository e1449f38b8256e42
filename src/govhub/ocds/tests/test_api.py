"""OCDS API endpoints and bulk downloads: valid packages, drafts never shown."""

from __future__ import annotations

import json
import uuid

import pytest
from django.core.files.storage import default_storage
from django.urls import reverse

from govhub.ocds import tasks
from govhub.ocds.publication import BULK_DIR, build_bulk_files
from govhub.ocds.validation import validation_errors

pytestmark = pytest.mark.django_db


@pytest.fixture
def bulk_storage(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "django.core.files.storage.FileSystemStorage",
            "OPTIONS": {"location": str(tmp_path)},
        },
    }
    return tmp_path


def get(client, url, **params):
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return response.json()


def test_challenge_release_and_record_packages(client, published_challenge):
    base = f"/api/v1/ocds/challenges/{published_challenge.public_id}"
    releases = get(client, f"{base}/releases")
    assert validation_errors(releases, "release-package") == []
    assert releases["releases"][0]["tag"] == ["tender"]
    record = get(client, f"{base}/record")
    assert validation_errors(record, "record-package") == []
    assert record["records"][0]["ocid"] == releases["releases"][0]["ocid"]


def test_drafts_and_unknown_challenges_are_not_found(client, challenge_draft):
    for cid in (challenge_draft.public_id, uuid.uuid4()):
        for tail in ("releases", "record"):
            response = client.get(f"/api/v1/ocds/challenges/{cid}/{tail}")
            assert response.status_code == 404


def test_paginated_lists(client, make_challenge, challenge_draft, django_assert_max_num_queries):
    for n in range(3):
        make_challenge(title=f"Challenge {n}", open_first=True)
    with django_assert_max_num_queries(20):
        page = get(client, "/api/v1/ocds/releases", limit=2)
    assert validation_errors(page, "release-package") == []
    assert page["count"] == 3
    assert page["next"]
    assert page["links"]["next"] == page["next"]
    assert len({r["ocid"] for r in page["releases"]}) == 2
    rest = get(client, "/api/v1/ocds/releases", limit=2, offset=2)
    assert len({r["ocid"] for r in rest["releases"]}) == 1
    assert rest["previous"]
    assert rest["next"] is None
    records = get(client, "/api/v1/ocds/records", limit=10)
    assert validation_errors(records, "record-package") == []
    assert records["count"] == 3
    assert len(records["records"]) == 3
    assert str(challenge_draft.public_id) not in json.dumps(records)


def test_bulk_files_built_and_served(client, bulk_storage, published_challenge, challenge_draft):
    built = build_bulk_files()
    assert [f.name for f in built] == ["releases.json", "records.json"]
    assert all(f.count == 1 for f in built)
    assert default_storage.exists(f"{BULK_DIR}/releases.json")
    response = client.get(reverse("ocds:bulk-releases"))
    assert response.status_code == 200
    package = json.loads(b"".join(response.streaming_content))
    assert validation_errors(package, "release-package") == []
    assert str(challenge_draft.public_id) not in json.dumps(package)


def test_bulk_files_built_on_demand(client, bulk_storage, published_challenge):
    assert not default_storage.exists(f"{BULK_DIR}/records.json")
    response = client.get(reverse("ocds:bulk-records"))
    assert response.status_code == 200
    package = json.loads(b"".join(response.streaming_content))
    assert validation_errors(package, "record-package") == []
    assert len(package["records"]) == 1


def test_bulk_task(bulk_storage, published_challenge):
    result = tasks.build_ocds_bulk_files.enqueue()
    assert result.return_value is not None
    assert [f["name"] for f in result.return_value] == ["releases.json", "records.json"]


def test_imported_processes_list(client, tmp_path):
    from govhub.ocds.importer import ocds_import
    from govhub.ocds.tests.test_import import AWARD, TENDER, package, write

    ocds_import(paths=[write(tmp_path, "p.json", package(TENDER, AWARD))])
    data = get(client, "/api/v1/ocds/imported", q="street")
    assert data["count"] == 1
    [row] = data["results"]
    assert row["ocid"] == TENDER["ocid"]
    assert row["awards"][0]["suppliers"] == [{"id": "S1", "name": "Lumen Ltd"}]
    assert get(client, "/api/v1/ocds/imported", q="nothing-like-this")["count"] == 0


def test_imported_processes_search_and_pages(client, tmp_path):
    from govhub.ocds.importer import ocds_import
    from govhub.ocds.tests.test_import import AWARD, TENDER, package, write

    ocds_import(paths=[write(tmp_path, "p.json", package(TENDER, AWARD))])
    # Every word, each in the title or the buyer's name, in any case.
    assert get(client, "/api/v1/ocds/imported", q="LIGHTS testville")["count"] == 1
    assert get(client, "/api/v1/ocds/imported", q="lights elsewhere")["count"] == 0
    page = get(client, "/api/v1/ocds/imported", limit=1, offset=0)
    assert (page["count"], page["previous"], page["next"]) == (1, None, None)
    # The offset has no upper bound (past the end there is simply nothing).
    assert get(client, "/api/v1/ocds/imported", offset=10**12)["results"] == []
    assert client.get("/api/v1/ocds/imported", {"limit": 101}).status_code == 422


def test_openapi_describes_the_ocds_pages(client):
    paths = client.get("/api/v1/openapi.json").json()["paths"]

    def described(path):
        return {p["name"]: p["description"] for p in paths[path]["get"]["parameters"]}

    assert described("/api/v1/ocds/releases")["limit"] == "Challenges per page (at most 100)."
    assert described("/api/v1/ocds/records")["offset"] == "How many challenges to skip."
    imported = described("/api/v1/ocds/imported")
    assert imported["limit"] == "Items per page (at most 100)."
    assert imported["offset"] == "How many imported processes to skip."
