"""Importing TED notices as external opportunities and awards.

Imported notices, and the organisations named in them, are public records published on TED,
not procurement data of this platform: no user acts on them here. So the import writes in
bulk and records ONE summary audit event per run (what was created, updated, skipped),
not one per row. Files are parsed one by one and written in batches, each batch in one
transaction; a malformed file is reported and skipped without stopping the run, and a batch
the database refuses is retried file by file so that only the offending file is skipped.
"""

from __future__ import annotations

import datetime as dt
import functools
import gc
import multiprocessing
import os
import re
import sys
import time
import unicodedata
import uuid
import zoneinfo
from collections.abc import Iterable, Iterator
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, NamedTuple

from django.db import DatabaseError, connection, connections, models, transaction
from django.utils import timezone

from govhub.core.audit import audit_record
from govhub.core.bulk import insert_rows
from govhub.core.errors import NotAllowed
from govhub.organisations.models import Organisation, OrganisationKind
from govhub.reference.models import CodelistEntry, Country, CpvCode, NutsRegion

from .models import ExternalAward, ExternalAwardWinner, ExternalLot, ExternalNotice
from .ted import (
    ReadResult,
    TedNotice,
    TedParty,
    init_worker,
    parse_datetime,
    parse_decimal,
    read_in_worker,
    read_notice_file,
)

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
    parse_seconds: float = 0.0  # summed over the worker processes when there are several
    write_seconds: float = 0.0
    workers: int = 1

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


_NOT_WORD = re.compile(r"[\W_]+")


# The same buyers and contractors recur across thousands of notices: normalised once each.
@functools.lru_cache(maxsize=65536)
def normalise_name(name: str) -> str:
    if name.isascii():
        # Nothing to decompose, and ASCII's casefold is its lower case.
        letters = name.lower()
    else:
        decomposed = unicodedata.normalize("NFKD", name.casefold())
        letters = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(_NOT_WORD.sub(" ", letters).split())


@functools.lru_cache(maxsize=65536)
def normalise_national_id(value: str) -> str:
    return _NOT_WORD.sub("", value).upper()


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
        return self.find_normalised(
            country_id, normalise_national_id(national_id), normalise_name(name)
        )

    def find_normalised(self, country_id: int, nid: str, name: str) -> int | None:
        """:meth:`find` with the national id and name already normalised."""
        if nid and (country_id, nid) in self.by_national_id:
            return self.by_national_id[(country_id, nid)]
        return self.by_name.get((country_id, name))


def _website(url: str) -> str:
    url = url.strip()
    if url and not re.match(r"https?://", url, re.I):
        url = "http://" + url
    return url[:200] if " " not in url else ""


@dataclass(frozen=True)
class NewOrganisation:
    """An organisation the import created: what the matching index needs of it."""

    pk: int
    country_id: int
    national_id: str
    name: str


# A party as the writer needs it, built from a TedParty where the file is parsed: the keys
# it is matched by, the values of an organisation record, and (winners) of a winner row.
# Plain tuples: they cross from the worker processes far cheaper than dataclasses.
_Party = tuple[
    str,  # country (ISO alpha-2)
    str,  # national id, normalised
    str,  # name, normalised
    str,  # kind (OrganisationKind)
    tuple[Any, ...],  # organisation values but the ids looked up here, see _organisation_row
    tuple[Any, ...],  # winner row values after award_id and organisation_id ((): a buyer)
]


def _party(party: TedParty, kind: str, winner: bool) -> _Party:
    return (
        party.country,
        normalise_national_id(party.national_id),
        normalise_name(party.name),
        kind,
        (
            party.name[:300],
            party.nuts_code,
            _website(party.website),
            party.email[:254] if "@" in party.email else "",
            party.national_id[:100],
            party.buyer_legal_type,
            party.main_activity,
            {"ted_national_id": party.national_id} if party.national_id else {},
        ),
        (
            (
                party.name[:500],
                party.national_id[:100],
                party.address[:500],
                party.town[:200],
                party.postal_code[:50],
                party.country[:2],
                party.nuts_code[:5],
                party.is_sme,
            )
            if winner
            else ()
        ),
    )


# The columns of an unclaimed organisation, in the order of the rows built below.
_ORGANISATION_FIELDS = (
    "kind",
    "name",
    "country_id",
    "nuts_region_id",
    "website",
    "email",
    "national_id",
    "buyer_legal_type_id",
    "main_activity_id",
    "is_claimed",
    "source",
    "external_ids",
)


