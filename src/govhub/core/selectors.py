from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import QuerySet

from .models import AuditEvent


@dataclass(frozen=True)
class AuditFilters:
    action: str = ""
    object_type: str = ""
    object_id: str = ""
    actor_email: str = ""
    organisation_id: uuid.UUID | None = None
    since: dt.date | None = None
    until: dt.date | None = None


def audit_events(
    *, filters: AuditFilters, visible_organisations: Iterable[uuid.UUID] | None = None
) -> QuerySet[AuditEvent]:
    """Events matching ``filters``; ``visible_organisations`` limits a non-moderator's view.

    ``None`` means every event (moderators); an empty iterable means none.
    """
    events = AuditEvent.objects.select_related("actor").order_by("-id")
    if visible_organisations is not None:
        events = events.filter(organisation_id__in=list(visible_organisations))
    if filters.action:
        events = events.filter(action__startswith=filters.action)
    if filters.object_type:
        events = events.filter(object_type=filters.object_type)
    if filters.object_id:
        events = events.filter(object_id=filters.object_id)
    if filters.actor_email:
        events = events.filter(actor__email__iexact=filters.actor_email)
    if filters.organisation_id:
        events = events.filter(organisation_id=filters.organisation_id)
    if filters.since:
        events = events.filter(occurred_at__date__gte=filters.since)
    if filters.until:
        events = events.filter(occurred_at__date__lte=filters.until)
    return events


def audit_actions() -> list[str]:
    return list(AuditEvent.objects.order_by("action").values_list("action", flat=True).distinct())
