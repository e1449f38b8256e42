"""The open-data page, the machine files under /data/ and the follow buttons."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.storage import default_storage
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET, require_POST

from govhub.challenges import selectors as challenge_selectors
from govhub.core.errors import DomainError
from govhub.core.http import require
from govhub.opportunities.models import ExternalNotice
from govhub.organisations.models import Organisation

from . import dcat, feeds, permissions, selectors, services
from .models import BulkFormat

MEDIA = {BulkFormat.CSV: "text/csv; charset=utf-8", BulkFormat.JSON: "application/json"}


@require_GET
def index(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "opendata/index.html",
        {
            "datasets": selectors.datasets(),
            "last_generated": selectors.last_generated(),
            "can_regenerate": permissions.can_regenerate(request.user),
            "calendar": selectors.calendar_of(request.user)
            if request.user.is_authenticated
            else None,
        },
    )


@require_POST
def regenerate(request: HttpRequest) -> HttpResponse:
    require(permissions.can_regenerate(request.user))
    services.bulk_regeneration_request(actor=request.user)
    messages.success(request, _("The open-data files are being regenerated."))
    return redirect("opendata:index")


# --- Secret calendar address ---------------------------------------------------------------


@login_required
def calendar(request: HttpRequest) -> HttpResponse:
    secret = None
    if request.method == "POST":
        if request.POST.get("action") == "revoke":
            services.calendar_feed_revoke(actor=request.user)
            messages.success(request, _("Your calendar address no longer works."))
            return redirect("opendata:calendar")
        secret = services.calendar_feed_reset(actor=request.user).secret
    url = (
        request.build_absolute_uri(reverse("opendata-data:calendar-ics", args=[secret]))
        if secret is not None
        else None
    )
    return render(
        request,
        "opendata/calendar.html",
        {
            "feed": selectors.calendar_of(request.user),
            "new_url": url,
            "follows": selectors.follows_of_user(request.user),
        },
    )


# --- Follow buttons ------------------------------------------------------------------------


def _back(request: HttpRequest) -> str:
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, {request.get_host()}, request.is_secure()):
        return target
    return "/"


def _uuid(value: str | None) -> UUID | None:
    try:
        return UUID(value) if value else None
    except ValueError:
        return None


@login_required
@require_POST
def follow(request: HttpRequest) -> HttpResponse:
    org_id, challenge_id, notice_id = (
        _uuid(request.POST.get(k)) for k in ("organisation", "challenge", "notice")
    )
    organisation = Organisation.objects.filter(public_id=org_id).first() if org_id else None
    if organisation is None:
        raise Http404
    require(permissions.can_follow_for(request.user, organisation))
    challenge = notice = None
    if challenge_id:
        challenge = challenge_selectors.public_challenges().filter(public_id=challenge_id).first()
        if challenge is None:
            raise Http404
    elif notice_id:
        notice = ExternalNotice.objects.filter(public_id=notice_id).first()
        if notice is None:
            raise Http404
    else:
        raise Http404
    existing = selectors.follow_of(organisation=organisation, challenge=challenge, notice=notice)
    try:
        if existing is not None:
            services.follow_remove(actor=request.user, follow=existing)
            messages.success(request, _("%(org)s no longer follows this.") % {"org": organisation})
        else:
            services.follow_add(
                actor=request.user, organisation=organisation, challenge=challenge, notice=notice
            )
            messages.success(
                request,
                _("%(org)s follows this: its deadlines are in your calendar feed.")
                % {"org": organisation},
            )
    except DomainError as error:
        messages.error(request, str(error))
    return redirect(_back(request))


# --- Language-neutral files under /data/ ---------------------------------------------------


@require_GET
@cache_control(public=True, max_age=300)
def bulk(request: HttpRequest, name: str, fmt: str) -> FileResponse:
    found = selectors.bulk_file(name=name, fmt=fmt)
    if found is None or not default_storage.exists(found.path):
        raise Http404
    response = FileResponse(
        default_storage.open(found.path, "rb"),
        content_type=MEDIA[BulkFormat(fmt)],
        as_attachment=False,
        filename=f"govhub-{name}.{fmt}",
    )
    response["ETag"] = f'"{found.sha256}"'
    response["Digest"] = f"sha-256={found.sha256}"
    return response


@require_GET
@cache_control(public=True, max_age=300)
def dcat_turtle(request: HttpRequest) -> HttpResponse:
    return HttpResponse(dcat.catalogue_turtle(), content_type="text/turtle; charset=utf-8")


@require_GET
@cache_control(public=True, max_age=300)
def dcat_jsonld(request: HttpRequest) -> HttpResponse:
    return HttpResponse(dcat.catalogue_jsonld(), content_type="application/ld+json")


@require_GET
@cache_control(public=True, max_age=300)
def opportunities_feed(request: HttpRequest) -> HttpResponse:
    filters: dict[str, Any] = {
        "cpv": request.GET.get("cpv") or None,
        "country": request.GET.get("country") or None,
        "nuts": request.GET.get("nuts") or None,
    }
    body = feeds.opportunities_atom(
        challenges=selectors.open_challenges(**filters),
        notices=selectors.open_notices(**filters),
        self_url=request.build_absolute_uri(),
    )
    return HttpResponse(body, content_type="application/atom+xml; charset=utf-8")


@require_GET
@cache_control(private=True, no_store=True)
def calendar_feed(request: HttpRequest, secret: str) -> HttpResponse:
    feed = selectors.feed_by_secret(secret)
    if feed is None:
        raise Http404
    services.calendar_feed_touch(feed)
    body = feeds.deadlines_ics(selectors.deadlines_of(feed.user), name=_("GovHub deadlines"))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["X-Robots-Tag"] = "noindex"
    return response
