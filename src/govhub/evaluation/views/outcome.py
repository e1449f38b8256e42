"""The challenge's outcome: the lead buyer publishes it; the buyers bound by it read it."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govhub.core.errors import DomainError

from .. import permissions, selectors, services
from ..forms import OutcomeForm, show_domain_error
from ..models import STANDSTILL_DAYS_DEFAULT
from ._common import get_challenge, posted, require


@login_required
@require_http_methods(["GET", "POST"])
def outcome(request: HttpRequest, challenge_id: UUID) -> HttpResponse:
    challenge = get_challenge(challenge_id)
    require(permissions.can_view_evaluation(request.user, challenge))
    published = selectors.outcome_of(challenge)
    editable = (
        published is None
        and challenge.status == "published"
        and permissions.can_manage_evaluation(request.user, challenge)
    )
    candidates = selectors.award_candidates(challenge) if editable else []
    form = OutcomeForm(
        posted(request),
        candidates=candidates,
        initial={"standstill_days": services.default_standstill_days()},
    )
    if request.method == "POST":
        require(editable)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.outcome_publish(
                    actor=request.user,
                    challenge=challenge,
                    kind=data["kind"],
                    reasons=data["reasons"],
                    awarded=form.awarded_proposals(),
                    value=data["value"],
                    standstill_days=data["standstill_days"] if data["kind"] == "awarded" else None,
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _(
                        "The outcome is published for the lead and every co-buyer, with its "
                        "reasons, on the challenge’s page."
                    ),
                )
                return redirect("evaluation:outcome", challenge_id=challenge.public_id)
    return render(
        request,
        "evaluation/outcome.html",
        {
            "challenge": challenge,
            "outcome": published,
            "form": form,
            "editable": editable,
            "candidates": candidates,
            "buyers": challenge.buyers.select_related("authority").order_by("-is_lead", "pk"),
            "minimum_days": STANDSTILL_DAYS_DEFAULT,
        },
    )
