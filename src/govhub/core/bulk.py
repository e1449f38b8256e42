"""Bulk inserts for importers: rows written without the ORM's per-row and per-value cost.

``QuerySet.bulk_create`` prepares every value through the SQL compiler (pre_save, field
preparation, placeholder assembly), which on a large import costs more than the database's
own work; so does building the model instances it needs (``Model.__init__`` fills every
field and computes every default one attribute at a time).

:func:`insert_rows` takes plain rows (tuples of column values, in the order of the field
names given) and inserts them without building any instance: one multi-row
``INSERT … RETURNING`` per chunk when the new primary keys are wanted (to link child rows),
a single ``executemany`` when they are not. Only the values whose type needs the backend's
adaptation (UUIDs, dates, decimals, JSON) go through the field's own ``get_db_prep_save``;
the fields the rows leave out get their defaults, as ``Model.__init__`` would give them
(``auto_now``/``auto_now_add`` fields: the moment of the call).

:func:`bulk_insert` does the same for unsaved instances and sets their primary keys, as
``bulk_create`` does. Neither sends signals or calls ``save()``.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Callable, Iterable, Sequence
from typing import Any, TypeVar

from django.db import connections, models, router
from django.db.models import Field, Model
from django.utils import timezone

M = TypeVar("M", bound=Model)

# Values of these fields need the backend's adaptation; every other concrete field (text,
# numbers, booleans, foreign keys' ids) is passed as it is.
ADAPTED = {"UUIDField", "DateTimeField", "DateField", "TimeField", "DecimalField", "JSONField"}


def _adapter(field: Field[Any, Any], connection: Any) -> Callable[[Any], Any] | None:
    kind = field.get_internal_type()
    if kind not in ADAPTED:
        return None
    prepare = field.get_db_prep_save
    ops = connection.ops
    # Shortcuts for the values importers pass most, to the backend's own adaptation that
    # get_db_prep_save ends in (three or four calls down); other values, and subclasses
    # (which may prepare values their own way), take the long way.
    exact = type(field)
    if exact is models.JSONField:
        adapt_json, encoder = ops.adapt_json_value, getattr(field, "encoder", None)
        return lambda value: (
            adapt_json(value, encoder)
            if type(value) in (dict, list)
            else prepare(value, connection)
        )
    if exact is models.DateField:
        adapt_date = ops.adapt_datefield_value
        return lambda value: (
            adapt_date(value) if type(value) is dt.date else prepare(value, connection)
        )
    if exact is models.UUIDField:
        native = connection.features.has_native_uuid_field
        return lambda value: (
            (value if native else value.hex)
            if type(value) is uuid.UUID
            else prepare(value, connection)
        )
    return lambda value: prepare(value, connection)


def _maker(default: Callable[[], Any], adapt: Callable[[Any], Any] | None) -> Callable[[], Any]:
    if adapt is None:
        return default
    return lambda: adapt(default())


class _Plan:
    """How one model's rows become parameters: the given fields' values (adapted where
    needed), then the defaults of the others, constant ones adapted once."""

    def __init__(
        self, model: type[Model], names: Sequence[str], connection: Any, now: dt.datetime
    ) -> None:
        meta = model._meta
        pk = meta.pk
        assert pk is not None  # every concrete model has one
        self.pk_column: str = pk.column
        by_name: dict[str, Field[Any, Any]] = {}
        for f in meta.concrete_fields:
            by_name[f.attname] = by_name[f.name] = f
        given: list[Field[Any, Any]] = []
        for name in names:
            if name not in by_name:
                raise ValueError(f"{meta.label} has no concrete field {name!r}")
            given.append(by_name[name])
        if len({f.attname for f in given}) != len(given):
            raise ValueError(f"a field is named twice in {list(names)}")
        self.width = len(given)
        self.adapters = [
            (i, adapt) for i, f in enumerate(given) if (adapt := _adapter(f, connection))
        ]
        # The primary key is the database's to assign unless the model gives it a default.
        rest = [
            f for f in meta.concrete_fields if f not in given and (f is not pk or f.has_default())
        ]
        constant: list[tuple[Field[Any, Any], Any]] = []
        per_row: list[tuple[Field[Any, Any], Callable[[], Any]]] = []
        for f in rest:
            if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False):
                constant.append((f, f.get_db_prep_save(now, connection)))
            elif f.has_default() and callable(f.default):
                per_row.append((f, _maker(f.default, _adapter(f, connection))))
            else:
                constant.append((f, f.get_db_prep_save(f.get_default(), connection)))
        self.fields = given + [f for f, _ in constant] + [f for f, _ in per_row]
        self.constants = [value for _, value in constant]
        self.makers = [make for _, make in per_row]

    def params(self, row: Sequence[Any]) -> list[Any]:
        if len(row) != self.width:
            raise ValueError(f"a row of {len(row)} values for {self.width} fields")
        values = list(row)
        for i, adapt in self.adapters:
            if values[i] is not None:
                values[i] = adapt(values[i])
        values.extend(self.constants)
        for make in self.makers:
            values.append(make())
        return values


def insert_rows(
    model: type[Model],
    fields: Sequence[str],
    rows: Iterable[Sequence[Any]],
    *,
    returning: bool = True,
    now: dt.datetime | None = None,
) -> list[Any]:
    """Insert ``rows`` (each a sequence of values for ``fields``, given by field name or
    attname, e.g. ``"notice_id"``) into ``model``'s table; the other fields get their
    defaults (``auto_now``/``auto_now_add`` fields: ``now``, by default the time of the
    call). Returns the new primary keys in the order of the rows, or ``[]`` when
    ``returning`` is false (then one ``executemany``, the cheapest way on every backend)."""
    rows = list(rows)
    if not rows:
        return []
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    if meta.parents:
        raise ValueError(f"{meta.label}: multi-table inheritance needs one insert per table")
    plan = _Plan(model, fields, connection, now or timezone.now())
    params = [plan.params(row) for row in rows]
    quote = connection.ops.quote_name
    # Identifiers come from the model's metadata, never from input; values are parameters.
    columns = ", ".join(quote(f.column) for f in plan.fields)
    head = f"INSERT INTO {quote(meta.db_table)} ({columns}) VALUES "  # noqa: S608
    row_sql = "(" + ", ".join(["%s"] * len(plan.fields)) + ")"
    with connection.cursor() as cursor:
        if not returning:
            cursor.executemany(head + row_sql, params)
            return []
        if not connection.features.can_return_rows_from_bulk_insert:
            pks = []
            for values in params:
                cursor.execute(head + row_sql, values)
                pks.append(connection.ops.last_insert_id(cursor, meta.db_table, plan.pk_column))
            return pks
        size = max(1, connection.ops.bulk_batch_size(plan.fields, rows))
        returning_sql = f" RETURNING {quote(plan.pk_column)}"
        pks = []
        for start in range(0, len(params), size):
            chunk = params[start : start + size]
            sql = head + ", ".join([row_sql] * len(chunk)) + returning_sql
            cursor.execute(sql, [value for values in chunk for value in values])
            fetched = cursor.fetchall()
            if len(fetched) != len(chunk):
                raise RuntimeError(f"{len(chunk)} rows inserted, {len(fetched)} ids returned")
            pks.extend(new_pk for (new_pk,) in fetched)
        return pks


def bulk_insert(model: type[M], objs: Sequence[M]) -> list[M]:
    """Insert unsaved instances of ``model`` (auto-increment primary key) and return them
    with their primary keys set (and their ``auto_now``/``auto_now_add`` fields)."""
    objs = list(objs)
    if not objs:
        return objs
    alias = router.db_for_write(model)
    connection = connections[alias]
    meta = model._meta
    if not connection.features.can_return_rows_from_bulk_insert or meta.parents:
        return model._default_manager.bulk_create(objs)
    pk = meta.pk
    assert pk is not None
    stamped = [
        f
        for f in meta.concrete_fields
        if getattr(f, "auto_now", False) or getattr(f, "auto_now_add", False)
    ]
    names = [f.attname for f in meta.concrete_fields if f is not pk and f not in stamped]
    now = timezone.now()
    pks = insert_rows(
        model, names, [[getattr(obj, name) for name in names] for obj in objs], now=now
    )
    for obj, new_pk in zip(objs, pks, strict=True):
        obj.pk = new_pk
        for f in stamped:
            setattr(obj, f.attname, now)
        obj._state.adding = False
        obj._state.db = alias
    return objs
