"""Clarifications: companies ask while a phase is open; buyers answer for everyone."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from govhub.core.errors import DomainError

from .. import permissions, selectors, services
from ..forms import AnswerForm, ClarificationForm, show_domain_error
from ._common import get_challenge, get_phase, posted, require


@login_required
@require_http_methods(["GET", "POST"])
def clarification_ask(request: HttpRequest, public_id: UUID, phase_id: UUID) -> HttpResponse:
    challenge = get_challenge(public_id)
    require(permissions.is_public(challenge))
    phase = get_phase(challenge, phase_id)
    companies = permissions.companies_of(request.user)
    require(bool(companies))
    form = ClarificationForm(posted(request), companies=companies)
    if request.method == "POST" and form.is_valid():
        try:
            services.clarification_ask(
                actor=request.user,
                phase=phase,
                organisation=form.chosen_organisation(),
                question=form.cleaned_data["question"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your question has been sent. The answer will be published on this page "
                    "for everyone, without your name or your company’s."
                ),
            )
            return redirect("challenges:detail", public_id=challenge.public_id)
    return render(
        request,
        "challenges/ask.html",
        {
            "challenge": challenge,
            "phase": phase,
            "form": form,
            "askable": permissions.phase_is_askable(phase),
        },
    )


@login_required
def clarification_queue(request: HttpRequest, public_id: UUID) -> HttpResponse:
    challenge = get_challenge(public_id)
    require(permissions.can_answer_clarifications(request.user, challenge))
    return render(
        request,
        "challenges/clarifications.html",
        {
            "challenge": challenge,
            "questions": selectors.unanswered_clarifications(challenge),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def clarification_answer(
    request: HttpRequest, public_id: UUID, clarification_id: UUID
) -> HttpResponse:
    challenge = get_challenge(public_id)
    require(permissions.can_answer_clarifications(request.user, challenge))
    clarification = selectors.clarification_of(challenge, clarification_id)
    if clarification is None:
        raise Http404
    form = AnswerForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.clarification_answer(
                actor=request.user, clarification=clarification, answer=form.cleaned_data["answer"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The answer has been published."))
            return redirect("challenges:clarifications", public_id=challenge.public_id)
    return render(
        request,
        "challenges/answer.html",
        {"challenge": challenge, "clarification": clarification, "form": form},
    )
