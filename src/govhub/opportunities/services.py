"""Importing TED notices as external opportunities and awards.

Imported notices, and the organisations named in them, are public records published on TED,
not procurement data of this platform: no user acts on them here. So the import writes in
bulk and records ONE summary audit event per run (what was created, updated, skipped),
not one per row. Each file is imported in its own transaction; a malformed file is
reported and skipped without stopping the run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time
import unicodedata
import uuid
import zoneinfo
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone
from lxml import etree

from govhub.core.audit import audit_record
from govhub.core.errors import NotAllowed
from govhub.organisations.models import Organisation, OrganisationKind
from govhub.reference.models import CodelistEntry, Country, CpvCode, NutsRegion

from .models import ExternalAward, ExternalAwardWinner, ExternalLot, ExternalNotice
from .ted import TedFormatError, TedNotice, TedParty, parse_datetime, parse_decimal, parse_notice

# TED gives deadlines in the buyer's local time without a zone; Brussels time is the best guess
# for most of the EU (an hour off for the UK, IE, PT, and the east).
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


@dataclass
class ImportReport:
    files_read: int = 0
    notices_created: int = 0
    notices_updated: int = 0
    notices_unchanged: int = 0
    lots: int = 0
    awards: int = 0
    winners: int = 0
    organisations_created: int = 0
    corrigenda_applied: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    # Where the time went (seconds), for ``govhub bench import``.
    parse_seconds: float = 0.0
    write_seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return bool(self.notices_created or self.notices_updated or self.organisations_created)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files_read": self.files_read,
            "notices_created": self.notices_created,
            "notices_updated": self.notices_updated,
            "notices_unchanged": self.notices_unchanged,
            "lots": self.lots,
            "awards": self.awards,
            "winners": self.winners,
            "organisations_created": self.organisations_created,
            "corrigenda_applied": self.corrigenda_applied,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
        }


def ted_files(paths: Iterable[Path | str]) -> list[Path]:
    """The XML files named, and those under the directories named, in name order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.xml") if p.is_file()))
        else:
            found.append(path)
    return found


def normalise_name(name: str) -> str:
    decomposed = unicodedata.normalize("NFKD", name.casefold())
    letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


def normalise_national_id(value: str) -> str:
    return re.sub(r"[\W_]+", "", value).upper()


class OrganisationIndex:
    """Every organisation's matching keys, so a run matches without one query per party."""

    def __init__(self) -> None:
        self.by_national_id: dict[tuple[int, str], int] = {}
        self.by_name: dict[tuple[int, str], int] = {}
        for pk, country_id, national_id, name in Organisation.objects.values_list(
            "pk", "country_id", "national_id", "name"
        ):
            self.add(pk, country_id, national_id, name)

    def add(self, pk: int, country_id: int, national_id: str, name: str) -> None:
        nid = normalise_national_id(national_id)
        if nid:
            self.by_national_id.setdefault((country_id, nid), pk)
        self.by_name.setdefault((country_id, normalise_name(name)), pk)

    def find(self, country_id: int, national_id: str, name: str) -> int | None:
        nid = normalise_national_id(national_id)
        if nid and (country_id, nid) in self.by_national_id:
            return self.by_national_id[(country_id, nid)]
        return self.by_name.get((country_id, normalise_name(name)))


def _website(url: str) -> str:
    url = url.strip()
    if url and not re.match(r"https?://", url, re.I):
        url = "http://" + url
    return url[:200] if " " not in url else ""


