"""Buyer pages for running a challenge: overview, publish, phase steps, deadlines, cancel."""

from __future__ import annotations

from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods

from govhub.core.errors import DomainError, InvalidInput

from .. import permissions, selectors, services
from ..forms import CancelForm, DeadlineForm, show_domain_error
from ..models import ChallengeStatus, PhaseStatus
from ._common import confirm, get_phase, managed_challenge, posted


@login_required
def my_challenges(request: HttpRequest) -> HttpResponse:
    page = selectors.paginate(selectors.challenges_of_user(request.user), request.GET.get("page"))
    return render(
        request,
        "challenges/mine.html",
        {
            "page": page,
            "challenges": page.object_list,
            "can_create": bool(permissions.authorities_for_buyer(request.user)),
        },
    )


@login_required
def manage(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The lead buyer's overview: what is missing, the phases and what each can do next."""
    challenge = managed_challenge(request, public_id)
    phases = selectors.phases_for_page(challenge)
    is_draft = challenge.status == ChallengeStatus.DRAFT
    for phase in phases:
        phase.weights_total = sum(c.weight for c in phase.criteria.all())  # type: ignore[attr-defined]
    return render(
        request,
        "challenges/manage.html",
        {
            "challenge": challenge,
            "buyers": selectors.buyers_of(challenge),
            "phases": phases,
            "is_draft": is_draft,
            "is_published": challenge.status == ChallengeStatus.PUBLISHED,
            "problems": services.publication_problems(challenge) if is_draft else [],
            "unanswered": len(selectors.unanswered_clarifications(challenge)),
            "can_cancel": permissions.can_cancel(request.user, challenge),
            "all_decided": bool(phases) and all(p.status == PhaseStatus.DECIDED for p in phases),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def publish(request: HttpRequest, public_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    error = None
    problems: list[str] = []
    if request.method == "POST":
        try:
            services.challenge_publish(actor=request.user, challenge=challenge)
        except InvalidInput as exc:
            problems = list(exc.details.get("problems") or [])
            error = None if problems else exc.message
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request, _("The challenge is published. Open its first phase when ready.")
            )
            return redirect("challenges:manage", public_id=challenge.public_id)
    elif challenge.status == ChallengeStatus.DRAFT:
        problems = services.publication_problems(challenge)
    return confirm(
        request,
        challenge,
        title=_("Publish “%(title)s”?") % {"title": challenge.title},
        body=_(
            "Everyone will see the challenge, its buyers, phases, criteria and documents. "
            "After publication only deadlines can change, and documents can be added."
        ),
        button=_("Publish challenge"),
        error=error,
        problems=problems,
    )


PHASE_ACTIONS = {
    "open": (
        services.phase_open,
        gettext_lazy("Open “%(title)s” for proposals?"),
        gettext_lazy("Companies can submit proposals and ask questions until the deadline."),
        gettext_lazy("Open phase"),
        gettext_lazy("The phase is open."),
    ),
    "close": (
        services.phase_close,
        gettext_lazy("Close “%(title)s”?"),
        gettext_lazy("No proposal can be submitted any more. Then open the proposals."),
        gettext_lazy("Close phase"),
        gettext_lazy("The phase is closed."),
    ),
    "evaluate": (
        services.phase_start_evaluation,
        gettext_lazy("Start the evaluation of “%(title)s”?"),
        gettext_lazy("Evaluators score the opened proposals against the award criteria."),
        gettext_lazy("Start evaluation"),
        gettext_lazy("The evaluation has started."),
    ),
}


@login_required
@require_http_methods(["GET", "POST"])
def phase_action(
    request: HttpRequest, public_id: UUID, phase_id: UUID, action: str
) -> HttpResponse:
    if action not in PHASE_ACTIONS:
        raise Http404
    challenge = managed_challenge(request, public_id)
    phase = get_phase(challenge, phase_id)
    service, title, body, button, done = PHASE_ACTIONS[action]
    error = None
    if request.method == "POST":
        try:
            service(actor=request.user, phase=phase)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, str(done))
            return redirect("challenges:manage", public_id=challenge.public_id)
    return confirm(
        request,
        challenge,
        title=str(title) % {"title": phase.title},
        body=str(body),
        button=str(button),
        error=error,
    )


@login_required
@require_http_methods(["GET", "POST"])
def deadline_change(request: HttpRequest, public_id: UUID, phase_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    phase = get_phase(challenge, phase_id)
    form = DeadlineForm(posted(request), initial={"deadline": phase.deadline})
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_change_deadline(actor=request.user, phase=phase, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The deadline has been changed."))
            return redirect("challenges:manage", public_id=challenge.public_id)
    return render(
        request,
        "challenges/deadline.html",
        {"challenge": challenge, "phase": phase, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def cancel(request: HttpRequest, public_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    form = CancelForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_cancel(
                actor=request.user, challenge=challenge, reason=form.cleaned_data["reason"]
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The challenge is cancelled. The reason is published."))
            return redirect("challenges:detail", public_id=challenge.public_id)
    return render(request, "challenges/cancel.html", {"challenge": challenge, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def complete(request: HttpRequest, public_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    error = None
    if request.method == "POST":
        try:
            services.challenge_complete(actor=request.user, challenge=challenge)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The challenge is completed."))
            return redirect("challenges:detail", public_id=challenge.public_id)
    return confirm(
        request,
        challenge,
        title=_("Mark “%(title)s” as completed?") % {"title": challenge.title},
        body=_("Every phase has been decided. The challenge stays public with its history."),
        button=_("Complete challenge"),
        error=error,
    )
