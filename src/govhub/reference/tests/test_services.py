"""Loading the reference data: the real files, idempotency, updates, permissions, audit."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.db.models import Count

from govhub.core.errors import NotAllowed
from govhub.core.models import AuditEvent
from govhub.reference import build
from govhub.reference.models import CodelistEntry, Country, CpvCode, NutsRegion
from govhub.reference.services import reference_load


def _empty_reference_tables() -> None:
    """Start from nothing, whatever an earlier test of the session left committed."""
    CodelistEntry.objects.all().delete()
    Country.objects.all().delete()
    for model in (CpvCode, NutsRegion):
        model.objects.update(parent=None)
        model.objects.all().delete()


@pytest.fixture
def empty_reference(db) -> None:
    _empty_reference_tables()


@pytest.fixture(scope="module")
def built_from_shared(tmp_path_factory) -> Path:
    from django.conf import settings

    source = Path(settings.SHARED_DATA_DIR)
    if not (source / "cpv").is_dir() or not (source / "eforms" / "codelists").is_dir():
        pytest.skip(f"shared data not found at {source} (set GOVHUB_SHARED_DATA)")
    target = tmp_path_factory.mktemp("reference")
    build.write(build.build(source), target)
    return target


@pytest.mark.shared_data
def test_load_from_the_real_files(empty_reference, built_from_shared):
    report = reference_load(source=built_from_shared)

    assert CpvCode.objects.count() == 9454 == report.counts["cpv"].created
    assert not CpvCode.objects.filter(labels__en__isnull=True).exists()
    assert not CpvCode.objects.filter(labels__ro__isnull=True).exists()
    assert (
        CpvCode.objects.filter(parent__isnull=True).count()
        == CpvCode.objects.filter(level=2).count()
    )
    for cpv in CpvCode.objects.select_related("parent").filter(parent__isnull=False):
        parent = cpv.parent
        assert parent is not None
        assert parent.level < cpv.level
        assert cpv.digits.startswith(parent.digits[: parent.level])
    regions = NutsRegion.objects.select_related("parent")
    for region in regions:
        if region.level == 0:
            assert region.parent is None
        else:
            assert region.parent is not None, region.code
            assert region.parent.code == region.code[:-1]
            assert region.parent.level == region.level - 1
            assert region.country_code == region.code[:2]
    assert Country.objects.filter(is_eu=True).count() == 27
    lists = build.read("codelists.json.gz", built_from_shared)["lists"]
    counts = dict(CodelistEntry.objects.values_list("codelist").annotate(n=Count("id")))
    assert counts == {name: len(data["entries"]) for name, data in lists.items()}


def test_load_is_idempotent_and_audited_once(empty_reference):
    events_before = AuditEvent.objects.filter(action="reference.load").count()

    first = reference_load()
    second = reference_load()

    assert first.total("created") > 13000
    assert first.audit_event_id is not None
    assert second.total("created") == second.total("updated") == 0
    assert second.total("unchanged") == first.total("created")
    assert second.audit_event_id is None
    events = AuditEvent.objects.filter(action="reference.load")
    assert events.count() == events_before + 1
    event = events.order_by("-id").first()
    assert event is not None
    assert event.after is not None
    assert event.after["cpv"]["created"] == 9454
    assert event.actor_label == "system"


def test_load_updates_only_what_differs(reference_data):
    cpv = CpvCode.objects.get(code="45215140-0")
    cpv.labels = {"en": "Changed by hand"}
    cpv.save()
    Country.objects.filter(code="NOR").update(is_eu=True)
    NutsRegion.objects.filter(code="PT11").update(labels={"en": "Somewhere"})

    report = reference_load()

    assert report.total("updated") == 3
    assert report.total("created") == 0
    assert report.counts["cpv"].updated == 1
    cpv.refresh_from_db()
    assert cpv.labels["en"] == "Hospital facilities construction work"
    assert "hospital facilities" in cpv.search_text
    assert not Country.objects.get(code="NOR").is_eu
    assert report.audit_event_id is not None


def test_rows_gone_from_the_files_are_kept_and_counted(reference_data):
    CodelistEntry.objects.create(codelist="currency", code="XXX", labels={"en": "Old money"})

    report = reference_load()

    assert report.counts["currency"].obsolete == 1
    assert CodelistEntry.objects.filter(codelist="currency", code="XXX").exists()
    assert not report.changed


def test_only_a_superuser_may_load(empty_reference, outsider, moderator):
    events_before = AuditEvent.objects.count()

    for user in (outsider, moderator):
        with pytest.raises(NotAllowed):
            reference_load(actor=user)

    assert not CpvCode.objects.exists()
    assert not Country.objects.exists()
    assert AuditEvent.objects.count() == events_before


def test_a_superuser_may_load(empty_reference, make_user):
    admin = make_user("admin@example.eu", is_superuser=True, is_staff=True)

    report = reference_load(actor=admin)

    assert report.audit_event_id is not None
    event = AuditEvent.objects.get(pk=report.audit_event_id)
    assert event.actor_id == admin.pk
    assert event.action == "reference.load"
