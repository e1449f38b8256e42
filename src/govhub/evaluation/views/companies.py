"""A company's own results: its scores, the reasons, its selection, the outcome."""

from __future__ import annotations

from uuid import UUID

from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from .. import selectors
from ._common import get_challenge, require


@login_required
def company_results(request: HttpRequest, challenge_id: UUID) -> HttpResponse:
    challenge = get_challenge(challenge_id)
    view = selectors.company_results(request.user, challenge)
    # Only companies that took part have results to read; nobody reads another's.
    require(bool(view.proposals))
    return render(
        request, "evaluation/company_results.html", {"challenge": challenge, "view": view}
    )
