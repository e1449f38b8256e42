"""Preparing a parsed notice's rows, where the file was parsed (a worker process, usually),
so that the writing process only matches, links and inserts."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Any, NamedTuple

from govhub.organisations.models import OrganisationKind

from ..ted import ReadResult, TedNotice, read_in_worker
from .organisations import _Party, _party

# TED gives deadlines in the buyer's local time without a zone; Brussels time is the best guess
# for most of the EU (an hour off for the UK, IE, PT, and the east).
BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")


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


def _aware(value: dt.datetime | None) -> dt.datetime | None:
    return value.replace(tzinfo=BRUSSELS) if value is not None else None