def unclaimed_organisations_create(
    *,
    parties: list[tuple[TedParty, str]],
    index: OrganisationIndex,
    countries: dict[str, int],
    nuts: dict[str, int],
    codelists: dict[tuple[str, str], int],
) -> tuple[dict[int, int | None], list[Organisation]]:
    """Match each (party, kind) to an organisation, creating the missing ones unclaimed.

    Writes in bulk and records no audit event of its own: the import run records one
    summary event (imported public records are not this platform's procurement data).
    Returns ({position in ``parties``: organisation pk, or None when the country is
    unknown}, the organisations created).
    Must run inside the caller's transaction; the caller adds new rows to ``index`` after
    the transaction commits.
    """
    result: dict[int, int | None] = {}
    pending: dict[tuple[int, str], Organisation] = {}
    waiting: list[tuple[int, Organisation]] = []
    for position, (party, kind) in enumerate(parties):
        country_id = countries.get(party.country)
        if country_id is None:
            result[position] = None
            continue
        pk = index.find(country_id, party.national_id, party.name)
        if pk is not None:
            result[position] = pk
            continue
        nid = normalise_national_id(party.national_id)
        key = (country_id, f"id:{nid}" if nid else normalise_name(party.name))
        org = pending.get(key)
        if org is None:
            org = Organisation(
                kind=kind,
                name=party.name[:300],
                country_id=country_id,
                nuts_region_id=nuts.get(party.nuts_code),
                website=_website(party.website),
                email=party.email[:254] if "@" in party.email else "",
                national_id=party.national_id[:100],
                buyer_legal_type_id=codelists.get(("buyer-legal-type", party.buyer_legal_type)),
                main_activity_id=codelists.get(("main-activity", party.main_activity)),
                is_claimed=False,
                source="ted",
                external_ids={"ted_national_id": party.national_id} if party.national_id else {},
            )
            pending[key] = org
        waiting.append((position, org))
    created = Organisation.objects.bulk_create(list(pending.values())) if pending else []
    for position, org in waiting:
        result[position] = org.pk
    return result, created


