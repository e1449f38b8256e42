"""Background work of search: keeping the index current, and saved-search alerts."""

from __future__ import annotations

from django_tasks import task

from .indexing import index_object, reindex


@task()
def index_object_task(*, kind: str, object_id: str) -> bool:
    return index_object(kind, object_id)


@task()
def reindex_task(*, kinds: list[str] | None = None) -> dict[str, int]:
    return reindex(kinds)


@task()
def saved_search_alerts_task() -> int:
    from .services import saved_search_send_alerts

    return saved_search_send_alerts()
