"""The organisations named in TED notices: name normalisation, the matching index, and the
unclaimed organisations an import creates for the parties it cannot match."""

from __future__ import annotations

import datetime as dt
import functools
import hashlib
import re
import unicodedata
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone

from govhub.core.bulk import insert_rows
from govhub.organisations.models import Organisation

from ..ted import TedParty

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


# pg_advisory_xact_lock's key: any stable 64-bit number no other lock uses; derived from
# a name so that it says what it locks.
ORGANISATIONS_LOCK_KEY = int.from_bytes(
    hashlib.sha256(b"govhub: ted-import organisations").digest()[:8], "big", signed=True
)


# Organisations created without the lock below (see OrganisationIndex.refresh) are stamped
# created_at just before their INSERT and commit with their transaction: a web request or a
# catalogue file, which end within seconds. Rows stamped up to this long before a read and
# committed after it are still caught; it also absorbs clock differences between hosts.
# Taking the lock wherever organisations are created instead would make every registration
# wait for an import's batch, and a path that forgot it (the catalogue import creates
# organisations itself) would bring the duplicates back; the re-read costs one scan of the
# table per batch on PostgreSQL, and TED's own rows are left out of it (they are created
# under the lock, so their keys alone cover them) so that it stays small.
LATE_COMMIT_MARGIN = dt.timedelta(minutes=10)


def _lock_organisations() -> None:
    """Until the caller's transaction ends, no other import matches or creates organisations.

    PostgreSQL: a transaction-level advisory lock. It is released at commit or rollback,
    once the holder's rows are visible, so the statements that follow its taking see them
    (READ COMMITTED: each statement reads what was committed before it started).
    SQLite needs no lock: its transactions begin IMMEDIATE (``transaction_mode`` in the
    settings), so the caller's transaction has held the database's single write lock since
    BEGIN, and what it reads includes every other writer's committed rows.
    """
    if not connection.in_atomic_block:
        # Outside a transaction the lock would be released as soon as it is taken.
        raise RuntimeError("organisations are matched and created inside a transaction")
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [ORGANISATIONS_LOCK_KEY])


class OrganisationIndex:
    """Every organisation's matching keys, so a run matches without one query per party."""

    def __init__(self) -> None:
        self.by_national_id: dict[tuple[int, str], int] = {}
        self.by_name: dict[tuple[int, str], int] = {}
        self.last_pk = 0  # the highest primary key read from the table
        self.last_read_at: datetime | None = None  # when the last read started
        if connection.vendor == "sqlite":
            # A plain read: an IMMEDIATE transaction would take the database's write lock
            # just to read, and wait for (or fail on) any import or user writing meanwhile.
            # What this read misses (rows committed after it) has higher keys than all it
            # saw, since SQLite's writers insert one at a time and never reuse a key
            # (AUTOINCREMENT); the catch-up under the write lock reads them.
            self.refresh()
        else:
            with transaction.atomic():
                _lock_organisations()
                self.refresh()

    def refresh(self) -> None:
        """Add the organisations created since the last read, by this run or another.

        On PostgreSQL, called with the lock held (:func:`_lock_organisations`): no other
        import is then halfway through creating organisations, so none of theirs can commit
        later with a lower primary key than the highest read here (the sequence hands keys
        out at insert, and theirs are all inserted under the lock). Organisations created
        elsewhere (a user registering one, the catalogue import) do not take the lock: one
        may take its key before a read and commit after it, below the highest key read.
        Those are read again by their creation time, within :data:`LATE_COMMIT_MARGIN` of
        the previous read.
        """
        rows = Organisation.objects.filter(pk__gt=self.last_pk)
        if connection.vendor == "postgresql" and self.last_read_at is not None:
            created_elsewhere = Q(created_at__gte=self.last_read_at - LATE_COMMIT_MARGIN) & ~Q(
                source="ted", is_claimed=False
            )
            rows = Organisation.objects.filter(Q(pk__gt=self.last_pk) | created_elsewhere)
        self.last_read_at = timezone.now()
        for pk, country_id, national_id, name in rows.values_list(
            "pk", "country_id", "national_id", "name"
        ):
            self.add(pk, country_id, national_id, name)
            self.last_pk = max(self.last_pk, pk)

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
    # Another import (a second `govhub import-ted`, the import task) may have created some of
    # these organisations since ``index`` was read: matching and inserting are serialised
    # between imports, and the index catches up inside the serialised section.
    _lock_organisations()
    index.refresh()
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
