"""The TED import's writer: parsed files written in batches, one transaction each."""

from __future__ import annotations

import datetime as dt
import time
from pathlib import Path
from typing import Any

from django.db import DatabaseError, connection, models, transaction

from govhub.core.bulk import insert_rows
from govhub.reference.models import CodelistEntry, Country, CpvCode, NutsRegion

from ..models import ExternalAward, ExternalAwardWinner, ExternalLot, ExternalNotice
from ..ted import ReadResult, read_notice_file
from .corrigenda import corrigendum_apply
from .organisations import (
    NewOrganisation,
    OrganisationIndex,
    _Party,
    unclaimed_organisations_create,
)
from .report import ImportReport
from .rows import (
    _AWARD_FIELDS,
    _LOT_FIELDS,
    _NOTICE_FIELDS,
    _WINNER_FIELDS,
    _Parsed,
    _prepared,
    _Read,
)

# Files parsed before their rows are written together: one transaction and one INSERT per
# table per batch instead of per file (the per-file round trips were most of the import).
BATCH_SIZE = 250


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
