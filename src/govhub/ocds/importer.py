"""``govhub import-ocds``: release and record packages from other OCDS publishers.

Tolerant of real publications: malformed JSON, bare releases and records, lists of
releases, OCDS 1.0 shapes (upgraded), releases without ``id`` (an id is derived from the
content), without ``date`` or ``tag``. What cannot be imported is skipped and reported per
file with the reason. Idempotent: a release already imported with the same content is left
alone, and a process is rewritten only when its compiled release changes.
"""

from __future__ import annotations

import datetime as dt
import json
import logging
import warnings
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils.dateparse import parse_date, parse_datetime

from . import builders
from .models import ImportedAward, ImportedProcess, ImportedRelease
from .upgrade import is_linked_release, sha256_of, shape_of, upgrade_release

log = logging.getLogger(__name__)

MAX_VALUE = Decimal(10) ** 21


@dataclass
class FileReport:
    path: str
    shape: str = ""
    releases_read: int = 0
    releases_created: int = 0
    releases_updated: int = 0
    releases_unchanged: int = 0
    records_read: int = 0
    upgraded: int = 0
    ocids: set[str] = field(default_factory=set)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (where, why)
    warnings: list[tuple[str, str]] = field(default_factory=list)
    error: str = ""  # the whole file was skipped

    @property
    def imported(self) -> int:
        return self.releases_created + self.releases_updated + self.releases_unchanged


@dataclass
class ImportReport:
    files: list[FileReport] = field(default_factory=list)
    processes_created: int = 0
    processes_updated: int = 0
    processes_unchanged: int = 0

    @property
    def skipped_files(self) -> list[FileReport]:
        return [f for f in self.files if f.error]


def ocds_files(paths: Iterable[Path | str]) -> list[Path]:
    files: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            files.extend(sorted(p for p in path.rglob("*.json") if p.is_file()))
        else:
            files.append(path)
    return files


# Reading -------------------------------------------------------------------------------


@dataclass
class Candidates:
    releases: list[tuple[str, dict[str, Any]]] = field(default_factory=list)
    # ocid → (where, compiled release) from records whose releases are only linked.
    compiled: dict[str, tuple[str, dict[str, Any]]] = field(default_factory=dict)
    publisher: str = ""


def _publisher(doc: dict[str, Any]) -> str:
    publisher = doc.get("publisher")
    if isinstance(publisher, dict):
        return str(publisher.get("name") or "")[:300]
    return str(publisher or "")[:300] if isinstance(publisher, str) else ""


def _read_record(record: Any, where: str, found: Candidates, report: FileReport) -> None:
    if not isinstance(record, dict):
        report.skipped.append((where, "record is not a JSON object"))
        return
    report.records_read += 1
    contents = 0
    for n, item in enumerate(record.get("releases") or []):
        item_where = f"{where}/releases/{n}"
        if isinstance(item, dict) and is_linked_release(item):
            continue
        found.releases.append((item_where, item))
        contents += 1
    compiled = record.get("compiledRelease")
    if contents == 0:
        ocid = record.get("ocid") or (compiled.get("ocid") if isinstance(compiled, dict) else None)
        if isinstance(compiled, dict) and ocid:
            found.compiled[str(ocid)] = (where, {**compiled, "ocid": str(ocid)})
            report.warnings.append(
                (where, "releases are only linked (no content): the compiled release is used")
            )
        else:
            report.skipped.append(
                (where, "record without embedded releases and without a compiled release")
            )


def read_candidates(doc: Any, report: FileReport) -> Candidates:
    found = Candidates()
    shape = report.shape = shape_of(doc)
    if isinstance(doc, dict):
        found.publisher = _publisher(doc)
    if shape == "release-package":
        for n, item in enumerate(doc["releases"]):
            found.releases.append((f"releases/{n}", item))
    elif shape == "release-list":
        for n, item in enumerate(doc):
            found.releases.append((f"[{n}]", item))
    elif shape == "release":
        found.releases.append(("release", doc))
    elif shape == "record-package":
        for n, record in enumerate(doc["records"]):
            _read_record(record, f"records/{n}", found, report)
    elif shape == "record":
        _read_record(doc, "record", found, report)
    else:
        report.error = "not an OCDS release, record or package (no releases, records or ocid)"
    return found


def _date(value: Any) -> dt.datetime | None:
    if not isinstance(value, str) or not value:
        return None
    try:
        parsed = parse_datetime(value)
        if parsed is None:
            day = parse_date(value[:10])
            parsed = dt.datetime.combine(day, dt.time()) if day else None
    except ValueError:
        return None
    if parsed is not None and parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=dt.UTC)
    return parsed


def _decimal(value: Any) -> Decimal | None:
    if isinstance(value, bool) or value in (None, ""):
        return None
    try:
        number = Decimal(str(value)).quantize(Decimal("0.01"))
    except (InvalidOperation, ValueError):
        return None
    return number if abs(number) < MAX_VALUE else None


