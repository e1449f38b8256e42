"""Saved searches (writes) and their email alerts."""

from __future__ import annotations

from typing import Any

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govhub.core.audit import audit_record
from govhub.core.errors import InvalidInput, NotAllowed

from .models import SavedSearch
from .selectors import Filters, search

MAX_SAVED = 50


@transaction.atomic
def saved_search_create(
    *, actor: Any, name: str, query: str, filters: Filters, alerts: bool = True
) -> SavedSearch:
    if not getattr(actor, "is_authenticated", False):
        raise NotAllowed(_("Sign in to save a search."))
    name = name.strip() or query.strip()
    if not name and not filters.as_dict():
        raise InvalidInput(_("Enter search words or choose a filter before saving a search."))
    if SavedSearch.objects.filter(user=actor).count() >= MAX_SAVED:
        raise InvalidInput(_("You can keep at most 50 saved searches. Delete one first."))
    saved = SavedSearch.objects.create(
        user=actor,
        name=(name or _("Filtered search"))[:200],
        query=query.strip()[:300],
        filters=filters.as_dict(),
        alerts=alerts,
        last_checked_at=timezone.now(),
    )
    audit_record(actor=actor, action="search.saved_create", obj=saved, after={"name": saved.name})
    return saved


@transaction.atomic
def saved_search_delete(*, actor: Any, saved: SavedSearch) -> None:
    if saved.user_id != getattr(actor, "pk", None):
        raise NotAllowed(_("You can only delete your own saved searches."))
    audit_record(actor=actor, action="search.saved_delete", obj=saved, before={"name": saved.name})
    saved.delete()


def saved_search_send_alerts(*, now: Any = None) -> int:
    """Email each saved search's owner the items indexed since the last check; returns mails."""
    from govhub.core.tasks import send_email

    now = now or timezone.now()
    sent = 0
    for saved in SavedSearch.objects.filter(alerts=True).select_related("user"):
        result = search(
            query=saved.query,
            filters=Filters(**saved.filters),
            indexed_after=saved.last_checked_at,
            with_facets=False,
            page_size=20,
        )
        SavedSearch.objects.filter(pk=saved.pk).update(last_checked_at=now)
        if not result.hits or not saved.user.email:
            continue
        lines = [f"- {hit.document.title}\n  {hit.document.url}" for hit in result.hits]
        body = "\n".join(
            [
                ngettext(
                    "%(count)d new match for your saved search “%(name)s”:",
                    "%(count)d new matches for your saved search “%(name)s”:",
                    result.total,
                )
                % {"count": result.total, "name": saved.name},
                "",
                *lines,
                "",
                _("Manage your saved searches: %(url)s") % {"url": reverse("search:saved")},
            ]
        )
        send_email.enqueue(
            recipients=[saved.user.email],
            subject=_("New matches: %(name)s") % {"name": saved.name},
            body=body,
        )
        sent += 1
    return sent