class TedImporter:
    """One import run: reference lookups and known notices are loaded once, up front."""

    def __init__(self) -> None:
        self.report = ImportReport()
        self.cpv = dict(CpvCode.objects.values_list("digits", "pk"))
        self.countries = {
            alpha2: pk for alpha2, pk in Country.objects.values_list("alpha2", "pk") if alpha2
        }
        self.nuts = dict(NutsRegion.objects.values_list("code", "pk"))
        self.codelists = {
            (codelist, code): pk
            for codelist, code, pk in CodelistEntry.objects.filter(
                codelist__in=["buyer-legal-type", "main-activity"]
            ).values_list("codelist", "code", "pk")
        }
        self.hashes = set(ExternalNotice.objects.values_list("content_hash", flat=True))
        self.notices = dict(ExternalNotice.objects.values_list("oj_number", "pk"))
        self.corrected = set(
            ExternalNotice.objects.exclude(corrects_oj_number="").values_list(
                "corrects_oj_number", flat=True
            )
        )
        self.organisations = OrganisationIndex()

    def import_file(self, path: Path) -> None:
        self.report.files_read += 1
        try:
            data = path.read_bytes()
        except OSError as exc:
            self.report.skipped.append((path.name, f"cannot read: {exc.strerror or exc}"))
            return
        digest = hashlib.sha256(data).hexdigest()
        if digest in self.hashes:
            self.report.notices_unchanged += 1
            return
        started = time.perf_counter()
        try:
            notice = parse_notice(data)
        except etree.XMLSyntaxError as exc:
            self.report.skipped.append((path.name, f"malformed XML: {exc}"))
            return
        except TedFormatError as exc:
            self.report.skipped.append((path.name, str(exc)))
            return
        parsed = time.perf_counter()
        self.report.parse_seconds += parsed - started
        with transaction.atomic():
            pk, created, counts, new_orgs = self._write(notice, path.name, digest)
        self.report.write_seconds += time.perf_counter() - parsed
        # Only after the commit: a rolled-back file must not leave ids in the caches.
        self.hashes.add(digest)
        self.notices[notice.oj_number] = pk
        if notice.corrects_oj_number:
            self.corrected.add(notice.corrects_oj_number)
        for org in new_orgs:
            self.organisations.add(org.pk, org.country_id, org.national_id, org.name)
        if created:
            self.report.notices_created += 1
        else:
            self.report.notices_updated += 1
        for name, value in counts.items():
            setattr(self.report, name, getattr(self.report, name) + value)

    def _write(
        self, notice: TedNotice, file_name: str, digest: str
    ) -> tuple[int, bool, dict[str, int], list[Organisation]]:
        parties: list[tuple[TedParty, str]] = []
        if notice.buyer is not None:
            parties.append((notice.buyer, OrganisationKind.AUTHORITY))
        for award in notice.awards:
            parties.extend((winner, OrganisationKind.COMPANY) for winner in award.winners)
        org_ids, new_orgs = unclaimed_organisations_create(
            parties=parties,
            index=self.organisations,
            countries=self.countries,
            nuts=self.nuts,
            codelists=self.codelists,
        )

        fields = {
            "file_name": file_name[:100],
            "form": notice.form,
            "notice_type": notice.notice_type,
            "publication_date": notice.publication_date,
            "original_language": notice.original_language,
            "title": notice.title,
            "titles": notice.titles,
            "short_description": notice.short_description,
            "cpv_main_id": self.cpv.get(notice.cpv_main),
            "nuts_codes": notice.nuts_codes,
            "country_code": notice.country,
            "estimated_value": notice.estimated_value,
            "total_value": notice.total_value,
            "currency": notice.currency,
            "tender_deadline": _aware(notice.tender_deadline),
            "buyer_id": org_ids.get(0) if notice.buyer is not None else None,
            "procedure_type": notice.procedure_type,
            "contract_nature": notice.contract_nature,
            "url": notice.url,
            "content_hash": digest,
            "corrects_oj_number": notice.corrects_oj_number,
            "changes": notice.changes,
        }
        existing_pk = self.notices.get(notice.oj_number)
        if existing_pk is None:
            row = ExternalNotice(oj_number=notice.oj_number, **fields)
            ExternalNotice.objects.bulk_create([row])
            created = True
        else:
            row = ExternalNotice.objects.get(pk=existing_pk)
            for name, value in fields.items():
                setattr(row, name, value)
            row.save()
            # A changed file replaces what it published; corrigenda are re-applied below.
            row.lots.all().delete()
            row.awards.all().delete()
            row.cpv_additional.clear()
            created = False
        # The through table directly: .add() would first read what is there (nothing, here).
        notice_cpv = ExternalNotice.cpv_additional.through
        notice_cpv.objects.bulk_create(
            [
                notice_cpv(externalnotice_id=row.pk, cpvcode_id=self.cpv[code])
                for code in dict.fromkeys(notice.cpv_additional)
                if code in self.cpv
            ]
        )

        lots = ExternalLot.objects.bulk_create(
            [
                ExternalLot(
                    notice=row,
                    number=lot.number[:50],
                    title=lot.title,
                    nuts_codes=lot.nuts_codes,
                    estimated_value=lot.estimated_value,
                    currency=lot.currency,
                )
                for lot in notice.lots
            ]
        )
        through = ExternalLot.cpv_codes.through
        through.objects.bulk_create(
            [
                through(externallot_id=lot_row.pk, cpvcode_id=self.cpv[code])
                for lot_row, lot in zip(lots, notice.lots, strict=True)
                for code in lot.cpv_codes
                if code in self.cpv
            ]
        )
        awards = ExternalAward.objects.bulk_create(
            [
                ExternalAward(
                    notice=row,
                    lot_number=award.lot_number[:50],
                    contract_number=award.contract_number,
                    title=award.title,
                    is_awarded=award.is_awarded,
                    award_date=award.award_date,
                    value=award.value,
                    currency=award.currency,
                    tenders_received=award.tenders_received,
                )
                for award in notice.awards
            ]
        )
        position = 1 if notice.buyer is not None else 0
        winners: list[ExternalAwardWinner] = []
        for award_row, award in zip(awards, notice.awards, strict=True):
            for party in award.winners:
                winners.append(
                    ExternalAwardWinner(
                        award_id=award_row.pk,
                        organisation_id=org_ids.get(position),
                        name=party.name[:500],
                        national_id=party.national_id[:100],
                        address=party.address[:500],
                        town=party.town[:200],
                        postal_code=party.postal_code[:50],
                        country_code=party.country[:2],
                        nuts_code=party.nuts_code[:5],
                        is_sme=party.is_sme,
                    )
                )
                position += 1
        ExternalAwardWinner.objects.bulk_create(winners)

        applied = 0
        if notice.corrects_oj_number:
            target_pk = self.notices.get(notice.corrects_oj_number)
            if target_pk is not None:
                target = ExternalNotice.objects.get(pk=target_pk)
                corrigendum_apply(corrigendum=row, target=target, cpv=self.cpv)
                applied += 1
        elif notice.oj_number in self.corrected:
            for corrigendum in ExternalNotice.objects.filter(
                corrects_oj_number=notice.oj_number
            ).order_by("publication_date", "oj_number"):
                corrigendum_apply(corrigendum=corrigendum, target=row, cpv=self.cpv)
                applied += 1
        return (
            row.pk,
            created,
            {
                "lots": len(lots),
                "awards": len(awards),
                "winners": len(winners),
                "organisations_created": len(new_orgs),
                "corrigenda_applied": applied,
            },
            new_orgs,
        )


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=BRUSSELS) if value is not None else None