def normalise_release(where: str, item: Any, report: FileReport) -> dict[str, Any] | None:
    """The release in the 1.1 shape with an ``id``; None (reported) when unusable."""
    if not isinstance(item, dict):
        report.skipped.append((where, "release is not a JSON object"))
        return None
    if not item.get("ocid") or not isinstance(item.get("ocid"), str):
        report.skipped.append((where, "release without ocid"))
        return None
    upgraded = upgrade_release(item)
    release = upgraded.release
    if upgraded.changed:
        report.upgraded += 1
    if release.get("id") in (None, ""):
        release["id"] = f"{release['ocid']}-{sha256_of(item)[:16]}"
        report.warnings.append((where, "release without id: an id was derived from its content"))
    else:
        release["id"] = str(release["id"])
    if not release.get("date"):
        report.warnings.append((where, "release without date"))
    if not release.get("tag"):
        report.warnings.append((where, "release without tag"))
    return release


# Writing -------------------------------------------------------------------------------


def _compile(process: ImportedProcess, report: FileReport) -> dict[str, Any]:
    stored = [r.data for r in process.releases.order_by("date", "id")]
    dated = [{**r, "date": r.get("date") or ""} for r in stored]
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            return builders.compiled_release(dated)
    except Exception as exc:  # ocdsmerge refuses some real data (inconsistent types…)
        report.warnings.append(
            (process.ocid, f"releases could not be merged ({exc}); the latest one is used")
        )
        latest = dict(stored[-1])
        latest["tag"] = ["compiled"]
        return latest


def _text(value: Any, limit: int | None = None) -> str:
    if isinstance(value, dict):  # multilingual objects of some publishers
        value = next((v for v in value.values() if isinstance(v, str)), "")
    text = str(value) if isinstance(value, str | int | float) else ""
    return text[:limit] if limit else text


def _buyer(compiled: dict[str, Any]) -> tuple[str, str]:
    buyer = compiled.get("buyer")
    if not isinstance(buyer, dict):
        tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
        buyer = tender.get("procuringEntity") if isinstance(tender, dict) else None
    if not isinstance(buyer, dict):
        for party in compiled.get("parties") or []:
            if isinstance(party, dict) and "buyer" in (party.get("roles") or []):
                buyer = party
                break
    if not isinstance(buyer, dict):
        return "", ""
    return _text(buyer.get("name"), 500), _text(buyer.get("id"), 300)


def _cpv_codes(tender: dict[str, Any]) -> list[str]:
    codes: list[str] = []
    for item in tender.get("items") or []:
        if not isinstance(item, dict):
            continue
        for cls in [item.get("classification"), *(item.get("additionalClassifications") or [])]:
            if (
                isinstance(cls, dict)
                and "CPV" in str(cls.get("scheme") or "").upper()
                and cls.get("id")
            ):
                code = str(cls["id"])
                if code not in codes:
                    codes.append(code)
    return codes


def summarise(process: ImportedProcess, compiled: dict[str, Any]) -> list[ImportedAward]:
    tender = compiled.get("tender") if isinstance(compiled.get("tender"), dict) else {}
    assert isinstance(tender, dict)
    value = tender.get("value") if isinstance(tender.get("value"), dict) else {}
    period = tender.get("tenderPeriod") if isinstance(tender.get("tenderPeriod"), dict) else {}
    process.title = _text(tender.get("title")) or _text(compiled.get("title"))
    process.description = _text(tender.get("description"))
    process.buyer_name, process.buyer_id = _buyer(compiled)
    process.tender_status = _text(tender.get("status"), 50)
    process.procurement_method = _text(tender.get("procurementMethod"), 50)
    process.main_procurement_category = _text(tender.get("mainProcurementCategory"), 50)
    process.value = _decimal((value or {}).get("amount"))
    process.currency = _text((value or {}).get("currency"), 3)
    process.tender_start = _date((period or {}).get("startDate"))
    process.tender_end = _date((period or {}).get("endDate"))
    process.cpv_codes = _cpv_codes(tender)
    awards = []
    for award in compiled.get("awards") or []:
        if not isinstance(award, dict):
            continue
        award_value = award.get("value") if isinstance(award.get("value"), dict) else {}
        suppliers = [
            {"id": _text(s.get("id"), 300), "name": _text(s.get("name"), 500)}
            for s in award.get("suppliers") or []
            if isinstance(s, dict)
        ]
        awards.append(
            ImportedAward(
                process=process,
                award_id=_text(award.get("id"), 500),
                title=_text(award.get("title")),
                status=_text(award.get("status"), 50),
                date=_date(award.get("date")),
                value=_decimal((award_value or {}).get("amount")),
                currency=_text((award_value or {}).get("currency"), 3),
                suppliers=suppliers,
            )
        )
    return awards


