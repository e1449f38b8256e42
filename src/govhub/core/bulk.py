"""Bulk inserts for importers: ``bulk_create`` without the query compiler's per-value cost.

``QuerySet.bulk_create`` prepares every value through the SQL compiler (pre_save, field
preparation, placeholder assembly), which on a large import costs more than the database's
own work. :func:`bulk_insert` builds one multi-row ``INSERT … RETURNING`` per chunk, converts
only the values whose type needs the backend's adaptation (UUIDs, dates, decimals, JSON) with
the field's own ``get_db_prep_save``, and sets the new primary keys on the instances, as
``bulk_create`` does. Like ``bulk_create`` it sends no signals and calls no ``save()``.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from django.db import connections, router
from django.db.models import Field, Model
from django.utils import timezone

M = TypeVar("M", bound=Model)

# Values of these fields need the backend's adaptation; every other concrete field (text,
# numbers, booleans, foreign keys' ids) is passed as it is.
ADAPTED = {"UUIDField", "DateTimeField", "DateField", "TimeField", "DecimalField", "JSONField"}


def _reader(field: Field[Any, Any], connection: Any) -> Callable[[Model], Any]:
    name = field.attname
    if field.get_internal_type() in ADAPTED:
        prepare = field.get_db_prep_save
        return lambda obj: prepare(getattr(obj, name), connection)
    return lambda obj: getattr(obj, name)


def _constant(value: Any) -> Callable[[Model], Any]:
    return lambda obj: value


def bulk_insert(model: type[M], objs: Sequence[M]) -> list[M]:
    """Insert unsaved instances of ``model`` (auto-increment primary key) and return them
    with their primary keys set."""
    objs = list(objs)
    if not objs:
        return objs
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    if not connection.features.can_return_rows_from_bulk_insert or meta.parents:
        return model._default_manager.bulk_create(objs)
    pk = meta.pk
    assert pk is not None  # every concrete model has one
    fields = [f for f in meta.concrete_fields if f is not pk]
    now = timezone.now()
    readers: list[Callable[[Model], Any]] = []
    for field in fields:
        if getattr(field, "auto_now", False) or getattr(field, "auto_now_add", False):
            for obj in objs:
                setattr(obj, field.attname, now)
            # The same moment for every row: adapted once.
            readers.append(_constant(field.get_db_prep_save(now, connection)))
        else:
            readers.append(_reader(field, connection))
    quote = connection.ops.quote_name
    # Identifiers come from the model's metadata, never from input; values are parameters.
    columns = ", ".join(quote(f.column) for f in fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
    row = "(" + ", ".join(["%s"] * len(fields)) + ")"
    size = max(1, connection.ops.bulk_batch_size(fields, objs))
    with connection.cursor() as cursor:
        for start in range(0, len(objs), size):
            chunk = objs[start : start + size]
            params = [reader(obj) for obj in chunk for reader in readers]
            sql = f"{head}{', '.join([row] * len(chunk))} RETURNING {quote(pk.column)}"
            cursor.execute(sql, params)
            for obj, (new_pk,) in zip(chunk, cursor.fetchall(), strict=True):
                obj.pk = new_pk
                obj._state.adding = False
                obj._state.db = alias
    return objs