def unclaimed_organisations_create(
    *,
    parties: list[_Party],
    index: OrganisationIndex,
    countries: dict[str, int],
    nuts: dict[str, int],
    codelists: dict[tuple[str, str], int],
) -> tuple[dict[int, int | None], list[NewOrganisation]]:
    """Match each party to an organisation, creating the missing ones unclaimed.

    Writes in bulk and records no audit event of its own: the import run records one
    summary event (imported public records are not this platform's procurement data).
    Returns ({position in ``parties``: organisation pk, or None when the country is
    unknown}, the organisations created).
    Must run inside the caller's transaction; the caller adds new rows to ``index`` after
    the transaction commits.
    """
    result: dict[int, int | None] = {}
    # The same matching as the index (national id first, then name) over the
    # organisations this call creates, so a batch of files matches as file by file did:
    # key -> position of the organisation in ``new``.
    pending: dict[tuple[int, str], int] = {}
    new: list[tuple[_Party, int]] = []  # (party, country id)
    waiting: list[tuple[int, int]] = []  # (position in parties, position in new)
    for position, party in enumerate(parties):
        country_id = countries.get(party[0])
        if country_id is None:
            result[position] = None
            continue
        nid, name = party[1], party[2]
        pk = index.find_normalised(country_id, nid, name)
        if pk is not None:
            result[position] = pk
            continue
        id_key = (country_id, f"id:{nid}")
        name_key = (country_id, name)
        found = pending.get(id_key) if nid else None
        if found is None:
            found = pending.get(name_key)
        if found is None:
            found = len(new)
            new.append((party, country_id))
            if nid:
                pending.setdefault(id_key, found)
            pending.setdefault(name_key, found)
        waiting.append((position, found))
    rows = []
    for party, country_id in new:
        name, nuts_code, website, email, national_id, legal_type, activity, ids = party[4]
        rows.append(
            (
                party[3],
                name,
                country_id,
                nuts.get(nuts_code),
                website,
                email,
                national_id,
                codelists.get(("buyer-legal-type", legal_type)),
                codelists.get(("main-activity", activity)),
                False,
                "ted",
                ids,
            )
        )
    pks = insert_rows(Organisation, _ORGANISATION_FIELDS, rows)
    for position, found in waiting:
        result[position] = pks[found]
    created = [
        NewOrganisation(pk, country_id, party[4][4], party[4][0])
        for pk, (party, country_id) in zip(pks, new, strict=True)
    ]
    return result, created


# Files parsed before their rows are written together: one transaction and one INSERT per
# table per batch instead of per file (the per-file round trips were most of the import).
BATCH_SIZE = 250


# The columns of a notice a file gives, in the order of ``_Parsed.values``; the writer adds
# the two it looks up (main CPV, buyer) after them.
_NOTICE_FIELDS = (
    "oj_number",
    "file_name",
    "form",
    "notice_type",
    "publication_date",
    "original_language",
    "title",
    "titles",
    "short_description",
    "nuts_codes",
    "country_code",
    "estimated_value",
    "total_value",
    "currency",
    "tender_deadline",
    "procedure_type",
    "contract_nature",
    "url",
    "content_hash",
    "corrects_oj_number",
    "changes",
    "cpv_main_id",
    "buyer_id",
)
_LOT_FIELDS = ("notice_id", "number", "title", "nuts_codes", "estimated_value", "currency")
_AWARD_FIELDS = (
    "notice_id",
    "lot_number",
    "contract_number",
    "title",
    "is_awarded",
    "award_date",
    "value",
    "currency",
    "tenders_received",
)
_WINNER_FIELDS = (
    "award_id",
    "organisation_id",
    "name",
    "national_id",
    "address",
    "town",
    "postal_code",
    "country_code",
    "nuts_code",
    "is_sme",
)


class _Parsed(NamedTuple):
    """One parsed file as the writer needs it: row values, not the parser's objects."""

    name: str  # the file's
    digest: str
    oj_number: str
    corrects_oj_number: str
    values: tuple[Any, ...]  # _NOTICE_FIELDS but the last two
    cpv_main: str
    cpv_additional: tuple[str, ...]  # without repeats
    buyer: _Party | None
    lots: tuple[tuple[tuple[Any, ...], tuple[str, ...]], ...]  # (_LOT_FIELDS[1:], CPV codes)
    awards: tuple[tuple[tuple[Any, ...], tuple[_Party, ...]], ...]  # (_AWARD_FIELDS[1:], winners)


