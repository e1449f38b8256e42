"""Public pages: the list of published challenges, a challenge's page, its documents."""

from __future__ import annotations

from urllib.parse import urlencode
from uuid import UUID

from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import render

from .. import permissions, selectors
from ..forms import ChallengeFilterForm
from ..models import ChallengeStatus
from ._common import viewable_challenge


def challenge_list(request: HttpRequest) -> HttpResponse:
    form = ChallengeFilterForm(request.GET or None)
    page = selectors.challenge_list(**form.filters(), page=request.GET.get("page", 1))
    query = urlencode(
        [(key, value) for key, value in request.GET.items() if key != "page" and value]
    )
    return render(
        request,
        "challenges/list.html",
        {"form": form, "page": page, "challenges": page.object_list, "query": query},
    )


def challenge_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    challenge = viewable_challenge(request, public_id)
    user = request.user
    phases = selectors.phases_for_page(challenge)
    is_lead_buyer = permissions.is_lead_buyer(user, challenge)
    can_answer = permissions.can_answer_clarifications(user, challenge)
    companies = permissions.companies_of(user)
    return render(
        request,
        "challenges/detail.html",
        {
            "challenge": challenge,
            "buyers": selectors.buyers_of(challenge),
            "cpv_codes": list(challenge.cpv_codes.all()),
            "phases": phases,
            "history": selectors.public_history(challenge, phases),
            "is_public": permissions.is_public(challenge),
            "is_draft": challenge.status == ChallengeStatus.DRAFT,
            "can_manage": is_lead_buyer,
            "can_answer": can_answer,
            "unanswered": (
                len(selectors.unanswered_clarifications(challenge)) if can_answer else 0
            ),
            "companies": companies,
            "own_questions": selectors.asked_by_companies(challenge, companies),
            "askable": {p.pk for p in phases if permissions.phase_is_askable(p)},
            "can_view_evaluation": permissions.can_view_evaluation(user, challenge),
            "took_part": selectors.took_part(challenge, companies),
        },
    )


def document_download(request: HttpRequest, public_id: UUID, document_id: UUID) -> FileResponse:
    """Served through the storage API after the same check as the challenge's page."""
    challenge = viewable_challenge(request, public_id)
    doc = selectors.document_of(challenge, document_id)
    if doc is None or not doc.file:
        raise Http404
    try:
        handle = doc.file.storage.open(doc.file.name, "rb")
    except FileNotFoundError as missing:
        raise Http404 from missing
    return FileResponse(
        handle,
        as_attachment=True,
        filename=doc.original_name or doc.file.name.rsplit("/", 1)[-1],
        content_type=doc.content_type or "application/octet-stream",
    )