def _store_releases(
    ocid: str,
    releases: list[tuple[str, dict[str, Any]]],
    path: Path,
    publisher: str,
    report: FileReport,
    import_report: ImportReport,
    touched: dict[str, ImportedProcess],
) -> None:
    process = touched.get(ocid) or ImportedProcess.objects.filter(ocid=ocid).first()
    if process is None:
        process = ImportedProcess.objects.create(
            ocid=ocid[:255], source_file=str(path)[:500], publisher=publisher, content_hash=""
        )
        import_report.processes_created += 1
    touched[ocid] = process
    existing = {r.release_id: r for r in process.releases.all()}
    source = str(path)[:500]
    for where, release in releases:
        sha = sha256_of(release)
        release_id = str(release["id"])[:500]
        row = existing.get(release_id)
        if row is not None and row.sha256 == sha:
            report.releases_unchanged += 1
            continue
        if row is not None and row.source_file != source:
            report.skipped.append(
                (
                    where,
                    f"release id {release_id!r} already imported from {row.source_file} "
                    "with other content",
                )
            )
            continue
        tags = release.get("tag") if isinstance(release.get("tag"), list) else []
        if row is None:
            row = ImportedRelease.objects.create(
                process=process,
                release_id=release_id,
                date=_date(release.get("date")),
                tags=tags,
                data=release,
                sha256=sha,
                source_file=source,
            )
            existing[release_id] = row
            report.releases_created += 1
        else:
            row.date, row.tags, row.data, row.sha256 = (
                _date(release.get("date")),
                tags,
                release,
                sha,
            )
            row.save(update_fields=["date", "tags", "data", "sha256", "updated_at"])
            report.releases_updated += 1


def _refresh(
    process: ImportedProcess,
    compiled: dict[str, Any] | None,
    path: Path,
    publisher: str,
    report: FileReport,
    import_report: ImportReport,
    created: bool,
) -> None:
    if compiled is None:
        compiled = _compile(process, report)
    digest = sha256_of(compiled)
    if digest == process.content_hash:
        if not created:
            import_report.processes_unchanged += 1
        return
    if not created:
        import_report.processes_updated += 1
    process.compiled_release = compiled
    process.content_hash = digest
    process.source_file = str(path)[:500]
    process.publisher = publisher or process.publisher
    process.release_count = process.releases.count()
    process.date = _date(compiled.get("date")) or max(
        (r.date for r in process.releases.all() if r.date), default=None
    )
    awards = summarise(process, compiled)
    process.save()
    process.awards.all().delete()
    ImportedAward.objects.bulk_create(awards)


def import_file(path: Path, import_report: ImportReport) -> FileReport:
    report = FileReport(path=str(path))
    try:
        raw = path.read_bytes()
    except OSError as exc:
        report.error = f"cannot read the file: {exc.strerror or exc}"
        return report
    if not raw.strip():
        report.error = "empty file"
        return report
    try:
        doc = json.loads(raw.decode("utf-8-sig"))
    except UnicodeDecodeError:
        report.error = "not UTF-8 text"
        return report
    except json.JSONDecodeError as exc:
        report.error = f"malformed JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}"
        return report
    found = read_candidates(doc, report)
    if report.error:
        return report
    by_ocid: dict[str, list[tuple[str, dict[str, Any]]]] = {}
    for where, item in found.releases:
        report.releases_read += 1
        release = normalise_release(where, item, report)
        if release is not None:
            by_ocid.setdefault(release["ocid"], []).append((where, release))
    with transaction.atomic():
        touched: dict[str, ImportedProcess] = {}
        before = set(
            ImportedProcess.objects.filter(ocid__in=[*by_ocid, *found.compiled]).values_list(
                "ocid", flat=True
            )
        )
        for ocid, releases in by_ocid.items():
            # Ids must be unique within a process: keep the last of duplicates, say so.
            unique: dict[str, tuple[str, dict[str, Any]]] = {}
            for where, release in releases:
                if release["id"] in unique:
                    report.skipped.append(
                        (unique[release["id"]][0], f"duplicate release id {release['id']!r}")
                    )
                unique[release["id"]] = (where, release)
            _store_releases(
                ocid, list(unique.values()), path, found.publisher, report, import_report, touched
            )
        for ocid, (_where, compiled) in found.compiled.items():
            if ocid in touched:
                continue
            process = ImportedProcess.objects.filter(ocid=ocid).first()
            if process is None:
                process = ImportedProcess.objects.create(
                    ocid=ocid[:255], source_file=str(path)[:500], content_hash=""
                )
                import_report.processes_created += 1
            upgraded = upgrade_release(compiled)
            if upgraded.changed:
                report.upgraded += 1
            report.ocids.add(ocid)
            # Releases imported from other files win: they are the publisher's own data.
            has_releases = process.releases.exists()
            _refresh(
                process,
                None if has_releases else upgraded.release,
                path,
                found.publisher,
                report,
                import_report,
                ocid not in before,
            )
        for ocid, process in touched.items():
            report.ocids.add(ocid)
            _refresh(
                process, None, path, found.publisher, report, import_report, ocid not in before
            )
    return report


def ocds_import(
    *,
    paths: Iterable[Path | str],
    progress: Callable[[list[Path]], Iterable[Path]] | None = None,
) -> ImportReport:
    """Import every JSON file under ``paths``; never stops on a bad file."""
    files = ocds_files(paths)
    report = ImportReport()
    for path in progress(files) if progress else files:
        report.files.append(import_file(path, report))
    return report
