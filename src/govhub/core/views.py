from __future__ import annotations

import uuid
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govhub.organisations.models import Membership, Organisation

from .audit import audit_verify
from .forms import AuditFilterForm
from .selectors import audit_events

PAGE_SIZE = 50


def _visible_organisations(user: Any) -> list[tuple[str, str]]:
    """Organisations whose events ``user`` may read: all for moderators, else those they admin."""
    if getattr(user, "is_moderator", False):
        rows = list(Organisation.objects.order_by("name").values_list("public_id", "name"))
    else:
        rows = list(
            Membership.objects.filter(user=user, is_admin=True)
            .order_by("organisation__name")
            .values_list("organisation__public_id", "organisation__name")
        )
    return [(str(public_id), name) for public_id, name in rows]


@login_required
def audit_list(request: HttpRequest) -> HttpResponse:
    is_moderator = bool(getattr(request.user, "is_moderator", False))
    organisations = _visible_organisations(request.user)
    if not is_moderator and not organisations:
        raise PermissionDenied(
            _("Only moderators and organisation administrators can read the audit log.")
        )
    form = AuditFilterForm(request.GET or None, organisations=organisations)
    events = None
    if not form.is_bound or form.is_valid():
        filters = form.to_filters() if form.is_bound else AuditFilterForm.empty_filters()
        visible = None if is_moderator else [uuid.UUID(pid) for pid, _name in organisations]
        page = Paginator(audit_events(filters=filters, visible_organisations=visible), PAGE_SIZE)
        events = page.get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(
        request,
        "core/audit_list.html",
        {
            "form": form,
            "events": events,
            "is_moderator": is_moderator,
            "query": query.urlencode(),
        },
    )


@login_required
@require_POST
def audit_verify_view(request: HttpRequest) -> HttpResponse:
    if not getattr(request.user, "is_moderator", False):
        raise PermissionDenied(_("Only moderators can verify the audit log."))
    result = audit_verify()
    if result.ok:
        messages.success(
            request, _("The audit log is intact: %(n)d events checked.") % {"n": result.checked}
        )
    else:
        messages.error(
            request,
            _("The audit log is broken at event %(id)s: %(reason)s")
            % {"id": result.broken_event_id, "reason": result.reason},
        )
    return redirect("audit:list")