def _prepare(name: str, digest: str, notice: TedNotice) -> _Parsed:
    """What the writer needs of a parsed notice. Runs where the file was parsed (a worker
    process, usually), so that the writing process only matches, links and inserts."""
    return _Parsed(
        name,
        digest,
        notice.oj_number,
        notice.corrects_oj_number,
        (
            notice.oj_number,
            name[:100],
            notice.form,
            notice.notice_type,
            notice.publication_date,
            notice.original_language,
            notice.title,
            notice.titles,
            notice.short_description,
            notice.nuts_codes,
            notice.country,
            notice.estimated_value,
            notice.total_value,
            notice.currency,
            _aware(notice.tender_deadline),
            notice.procedure_type,
            notice.contract_nature,
            notice.url,
            digest,
            notice.corrects_oj_number,
            notice.changes,
        ),
        notice.cpv_main,
        tuple(dict.fromkeys(notice.cpv_additional)),
        _party(notice.buyer, OrganisationKind.AUTHORITY, False) if notice.buyer else None,
        tuple(
            (
                (lot.number[:50], lot.title, lot.nuts_codes, lot.estimated_value, lot.currency),
                tuple(dict.fromkeys(lot.cpv_codes)),
            )
            for lot in notice.lots
        ),
        tuple(
            (
                (
                    award.lot_number[:50],
                    award.contract_number,
                    award.title,
                    award.is_awarded,
                    award.award_date,
                    award.value,
                    award.currency,
                    award.tenders_received,
                ),
                tuple(_party(w, OrganisationKind.COMPANY, True) for w in award.winners),
            )
            for award in notice.awards
        ),
    )


class _Read(NamedTuple):
    """A :class:`ReadResult` with its notice prepared (see :func:`_prepare`)."""

    name: str
    digest: str
    error: str
    known: bool
    seconds: float
    parsed: _Parsed | None


def _prepared(result: ReadResult) -> _Read:
    name = result.path.name
    parsed = _prepare(name, result.digest, result.notice) if result.notice else None
    return _Read(name, result.digest, result.error, result.known, result.seconds, parsed)


def _read_in_worker(path: Path) -> _Read:
    return _prepared(read_in_worker(path))


