"""Plumbing only: after a provider's model commits a change, enqueue its reindexing.

No business rule here: what is searchable is decided by the providers when the task runs.
"""

from __future__ import annotations

import logging
from typing import Any

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_save

from .providers import providers

log = logging.getLogger(__name__)


def _enqueue(kind: str, object_id: Any) -> None:
    def enqueue() -> None:
        from .tasks import index_object_task

        try:
            index_object_task.enqueue(kind=kind, object_id=str(object_id))
        except Exception:
            log.exception("could not enqueue reindexing of %s %s", kind, object_id)

    transaction.on_commit(enqueue, robust=True)


def connect() -> None:
    for provider in providers():
        model = provider.model
        kind = provider.kind

        def changed(sender: Any, instance: Any, kind: str = kind, **kwargs: Any) -> None:
            _enqueue(kind, instance.pk)

        def m2m(sender: Any, instance: Any, action: str, kind: str = kind, **kw: Any) -> None:
            if action in {"post_add", "post_remove", "post_clear"}:
                _enqueue(kind, instance.pk)

        post_save.connect(changed, sender=model, weak=False, dispatch_uid=f"search-{kind}-save")
        post_delete.connect(changed, sender=model, weak=False, dispatch_uid=f"search-{kind}-del")
        for m2m_field in model._meta.many_to_many:
            if m2m_field.name in {"cpv_codes", "cpv_capabilities"}:
                m2m_changed.connect(
                    m2m,
                    sender=getattr(model, m2m_field.name).through,
                    weak=False,
                    dispatch_uid=f"search-{kind}-{m2m_field.name}",
                )
