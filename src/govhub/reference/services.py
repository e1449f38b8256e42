"""Loading the packaged reference vocabularies into the database.

``reference_load`` compares the packaged files with the rows already there and writes only
what differs, so a second run is quick and changes nothing. Rows no longer in the files are
counted, never deleted: procurement data may point at them.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TypeVar

from django.db import connection, models, transaction

from govhub.core.audit import audit_record
from govhub.core.errors import NotAllowed

from . import build
from .models import CodelistEntry, Country, CpvCode, NutsRegion
from .permissions import can_load_reference
from .selectors import search_text_for

_BATCH = 500

Progress = Callable[[int], object]


@dataclass
class DatasetCounts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    # In the database but no longer in the files: kept, as other data may refer to them.
    obsolete: int = 0

    def as_dict(self) -> dict[str, int]:
        return {
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "obsolete": self.obsolete,
        }


@dataclass
class LoadReport:
    counts: dict[str, DatasetCounts] = field(default_factory=dict)
    audit_event_id: int | None = None

    @property
    def changed(self) -> bool:
        return any(c.created or c.updated for c in self.counts.values())

    def total(self, what: str) -> int:
        return sum(getattr(c, what) for c in self.counts.values())

    def summary(self) -> dict[str, dict[str, int]]:
        return {name: counts.as_dict() for name, counts in self.counts.items()}


def reference_rows(source: Path | None = None) -> int:
    """How many rows the packaged files hold (the progress bar's total)."""
    data = {name: build.read(name, source) for name in build.FILES}
    lists = data["codelists.json.gz"]["lists"].values()
    return sum(len(data[name]["rows"]) for name in build.FILES[:3]) + sum(
        len(entries["entries"]) for entries in lists
    )


def reference_load(
    *, actor: Any = None, source: Path | None = None, progress: Progress | None = None
) -> LoadReport:
    """Load (or bring up to date) CPV, NUTS, countries and the eForms codelists.

    ``source`` is a directory of packaged files (default: the package's own ``data/``).
    Writes one ``reference.load`` audit event when anything changed.
    """
    if not can_load_reference(actor):
        raise NotAllowed("Only a platform administrator may load the reference data.")
    with transaction.atomic():
        report = load_packaged_data(source=source, progress=progress)
        if report.changed:
            event = audit_record(
                actor=actor,
                action="reference.load",
                object_type="reference.data",
                object_id="reference-data",
                object_label="Reference vocabularies (CPV, NUTS, countries, codelists)",
                after=report.summary(),
            )
            report.audit_event_id = event.pk
    return report


def load_packaged_data(
    *, source: Path | None = None, progress: Progress | None = None
) -> LoadReport:
    """The loading itself, unaudited: for ``reference_load`` and the test fixtures, whose
    session-wide load must not leave an audit event behind in every app's tests."""
    data = {name: build.read(name, source) for name in build.FILES}
    tick: Progress = progress or (lambda n: None)
    report = LoadReport()
    with transaction.atomic():
        report.counts["countries"] = _load_countries(data["countries.json.gz"]["rows"], tick)
        report.counts["cpv"] = _load_tree(
            CpvCode,
            (
                (
                    code,
                    level,
                    parent,
                    {"digits": code.split("-")[0], "level": level, "labels": labels},
                )
                for code, parent, level, labels in data["cpv.json.gz"]["rows"]
            ),
            tick,
        )
        report.counts["nuts"] = _load_tree(
            NutsRegion,
            (
                (code, level, parent, {"level": level, "country_code": code[:2], "labels": labels})
                for code, level, parent, labels in data["nuts.json.gz"]["rows"]
            ),
            tick,
        )
        for name, codelist in data["codelists.json.gz"]["lists"].items():
            report.counts[name] = _load_codelist(name, codelist["entries"], tick)
    return report


_M = TypeVar("_M", bound=models.Model)


def _write(
    model: type[_M],
    key_fields: tuple[str, ...],
    wanted: dict[Any, dict[str, Any]],
    existing: dict[Any, dict[str, Any]],
    counts: DatasetCounts,
) -> list[_M]:
    """Create the missing rows and update the differing ones; return the created rows."""
    fields = sorted({f for values in wanted.values() for f in values} - set(key_fields) - {"id"})
    to_create: list[_M] = []
    to_update: list[_M] = []
    for key, values in wanted.items():
        current = existing.get(key)
        if current is None:
            to_create.append(model(**values))
        elif any(current[f] != values[f] for f in fields):
            to_update.append(model(pk=current["id"], **values))
        else:
            counts.unchanged += 1
    created = model._default_manager.bulk_create(to_create, batch_size=_BATCH)
    if to_update:
        model._default_manager.bulk_update(to_update, fields, batch_size=_BATCH)
    counts.created += len(to_create)
    counts.updated += len(to_update)
    return created


def _load_countries(rows: list[list[Any]], tick: Progress) -> DatasetCounts:
    counts = DatasetCounts()
    wanted = {
        code: {
            "code": code,
            "alpha2": alpha2,
            "is_eu": is_eu,
            "labels": labels,
            "search_text": search_text_for(labels),
        }
        for code, alpha2, is_eu, labels in rows
    }
    fields = ("id", "code", "alpha2", "is_eu", "labels", "search_text")
    existing = {row["code"]: row for row in Country.objects.values(*fields)}
    _write(Country, ("code",), wanted, existing, counts)
    counts.obsolete = len(existing.keys() - wanted.keys())
    tick(len(rows))
    return counts


def _load_tree(
    model: type[CpvCode] | type[NutsRegion],
    rows: Iterable[tuple[str, int, str | None, dict[str, Any]]],
    tick: Progress,
) -> DatasetCounts:
    """Load a hierarchy level by level, so that every parent has its id before its children."""
    counts = DatasetCounts()
    by_level: dict[int, list[tuple[str, str | None, dict[str, Any]]]] = defaultdict(list)
    for code, level, parent, values in rows:
        by_level[level].append((code, parent, values))
    compared = ("id", "code", "parent_id", "search_text", *next(iter(by_level.values()))[0][2])
    existing = {row["code"]: row for row in model._default_manager.values(*compared)}
    ids = {code: row["id"] for code, row in existing.items()}
    seen: set[str] = set()
    for level in sorted(by_level):
        wanted = {}
        for code, parent, values in by_level[level]:
            wanted[code] = {
                "code": code,
                "parent_id": ids[parent] if parent else None,
                "search_text": search_text_for(values["labels"]),
                **values,
            }
        created = _write(model, ("code",), wanted, existing, counts)
        if created and not connection.features.can_return_rows_from_bulk_insert:
            created = list(model._default_manager.filter(code__in=[o.code for o in created]))
        ids.update({obj.code: obj.pk for obj in created})
        seen.update(wanted)
        tick(len(wanted))
    counts.obsolete = len(existing.keys() - seen)
    return counts


def _load_codelist(name: str, entries: list[list[Any]], tick: Progress) -> DatasetCounts:
    counts = DatasetCounts()
    wanted = {
        code: {
            "codelist": name,
            "code": code,
            "labels": labels,
            "extra": extra,
            "parent_code": "",
            "search_text": search_text_for(labels),
        }
        for code, labels, extra in entries
    }
    fields = ("id", "code", "labels", "extra", "parent_code", "search_text")
    existing = {
        row["code"]: row for row in CodelistEntry.objects.filter(codelist=name).values(*fields)
    }
    _write(CodelistEntry, ("codelist", "code"), wanted, existing, counts)
    counts.obsolete = len(existing.keys() - wanted.keys())
    tick(len(entries))
    return counts
