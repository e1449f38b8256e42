"""``govhub import-ocds``: hand-made packages (always) and the real publications in shared/."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command

from govhub.ocds.importer import ocds_import
from govhub.ocds.models import ImportedAward, ImportedProcess, ImportedRelease
from govhub.ocds.upgrade import shape_of, upgrade_release

pytestmark = pytest.mark.django_db

OCID = "ocds-test01-0001"


def release(rid: str | None, date: str, **fields):
    data = {"ocid": OCID, "date": date, "tag": ["tender"], "initiationType": "tender", **fields}
    if rid is not None:
        data["id"] = rid
    return data


TENDER = release(
    "r1",
    "2024-01-10T09:00:00Z",
    buyer={"id": "B1", "name": "Town of Testville"},
    parties=[{"id": "B1", "name": "Town of Testville", "roles": ["buyer"]}],
    tender={
        "id": "t1",
        "title": "Street lights",
        "status": "active",
        "value": {"amount": 120000, "currency": "EUR"},
        "tenderPeriod": {"endDate": "2024-02-10T12:00:00Z"},
        "items": [{"id": "1", "classification": {"scheme": "CPV", "id": "34928500"}}],
    },
)
AWARD = release(
    "r2",
    "2024-03-01T09:00:00Z",
    tag=["award"],
    tender={"id": "t1", "status": "complete"},
    awards=[
        {
            "id": "a1",
            "status": "active",
            "value": {"amount": "99000.50", "currency": "EUR"},
            "suppliers": [{"id": "S1", "name": "Lumen Ltd"}],
        }
    ],
)


def write(tmp_path: Path, name: str, data) -> Path:
    path = tmp_path / name
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    return path


def package(*releases):
    return {
        "uri": "https://example.org/p.json",
        "version": "1.1",
        "publishedDate": "2024-03-01T10:00:00Z",
        "publisher": {"name": "Example publisher"},
        "releases": list(releases),
    }


def test_release_package_is_compiled_and_summarised(tmp_path):
    path = write(tmp_path, "p.json", package(TENDER, AWARD))
    report = ocds_import(paths=[path])
    [file] = report.files
    assert file.shape == "release-package"
    assert (file.releases_read, file.releases_created, file.skipped) == (2, 2, [])
    process = ImportedProcess.objects.get(ocid=OCID)
    assert process.title == "Street lights"
    assert process.buyer_name == "Town of Testville"
    assert process.publisher == "Example publisher"
    assert process.tender_status == "complete"  # merged: the award release's later status
    assert str(process.value) == "120000.00"
    assert process.cpv_codes == ["34928500"]
    assert process.tender_end is not None
    assert process.release_count == 2
    assert process.compiled_release["tag"] == ["compiled"]
    award = ImportedAward.objects.get(process=process)
    assert str(award.value) == "99000.50"
    assert award.suppliers == [{"id": "S1", "name": "Lumen Ltd"}]


def test_reimport_is_idempotent(tmp_path):
    path = write(tmp_path, "p.json", package(TENDER, AWARD))
    ocds_import(paths=[path])
    stamp = ImportedProcess.objects.get().updated_at
    again = ocds_import(paths=[tmp_path])
    assert again.files[0].releases_unchanged == 2
    assert (again.processes_created, again.processes_updated, again.processes_unchanged) == (
        0,
        0,
        1,
    )
    assert ImportedProcess.objects.get().updated_at == stamp
    assert ImportedRelease.objects.count() == 2
    assert ImportedAward.objects.count() == 1


def test_a_changed_release_updates_the_process(tmp_path):
    path = write(tmp_path, "p.json", package(TENDER))
    ocds_import(paths=[path])
    changed = json.loads(json.dumps(TENDER))
    changed["tender"]["title"] = "Street lights (LED)"
    write(tmp_path, "p.json", package(changed))
    report = ocds_import(paths=[path])
    assert report.files[0].releases_updated == 1
    assert report.processes_updated == 1
    assert ImportedProcess.objects.get().title == "Street lights (LED)"


def test_ocds_10_shapes_are_upgraded(tmp_path):
    old = {
        "ocid": OCID,
        "id": "old-1",
        "date": "2015-05-01T00:00:00Z",
        "tag": "award",
        "buyer": {
            "identifier": {"scheme": "GB-COH", "id": "123"},
            "name": "Old Council",
            "address": {"locality": "Oldtown"},
        },
        "awards": [
            {
                "id": "a1",
                "suppliers": [{"identifier": {"id": "999"}, "name": "Old Supplier"}],
                "amendment": {"rationale": "Typo"},
            }
        ],
    }
    data = {"version": "1.0", "publisher": {"name": "x"}, "releases": [old]}
    report = ocds_import(paths=[write(tmp_path, "old.json", data)])
    assert report.files[0].upgraded == 1
    stored = ImportedRelease.objects.get().data
    assert stored["tag"] == ["award"]
    assert stored["buyer"] == {"id": "GB-COH-123", "name": "Old Council"}
    roles = {p["name"]: p["roles"] for p in stored["parties"]}
    assert roles == {"Old Council": ["buyer"], "Old Supplier": ["supplier"]}
    assert stored["awards"][0]["amendments"] == [{"rationale": "Typo"}]
    assert ImportedProcess.objects.get().buyer_name == "Old Council"


def test_upgrade_leaves_11_data_alone():
    result = upgrade_release(TENDER)
    assert not result.changed
    assert result.release == TENDER


def test_missing_ids_and_ocids(tmp_path):
    no_id = release(None, "2024-01-10T09:00:00Z", tender={"title": "No id"})
    no_ocid = {"id": "x", "date": "2024-01-10T09:00:00Z", "tag": ["tender"]}
    report = ocds_import(paths=[write(tmp_path, "p.json", package(no_id, no_ocid, "text"))])
    [file] = report.files
    assert file.releases_read == 3
    assert file.releases_created == 1
    assert sorted(file.skipped) == [
        ("releases/1", "release without ocid"),
        ("releases/2", "release is not a JSON object"),
    ]
    assert ("releases/0", "release without id: an id was derived from its content") in (
        file.warnings
    )
    derived = ImportedRelease.objects.get().release_id
    assert derived.startswith(OCID + "-")
    # Same content, same derived id: importing again changes nothing.
    assert ocds_import(paths=[tmp_path]).files[0].releases_unchanged == 1


def test_malformed_and_foreign_files_are_reported_and_skipped(tmp_path):
    write(tmp_path, "a-broken.json", '{"releases": [')
    write(tmp_path, "b-empty.json", "  \n")
    write(tmp_path, "c-other.json", {"hello": "world"})
    write(tmp_path, "d-good.json", TENDER)
    (tmp_path / "e-latin1.json").write_bytes('{"ocid": "é"}'.encode("latin-1"))
    report = ocds_import(paths=[tmp_path])
    errors = {Path(f.path).name: f.error for f in report.files}
    assert errors["a-broken.json"].startswith("malformed JSON: ")
    assert errors["b-empty.json"] == "empty file"
    assert errors["c-other.json"].startswith("not an OCDS release")
    assert errors["d-good.json"] == ""
    assert errors["e-latin1.json"] == "not UTF-8 text"
    assert ImportedProcess.objects.count() == 1


def test_record_package_with_linked_releases_uses_the_compiled_release(tmp_path):
    compiled = {**TENDER, "id": "compiled-1", "tag": ["compiled"]}
    data = {
        "uri": "u",
        "publisher": {"name": "p"},
        "publishedDate": "2024-01-01T00:00:00Z",
        "version": "1.1",
        "records": [
            {
                "ocid": OCID,
                "releases": [{"url": "https://example.org/r.json#r1", "date": "2024-01-10"}],
                "compiledRelease": compiled,
            },
            {"ocid": "ocds-test01-0002", "releases": [{"url": "https://example.org/x"}]},
        ],
    }
    report = ocds_import(paths=[write(tmp_path, "records.json", data)])
    [file] = report.files
    assert file.shape == "record-package"
    assert file.records_read == 2
    assert file.skipped == [
        ("records/1", "record without embedded releases and without a compiled release")
    ]
    process = ImportedProcess.objects.get()
    assert process.title == "Street lights"
    assert process.release_count == 0


def test_shapes():
    assert shape_of(package(TENDER)) == "release-package"
    assert shape_of({"records": []}) == "record-package"
    assert shape_of({"ocid": OCID, "releases": [], "compiledRelease": {}}) == "record"
    assert shape_of(TENDER) == "release"
    assert shape_of([TENDER]) == "release-list"
    assert shape_of({"a": 1}) == "unknown"


def test_command_reports_per_file(tmp_path):
    write(tmp_path, "good.json", package(TENDER, {"date": "x"}))
    write(tmp_path, "bad.json", "{oops")
    out = StringIO()
    call_command("import_ocds", str(tmp_path), "--quiet", stdout=out)
    text = out.getvalue()
    assert "bad.json: SKIPPED, malformed JSON" in text
    assert "good.json: release-package, 2 releases read, 1 new" in text
    assert "skipped releases/1: release without ocid" in text
    assert "Processes: 1 created" in text


# --- the real publications in ../shared/data/ocds/real-examples -----------------------------


@pytest.fixture
def real_examples() -> Path:
    path = Path(settings.SHARED_DATA_DIR) / "ocds" / "real-examples"
    if not path.is_dir():
        pytest.skip(f"OCDS real examples not found at {path}")
    return path


@pytest.mark.shared_data
def test_all_real_examples(real_examples):
    report = ocds_import(paths=[real_examples])
    files = {str(Path(f.path).relative_to(real_examples)): f for f in report.files}
    assert len(files) == 780
    # Three Paraguayan record packages are empty files: reported, skipped.
    assert {k: f.error for k, f in files.items() if f.error} == {
        "paraguay/sample/records/283826.json": "empty file",
        "paraguay/sample/records/283906.json": "empty file",
        "paraguay/sample/records/284456.json": "empty file",
    }
    armenia = files["armenia/sample/releases/6.json"]
    assert (armenia.shape, armenia.releases_read, armenia.releases_created) == (
        "release-package",
        100,
        100,
    )
    # NSW Australia publishes OCDS 1.0.1: organisations are upgraded into parties.
    nsw = files["australia/new-south-wales/sample/releases/0.json"]
    assert nsw.upgraded == 1
    assert nsw.releases_created == 1
    # Records that only link their releases and have no compiled release: skipped, said why.
    for name in ("284437", "284453"):
        paraguay = files[f"paraguay/sample/records/{name}.json"]
        assert paraguay.skipped == [
            ("records/0", "record without embedded releases and without a compiled release")
        ]
    # Jalisco's record packages link releases: their compiled releases are imported.
    jalisco = files["mexico/jalisco/sample/records/ocds-xs1qbl-SFIN-03-0012-00-2017.json"]
    assert jalisco.shape == "record-package"
    assert jalisco.ocids
    # Every file that was read says what it did; every skip has a reason.
    for f in report.files:
        assert all(reason for _where, reason in f.skipped)
    assert report.processes_created == ImportedProcess.objects.count() == 610
    assert ImportedProcess.objects.exclude(buyer_name="").count() > 500
    assert ImportedAward.objects.exclude(suppliers=[]).count() > 400
    uganda = ImportedProcess.objects.get(ocid="ocds-rdvc92-1508162377")
    assert uganda.currency == "UGX"
    assert uganda.buyer_name
    # Idempotent: a second run changes nothing.
    again = ocds_import(paths=[real_examples])
    assert again.processes_created == again.processes_updated == 0
    assert sum(f.releases_created + f.releases_updated for f in again.files) == 0