class TedImporter:
    """One import run: reference lookups and known notices are loaded once, up front."""

    def __init__(self, *, batch_size: int = BATCH_SIZE) -> None:
        self.batch_size = batch_size
        self.pending: list[_Parsed] = []
        # The batch's digests and OJ numbers, to check each file in constant time.
        self.pending_digests: set[str] = set()
        self.pending_numbers: set[str] = set()
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
        self.accept(read_notice_file(path, self.hashes))

    def accept(self, result: ReadResult | _Read) -> None:
        """Take one read file; its rows are written with the batch (see :meth:`flush`)."""
        read = _prepared(result) if isinstance(result, ReadResult) else result
        self.report.files_read += 1
        if read.error:
            self.report.skipped.append((read.name, read.error))
            return
        digest = read.digest
        if read.known or digest in self.hashes or digest in self.pending_digests:
            self.report.notices_unchanged += 1
            return
        parsed = read.parsed
        assert parsed is not None
        self.report.parse_seconds += read.seconds
        # A notice twice in one batch (a changed copy): the first must be written first.
        if parsed.oj_number in self.pending_numbers:
            self.flush()
        self.pending.append(parsed)
        self.pending_digests.add(digest)
        self.pending_numbers.add(parsed.oj_number)
        if len(self.pending) >= self.batch_size:
            self.flush()

    def flush(self) -> None:
        """Write the parsed batch in one transaction; if that fails, file by file, so that
        one file the database refuses is reported and skipped without losing the others."""
        batch, self.pending = self.pending, []
        self.pending_digests, self.pending_numbers = set(), set()
        if not batch:
            return
        started = time.perf_counter()
        try:
            self._commit(batch)
        except DatabaseError:
            if len(batch) == 1:
                raise
            for item in batch:
                try:
                    self._commit([item])
                except DatabaseError as exc:
                    self.report.skipped.append((item.name, f"not stored: {exc}"))
        self.report.write_seconds += time.perf_counter() - started

    def _commit(self, batch: list[_Parsed]) -> None:
        with transaction.atomic():
            written, counts, new_orgs = self._write(batch)
        # Only after the commit: a rolled-back batch must not leave ids in the caches.
        for item, (pk, created) in zip(batch, written, strict=True):
            self.hashes.add(item.digest)
            self.notices[item.oj_number] = pk
            if item.corrects_oj_number:
                self.corrected.add(item.corrects_oj_number)
            if created:
                self.report.notices_created += 1
            else:
                self.report.notices_updated += 1
        for org in new_orgs:
            self.organisations.add(org.pk, org.country_id, org.national_id, org.name)
        for name, value in counts.items():
            setattr(self.report, name, getattr(self.report, name) + value)

    def _write(
        self, batch: list[_Parsed]
    ) -> tuple[list[tuple[int, bool]], dict[str, int], list[NewOrganisation]]:
        # Every party of the batch matched or created in one go; remember where each
        # notice's parties start in the flat list.
        parties: list[_Party] = []
        offsets: list[int] = []
        for item in batch:
            offsets.append(len(parties))
            if item.buyer is not None:
                parties.append(item.buyer)
            for _award, winners in item.awards:
                parties.extend(winners)
        org_ids, new_orgs = unclaimed_organisations_create(
            parties=parties,
            index=self.organisations,
            countries=self.countries,
            nuts=self.nuts,
            codelists=self.codelists,
        )

        # New notices are inserted as plain rows (no model instances: building them was
        # most of the write time); a changed file updates its notice through the ORM, so
        # that saving it sends the signals that reindex it.
        cpv = self.cpv
        pks: list[int | None] = []
        created_flags: list[bool] = []
        new_rows: list[tuple[Any, ...]] = []
        new_positions: list[int] = []
        for position, (item, offset) in enumerate(zip(batch, offsets, strict=True)):
            buyer_id = org_ids.get(offset) if item.buyer is not None else None
            values = (*item.values, cpv.get(item.cpv_main), buyer_id)
            existing_pk = self.notices.get(item.oj_number)
            if existing_pk is None:
                new_rows.append(values)
                new_positions.append(position)
                pks.append(None)
                created_flags.append(True)
            else:
                row = ExternalNotice.objects.get(pk=existing_pk)
                for name, value in zip(_NOTICE_FIELDS, values, strict=True):
                    setattr(row, name, value)
                row.save()
                # A changed file replaces what it published; corrigenda are re-applied below.
                row.lots.all().delete()
                row.awards.all().delete()
                row.cpv_additional.clear()
                pks.append(row.pk)
                created_flags.append(False)
        for position, pk in zip(
            new_positions, insert_rows(ExternalNotice, _NOTICE_FIELDS, new_rows), strict=True
        ):
            pks[position] = pk
        notice_pks = [pk for pk in pks if pk is not None]
        assert len(notice_pks) == len(batch)

        # The through tables directly: .add() would first read what is there (nothing, here).
        _link(
            ExternalNotice.cpv_additional.through,
            [
                (pk, cpv[code])
                for pk, item in zip(notice_pks, batch, strict=True)
                for code in item.cpv_additional
                if code in cpv
            ],
        )
        lots = [(pk, lot) for pk, item in zip(notice_pks, batch, strict=True) for lot in item.lots]
        lot_pks = insert_rows(
            ExternalLot, _LOT_FIELDS, [(pk, *values) for pk, (values, _codes) in lots]
        )
        _link(
            ExternalLot.cpv_codes.through,
            [
                (lot_pk, cpv[code])
                for lot_pk, (_, (_values, codes)) in zip(lot_pks, lots, strict=True)
                for code in codes
                if code in cpv
            ],
        )
        award_rows: list[tuple[Any, ...]] = []
        # Each award's winners and the position of the first in ``parties``.
        award_winners: list[tuple[tuple[_Party, ...], int]] = []
        for pk, item, offset in zip(notice_pks, batch, offsets, strict=True):
            position = offset + (1 if item.buyer is not None else 0)
            for values, winners in item.awards:
                award_rows.append((pk, *values))
                award_winners.append((winners, position))
                position += len(winners)
        award_pks = insert_rows(ExternalAward, _AWARD_FIELDS, award_rows)
        winner_rows = [
            (award_pk, org_ids.get(position), *party[5])
            for award_pk, (winners, first) in zip(award_pks, award_winners, strict=True)
            for position, party in enumerate(winners, start=first)
        ]
        # Nothing refers to the winners' rows: no ids to read back.
        insert_rows(ExternalAwardWinner, _WINNER_FIELDS, winner_rows, returning=False)

        applied = self._apply_corrigenda(notice_pks, batch)
        return (
            list(zip(notice_pks, created_flags, strict=True)),
            {
                "lots": len(lot_pks),
                "awards": len(award_pks),
                "winners": len(winner_rows),
                "organisations_created": len(new_orgs),
                "corrigenda_applied": applied,
            },
            new_orgs,
        )

    def _apply_corrigenda(self, pks: list[int], batch: list[_Parsed]) -> int:
        """Apply each corrigendum of the batch to its notice when that is known, and the
        known corrigenda of each notice of the batch, oldest first."""
        in_batch = {item.oj_number: pk for pk, item in zip(pks, batch, strict=True)}
        known = {**self.notices, **in_batch}
        pairs: set[tuple[int, int]] = set()  # (corrigendum pk, target pk)
        for pk, item in zip(pks, batch, strict=True):
            target_pk = known.get(item.corrects_oj_number or "")
            if item.corrects_oj_number and target_pk is not None:
                pairs.add((pk, target_pk))
        corrected_here = {item.oj_number for item in batch if item.oj_number in self.corrected}
        if corrected_here:
            for pk, corrects in ExternalNotice.objects.filter(
                corrects_oj_number__in=corrected_here
            ).values_list("pk", "corrects_oj_number"):
                pairs.add((pk, in_batch[corrects]))
        if not pairs:
            return 0
        notices = ExternalNotice.objects.in_bulk({pk for pair in pairs for pk in pair})
        ordered = sorted(
            pairs,
            key=lambda pair: (
                pair[1],
                notices[pair[0]].publication_date or dt.date.min,
                notices[pair[0]].oj_number,
            ),
        )
        for corrigendum_pk, target_pk in ordered:
            corrigendum_apply(
                corrigendum=notices[corrigendum_pk], target=notices[target_pk], cpv=self.cpv
            )
        return len(ordered)


