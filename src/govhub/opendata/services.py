"""Writes of the open-data app: bulk files, follows and secret calendar addresses."""

from __future__ import annotations

import csv
import hashlib
import io
import json
import secrets
import tempfile
from dataclasses import dataclass
from typing import IO, Any

from django.core.files import File
from django.core.files.storage import default_storage
from django.core.serializers.json import DjangoJSONEncoder
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.challenges.models import Challenge
from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, NotAllowed
from govhub.opportunities.models import ExternalNotice
from govhub.organisations.models import Organisation

from . import permissions
from .models import BulkFile, BulkFormat, CalendarFeed, Follow
from .tables import Table, tables

STORAGE_DIR = "opendata"


class _HashingWriter(io.RawIOBase):
    """Counts and hashes the bytes written to a file on their way."""

    def __init__(self, target: IO[bytes]) -> None:
        self.target = target
        self.digest = hashlib.sha256()
        self.size = 0

    def writable(self) -> bool:
        return True

    def write(self, data: Any) -> int:
        chunk = bytes(data)
        self.digest.update(chunk)
        self.size += len(chunk)
        self.target.write(chunk)
        return len(chunk)


def _write_csv(table: Table, target: io.TextIOBase) -> int:
    writer: csv.DictWriter[str] | None = None
    count = 0
    for row in table.rows():
        if writer is None:
            writer = csv.DictWriter(target, fieldnames=list(row), extrasaction="ignore")
            writer.writeheader()
        writer.writerow(row)
        count += 1
    return count


def _write_json(table: Table, target: io.TextIOBase) -> int:
    count = 0
    target.write("[")
    for row in table.rows():
        target.write(",\n" if count else "\n")
        target.write(json.dumps(row, cls=DjangoJSONEncoder, ensure_ascii=False))
        count += 1
    target.write("\n]\n")
    return count


def bulk_file_write(*, table: Table, fmt: str) -> BulkFile:
    """Write one table as a file of the default storage (streamed through a temporary file)
    and record its size, checksum and row count."""
    name = f"{STORAGE_DIR}/{table.name}.{fmt}"
    with tempfile.TemporaryFile() as raw:
        hashing = _HashingWriter(raw)
        text = io.TextIOWrapper(
            io.BufferedWriter(hashing), encoding="utf-8", newline="" if fmt == "csv" else None
        )
        rows = _write_csv(table, text) if fmt == BulkFormat.CSV else _write_json(table, text)
        text.flush()
        text.detach()
        raw.seek(0)
        if default_storage.exists(name):
            default_storage.delete(name)
        saved = default_storage.save(name, File(raw, name=f"{table.name}.{fmt}"))
    bulk, _created = BulkFile.objects.update_or_create(
        name=table.name,
        format=fmt,
        defaults={
            "path": saved,
            "size": hashing.size,
            "sha256": hashing.digest.hexdigest(),
            "rows": rows,
            "generated_at": timezone.now(),
        },
    )
    return bulk


def bulk_files_regenerate(*, only: list[str] | None = None) -> list[BulkFile]:
    """Regenerate the bulk files of every public table (or of those named)."""
    written: list[BulkFile] = []
    for table in tables():
        if only and table.name not in only:
            continue
        for fmt in (BulkFormat.CSV, BulkFormat.JSON):
            written.append(bulk_file_write(table=table, fmt=fmt))
    return written


@transaction.atomic
def bulk_regeneration_request(*, actor: Any) -> None:
    """A moderator asks for fresh files now (the work runs as a background task)."""
    if not permissions.can_regenerate(actor):
        raise NotAllowed(_("Only moderators can regenerate the open-data files."))
    from .tasks import regenerate_bulk_files

    audit_record(
        actor=actor, action="opendata.regenerate", object_type="opendata.bulk", object_id="all"
    )
    transaction.on_commit(lambda: regenerate_bulk_files.enqueue())


# --- Follows -------------------------------------------------------------------------------


@transaction.atomic
def follow_add(
    *,
    actor: Any,
    organisation: Organisation,
    challenge: Challenge | None = None,
    notice: ExternalNotice | None = None,
) -> Follow:
    if not permissions.can_follow_for(actor, organisation):
        raise NotAllowed(_("You can follow opportunities only for your own organisation."))
    if (challenge is None) == (notice is None):
        raise Conflict(_("Follow either a challenge or an opportunity."))
    follow, created = Follow.objects.get_or_create(
        organisation=organisation,
        challenge=challenge,
        notice=notice,
        defaults={"created_by": actor},
    )
    if created:
        audit_record(
            actor=actor, action="opendata.follow", obj=follow, after={"target": str(follow)}
        )
    return follow


@transaction.atomic
def follow_remove(*, actor: Any, follow: Follow) -> None:
    if not permissions.can_follow_for(actor, follow.organisation):
        raise NotAllowed(_("You can follow opportunities only for your own organisation."))
    audit_record(
        actor=actor, action="opendata.unfollow", obj=follow, before={"target": str(follow)}
    )
    follow.delete()


# --- Secret calendar addresses -------------------------------------------------------------


def hash_secret(secret: str) -> str:
    return hashlib.sha256(secret.encode()).hexdigest()


@dataclass(frozen=True)
class NewCalendar:
    feed: CalendarFeed
    secret: str  # shown once; only its hash is stored


@transaction.atomic
def calendar_feed_reset(*, actor: Any) -> NewCalendar:
    """A new secret calendar address for the user; any previous one stops working."""
    if not permissions.can_have_calendar(actor):
        raise NotAllowed(_("Sign in to get a calendar address."))
    secret = "cal_" + secrets.token_urlsafe(32)
    feed, _created = CalendarFeed.objects.update_or_create(
        user=actor, defaults={"token_hash": hash_secret(secret), "last_used_at": None}
    )
    audit_record(actor=actor, action="opendata.calendar_reset", obj=feed)
    return NewCalendar(feed=feed, secret=secret)


@transaction.atomic
def calendar_feed_revoke(*, actor: Any) -> None:
    feed = CalendarFeed.objects.filter(user=actor).first()
    if feed is None:
        return
    audit_record(actor=actor, action="opendata.calendar_revoke", obj=feed)
    feed.delete()


def calendar_feed_touch(feed: CalendarFeed) -> None:
    CalendarFeed.objects.filter(pk=feed.pk).update(last_used_at=timezone.now())
