"""eForms notices under /data/eforms/: public data once the phase or outcome is published."""

from __future__ import annotations

from uuid import UUID

from django.conf import settings
from django.http import Http404, HttpRequest, HttpResponse
from django.urls import NoReverseMatch, reverse
from django.views.decorators.http import require_safe

from . import notices, selectors

XML = "application/xml; charset=utf-8"


def challenge_url(request: HttpRequest, challenge_id: UUID) -> str:
    try:
        path = reverse("challenges:detail", args=[challenge_id])
    except NoReverseMatch:
        path = f"/challenges/{challenge_id}/"
    site = str(getattr(settings, "GOVHUB_SITE_URL", "")).rstrip("/")
    return site + path if site else request.build_absolute_uri(path)


def _xml(body: bytes, name: str) -> HttpResponse:
    response = HttpResponse(body, content_type=XML)
    response["Content-Disposition"] = f'inline; filename="{name}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


@require_safe
def contract_notice(request: HttpRequest, phase_id: UUID) -> HttpResponse:
    phase = selectors.public_phase(phase_id)
    if phase is None:
        raise Http404
    challenge = phase.challenge
    assert challenge.published_at is not None
    body = notices.contract_notice(
        phase,
        challenge_url=challenge_url(request, challenge.public_id),
        issued=phase.open_at or challenge.published_at,
    )
    return _xml(body, f"contract-notice-{phase.public_id}.xml")


@require_safe
def award_notice(request: HttpRequest, challenge_id: UUID) -> HttpResponse:
    found = selectors.published_outcome(challenge_id)
    if found is None:
        raise Http404
    challenge, outcome = found
    return _xml(notices.award_notice(challenge, outcome), f"award-notice-{challenge_id}.xml")
