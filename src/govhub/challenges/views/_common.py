"""What every challenge page does first: find the object (404) and check the right (403)."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from govhub.core.http import posted as posted
from govhub.core.http import require as require

from .. import permissions, selectors
from ..models import Challenge, ChallengeStatus, Phase


def get_challenge(public_id: UUID) -> Challenge:
    challenge = selectors.challenge_detail(public_id=public_id)
    if challenge is None:
        raise Http404
    return challenge


def viewable_challenge(request: HttpRequest, public_id: UUID) -> Challenge:
    challenge = get_challenge(public_id)
    require(permissions.can_view(request.user, challenge))
    return challenge


def managed_challenge(request: HttpRequest, public_id: UUID) -> Challenge:
    """A challenge the user runs as a buyer of its lead authority."""
    challenge = get_challenge(public_id)
    require(permissions.can_manage(request.user, challenge))
    return challenge


def get_phase(challenge: Challenge, phase_id: UUID) -> Phase:
    phase = selectors.phase_of(challenge, phase_id)
    if phase is None:
        raise Http404
    return phase


def manage_url(challenge: Challenge) -> str:
    return reverse("challenges:manage", args=[challenge.public_id])


def not_a_draft(request: HttpRequest, challenge: Challenge) -> HttpResponse | None:
    """Drafting pages send the buyer back once the challenge is published."""
    if challenge.status == ChallengeStatus.DRAFT:
        return None
    messages.info(
        request,
        _("This challenge is %(status)s: its details, buyers and phases can no longer change.")
        % {"status": challenge.get_status_display().lower()},
    )
    return redirect("challenges:manage", public_id=challenge.public_id)


def confirm(
    request: HttpRequest,
    challenge: Challenge,
    *,
    title: str,
    body: str,
    button: str,
    error: Any = None,
    problems: list[str] | None = None,
    warning: bool = False,
    back_url: str | None = None,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "challenges/confirm.html",
        {
            "challenge": challenge,
            "title": title,
            "body": body,
            "button": button,
            "error": error,
            "problems": problems or [],
            "warning": warning,
            "back_url": back_url or manage_url(challenge),
        },
        status=status,
    )