def corrigendum_apply(
    *, corrigendum: ExternalNotice, target: ExternalNotice, cpv: dict[str, int]
) -> list[dict[str, Any]]:
    """Apply what a corrigendum (F14) changes that we hold: title, description, main and
    additional CPV, estimated value, deadline. Records every change, applied or not, on the
    corrigendum. Part of the import's transaction (no audit event of its own)."""
    record: list[dict[str, Any]] = []
    for change in corrigendum.changes:
        section = str(change.get("section", ""))
        new_text = str(change.get("new_text", ""))
        new_cpv = [str(c) for c in change.get("new_cpv") or []]
        old_cpv = [str(c) for c in change.get("old_cpv") or []]
        entry: dict[str, Any] = {"section": section, "label": change.get("label", "")}
        if section == "II.1.1" and new_text:
            entry.update(field="title", old=target.title, new=new_text)
            target.title = new_text
        elif section == "II.1.4" and new_text:
            entry.update(field="short_description", old=target.short_description, new=new_text)
            target.short_description = new_text
        elif section == "II.1.2" and new_cpv and new_cpv[0] in cpv:
            entry.update(field="cpv_main", old=old_cpv, new=new_cpv[:1])
            target.cpv_main_id = cpv[new_cpv[0]]
        elif section == "II.2.2" and new_cpv:
            entry.update(field="cpv_additional", old=old_cpv, new=new_cpv)
            target.cpv_additional.remove(*[cpv[c] for c in old_cpv if c in cpv])
            target.cpv_additional.add(*[cpv[c] for c in new_cpv if c in cpv])
        elif section == "II.1.5" and parse_decimal(_number(new_text)) is not None:
            entry.update(field="estimated_value", old=str(target.estimated_value or ""))
            target.estimated_value = parse_decimal(_number(new_text))
            entry["new"] = str(target.estimated_value)
        elif section == "IV.2.2" and change.get("new_date"):
            deadline = parse_datetime(str(change["new_date"]), str(change.get("new_time", "")))
            entry.update(
                field="tender_deadline",
                old=_iso(target.tender_deadline),
            )
            target.tender_deadline = _aware(deadline)
            entry["new"] = _iso(target.tender_deadline)
        else:
            entry["applied"] = False
        entry.setdefault("applied", True)
        record.append(entry)
    target.save()
    corrigendum.corrects = target
    corrigendum.applied_changes = record
    corrigendum.applied_at = timezone.now()
    corrigendum.save(update_fields=["corrects", "applied_changes", "applied_at", "updated_at"])
    return record


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def _number(text: str) -> str:
    match = re.search(r"\d[\d\s.,]*", text)
    return match.group(0).strip() if match else ""


def ted_import(
    *, actor: Any = None, paths: Iterable[Path | str], progress: Any = None
) -> ImportReport:
    """Import TED XML notices from files and directories; see the module docstring.

    ``actor`` is None for the command line (the system); a user must be a superuser.
    ``progress`` wraps the file list (e.g. ``lambda files: tqdm(files)``).
    """
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotAllowed("Only an administrator can import TED notices.")
    files = ted_files(paths)
    importer = TedImporter()
    iterator: Iterator[Path] | Iterable[Path] = progress(files) if progress else files
    for path in iterator:
        importer.import_file(path)
    report = importer.report
    if report.changed:
        with transaction.atomic():
            audit_record(
                actor=actor,
                action="opportunities.ted_import",
                object_type="opportunities.tedimportrun",
                object_id=str(uuid.uuid4()),
                object_label=f"TED import of {report.files_read} files",
                after=report.as_dict(),
            )
    return report