def _link(through: type[models.Model], pairs: list[tuple[int, int]]) -> None:
    """Rows of a many-to-many table (two integer columns, in their declared order) in one
    executemany: building a model instance per row cost more than the insert itself."""
    if not pairs:
        return
    columns = [f.column for f in through._meta.local_fields if not f.primary_key]
    quote = connection.ops.quote_name
    # Identifiers come from the model's metadata, never from input; values are parameters.
    table = quote(through._meta.db_table)
    names = ", ".join(quote(c) for c in columns)
    sql = f"INSERT INTO {table} ({names}) VALUES (%s, %s)"  # noqa: S608
    with connection.cursor() as cursor:
        cursor.executemany(sql, pairs)


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


def _workers(files: int) -> int:
    # Starting processes costs more than parsing a few files.
    if files < 200:
        return 1
    return max(1, min(os.cpu_count() or 1, 4))


def ted_import(
    *,
    actor: Any = None,
    paths: Iterable[Path | str],
    progress: Any = None,
    workers: int | None = None,
) -> ImportReport:
    """Import TED XML notices from files and directories; see the module docstring.

    ``actor`` is None for the command line (the system); a user must be a superuser.
    ``progress`` wraps the file list (e.g. ``lambda files: tqdm(files)``). ``workers``:
    processes that parse (default: one per CPU, at most 4, for 200 files or more; inside
    a transaction always this process alone).
    """
    if actor is not None and not getattr(actor, "is_superuser", False):
        raise NotAllowed("Only an administrator can import TED notices.")
    files = ted_files(paths)
    importer = TedImporter()
    iterator: Iterator[Path] | Iterable[Path] = progress(files) if progress else files
    workers = _workers(len(files)) if workers is None else workers
    if workers > 1 and not connection.in_atomic_block:
        importer.report.workers = workers
        # Parsing is most of the work and needs no database: worker processes parse while
        # this one writes. Connections are closed first so that no child inherits one.
        connections.close_all()
        context = multiprocessing.get_context("fork" if sys.platform == "linux" else "spawn")
        # What the process holds already (Django, the reference lookups…) is out of the
        # garbage collector's reach for the run: its full collections no longer walk it,
        # here or in the forked workers (where walking it would also copy its pages).
        gc.freeze()
        try:
            with ProcessPoolExecutor(
                workers,
                mp_context=context,
                initializer=init_worker,
                initargs=(frozenset(importer.hashes),),
            ) as pool:
                results = pool.map(_read_in_worker, files, chunksize=16)
                for _path, result in zip(iterator, results, strict=True):
                    importer.accept(result)
        finally:
            gc.unfreeze()
    else:
        for path in iterator:
            importer.import_file(path)
    importer.flush()
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
