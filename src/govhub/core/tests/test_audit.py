from __future__ import annotations

import pytest
from django.db import connection, transaction

from govhub.core.audit import GENESIS_HASH, audit_record, audit_verify
from govhub.core.models import AuditChainHead, AuditEvent

pytestmark = pytest.mark.django_db


def _record(actor, n: int) -> AuditEvent:
    with transaction.atomic():
        return audit_record(
            actor=actor,
            action="test.changed",
            object_type="tests.thing",
            object_id=f"thing-{n}",
            before={"value": n - 1},
            after={"value": n},
        )


def _tamper(sql: str, params: list) -> None:
    # PostgreSQL refuses UPDATE/DELETE on audit rows (trigger); a tamperer with owner rights
    # could disable it, so the test does the same to prove the chain still catches it.
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute(sql, params)
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")


def test_events_chain_by_hash(outsider):
    first = _record(outsider, 1)
    second = _record(outsider, 2)
    assert first.prev_hash == GENESIS_HASH
    assert second.prev_hash == first.hash
    assert AuditChainHead.objects.get().last_hash == second.hash
    assert second.actor_label == str(outsider.public_id)
    assert audit_verify().ok
    assert audit_verify().checked == 2


def test_audit_record_refuses_to_run_outside_a_transaction(outsider):
    # pytest-django wraps each test in a transaction; leave it to see the guard fire.
    transaction.get_connection().in_atomic_block = False
    try:
        with pytest.raises(RuntimeError):
            audit_record(actor=outsider, action="x", object_type="t", object_id="1")
    finally:
        transaction.get_connection().in_atomic_block = True
    assert AuditEvent.objects.count() == 0


def test_verify_reports_an_altered_event(outsider):
    _record(outsider, 1)
    second = _record(outsider, 2)
    _record(outsider, 3)
    _tamper("UPDATE core_auditevent SET after = %s WHERE id = %s", ['{"value": 99}', second.pk])
    result = audit_verify()
    assert not result.ok
    assert result.broken_event_id == second.pk
    assert "altered" in result.reason


def test_verify_reports_a_removed_event(outsider):
    _record(outsider, 1)
    second = _record(outsider, 2)
    third = _record(outsider, 3)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [second.pk])
    result = audit_verify()
    assert not result.ok
    assert result.broken_event_id == third.pk


def test_verify_reports_a_truncated_tail(outsider):
    _record(outsider, 1)
    last = _record(outsider, 2)
    _tamper("DELETE FROM core_auditevent WHERE id = %s", [last.pk])
    result = audit_verify()
    assert not result.ok
    assert "end" in result.reason


def test_postgresql_refuses_to_rewrite_history(outsider):
    if connection.vendor != "postgresql":
        pytest.skip("the append-only trigger exists on PostgreSQL only")
    event = _record(outsider, 1)
    from django.db import DatabaseError

    with pytest.raises(DatabaseError), transaction.atomic():
        AuditEvent.objects.filter(pk=event.pk).update(action="rewritten")
    assert AuditEvent.objects.get(pk=event.pk).action == "test.changed"
