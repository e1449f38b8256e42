from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction

from govhub.core.audit import audit_record

pytestmark = pytest.mark.django_db


def test_audit_verify_command(outsider, capsys):
    with transaction.atomic():
        first = audit_record(actor=outsider, action="t.a", object_type="t", object_id="1")
        audit_record(actor=outsider, action="t.b", object_type="t", object_id="2")
    call_command("audit", "verify")
    assert "intact: 2 events" in capsys.readouterr().out
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent DISABLE TRIGGER USER")
        cursor.execute("UPDATE core_auditevent SET action = 't.forged' WHERE id = %s", [first.pk])
        if connection.vendor == "postgresql":
            cursor.execute("ALTER TABLE core_auditevent ENABLE TRIGGER USER")
    with pytest.raises(CommandError, match=f"broken at event #{first.pk}"):
        call_command("audit", "verify")
