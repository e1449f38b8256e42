"""Tamper-evident audit log.

Every state-changing service calls :func:`audit_record` inside its own transaction, so the
event commits or rolls back with the change it describes. Each event's hash covers its
content and the previous event's hash; :func:`audit_verify` recomputes the chain.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from typing import Any

from django.core.serializers.json import DjangoJSONEncoder
from django.db import connection, models, transaction
from django.utils import timezone

from .context import current_request_id
from .models import AuditChainHead, AuditEvent

GENESIS_HASH = "0" * 64


def _normalise(data: Mapping[str, Any] | None) -> dict[str, Any] | None:
    """Round-trip through JSON so what is hashed is exactly what the JSONField stores."""
    if data is None:
        return None
    result: dict[str, Any] = json.loads(json.dumps(data, cls=DjangoJSONEncoder))
    return result


def _canonical(payload: Mapping[str, Any]) -> bytes:
    return json.dumps(payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def _timestamp(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")


def compute_hash(event: AuditEvent) -> str:
    payload = {
        "prev": event.prev_hash,
        "at": _timestamp(event.occurred_at),
        "actor": event.actor_id,
        "actor_label": event.actor_label,
        "action": event.action,
        "object_type": event.object_type,
        "object_id": event.object_id,
        "object_label": event.object_label,
        "organisation": str(event.organisation_id) if event.organisation_id else None,
        "before": event.before,
        "after": event.after,
        "request_id": event.request_id,
    }
    return hashlib.sha256(_canonical(payload)).hexdigest()


def object_type_of(obj: models.Model) -> str:
    return obj._meta.label_lower


def audit_record(
    *,
    actor: Any,
    action: str,
    obj: models.Model | None = None,
    object_type: str | None = None,
    object_id: str | None = None,
    object_label: str | None = None,
    organisation_id: Any = None,
    before: Mapping[str, Any] | None = None,
    after: Mapping[str, Any] | None = None,
) -> AuditEvent:
    """Append one event to the chain. Must run inside the caller's transaction."""
    if not connection.in_atomic_block:
        raise RuntimeError("audit_record() must be called inside the service's transaction")
    if obj is not None:
        object_type = object_type or object_type_of(obj)
        object_id = object_id or str(getattr(obj, "public_id", None) or obj.pk)
        object_label = object_label if object_label is not None else str(obj)[:300]
    if not object_type or not object_id:
        raise ValueError("an audit event needs the object it is about")
    user = actor if getattr(actor, "is_authenticated", False) else None
    # Locking the head row orders concurrent writers on PostgreSQL; SQLite's IMMEDIATE
    # transactions already hold the database's single write lock.
    head = AuditChainHead.objects.select_for_update().filter(pk=1).first()
    if head is None:
        head = AuditChainHead.objects.create(pk=1, last_event_id=0, last_hash=GENESIS_HASH)
        head = AuditChainHead.objects.select_for_update().get(pk=1)
    event = AuditEvent(
        occurred_at=timezone.now(),
        actor=user,
        actor_label=str(user.public_id) if user else "system",
        action=action,
        object_type=object_type,
        object_id=str(object_id),
        object_label=(object_label or "")[:300],
        organisation_id=organisation_id,
        before=_normalise(before),
        after=_normalise(after),
        request_id=current_request_id() or "",
        prev_hash=head.last_hash,
    )
    event.hash = compute_hash(event)
    event.save()
    head.last_event_id = event.pk
    head.last_hash = event.hash
    head.save(update_fields=["last_event_id", "last_hash"])
    return event


@dataclass(frozen=True)
class VerifyResult:
    ok: bool
    checked: int
    broken_event_id: int | None = None
    reason: str = ""


def _iter_events(batch: int = 2000) -> Iterator[AuditEvent]:
    last = 0
    while True:
        chunk = list(AuditEvent.objects.filter(pk__gt=last).order_by("pk")[:batch])
        if not chunk:
            return
        yield from chunk
        last = chunk[-1].pk


def audit_verify() -> VerifyResult:
    """Recompute every hash in order; report the first event whose link does not hold."""
    with transaction.atomic():
        prev = GENESIS_HASH
        checked = 0
        last_id = 0
        for event in _iter_events():
            if event.prev_hash != prev:
                return VerifyResult(
                    False,
                    checked,
                    event.pk,
                    "its previous-hash does not match the event before it "
                    "(an event was removed, inserted or reordered)",
                )
            if compute_hash(event) != event.hash:
                return VerifyResult(
                    False,
                    checked,
                    event.pk,
                    "its content no longer matches its hash (the event was altered)",
                )
            prev = event.hash
            last_id = event.pk
            checked += 1
        head = AuditChainHead.objects.filter(pk=1).first()
        if head is not None and (head.last_hash != prev or head.last_event_id != last_id):
            return VerifyResult(
                False,
                checked,
                head.last_event_id or None,
                "the chain ends before the recorded head (events at the end were removed)",
            )
        return VerifyResult(True, checked)


def snapshot(obj: models.Model, fields: list[str]) -> dict[str, Any]:
    """The named fields of ``obj`` as JSON-ready data, for an event's before/after."""
    data: dict[str, Any] = {}
    for name in fields:
        value = getattr(obj, name)
        if isinstance(value, models.Model):
            value = str(getattr(value, "public_id", None) or value.pk)
        data[name] = value
    return data
