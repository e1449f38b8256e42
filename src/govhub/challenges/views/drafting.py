"""Buyer pages for drafting: the challenge, its co-buyers, phases, criteria and documents."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govhub.core.errors import DomainError
from govhub.needs.models import InnovationNeed, InterestStatus, NeedStatus

from .. import permissions, selectors, services
from ..forms import (
    BuyerShareForm,
    ChallengeForm,
    CobuyerForm,
    CriteriaVersionForm,
    DocumentForm,
    PhaseForm,
    criteria_formset,
    error_list,
    show_domain_error,
    show_formset_error,
)
from ..models import ChallengeStatus, PhaseStatus
from ._common import (
    confirm,
    get_phase,
    managed_challenge,
    not_a_draft,
    posted,
    require,
)


@login_required
@require_http_methods(["GET", "POST"])
def challenge_create(request: HttpRequest) -> HttpResponse:
    authorities = permissions.authorities_for_buyer(request.user)
    require(bool(authorities))
    form = ChallengeForm(posted(request), authorities=authorities)
    if request.method == "POST" and form.is_valid():
        try:
            challenge = services.challenge_create(
                actor=request.user,
                lead_authority=form.cleaned_data["lead_authority"],
                **form.values(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The draft has been created. Now add its phases."))
            return redirect("challenges:manage", public_id=challenge.public_id)
    return render(request, "challenges/form.html", {"form": form})


@login_required
@require_http_methods(["GET", "POST"])
def challenge_create_from_need(request: HttpRequest, need_id: UUID) -> HttpResponse:
    need = (
        InnovationNeed.objects.select_related("authority", "nuts_region")
        .filter(public_id=need_id)
        .first()
    )
    if need is None:
        raise Http404
    require(permissions.can_create_for(request.user, need.authority))
    error = None
    if request.method == "POST":
        try:
            challenge = services.challenge_create_from_need(actor=request.user, need=need)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request,
                _("The need is now a draft challenge. Check its details, then add its phases."),
            )
            return redirect("challenges:manage", public_id=challenge.public_id)
    interests = list(
        need.interests.filter(status=InterestStatus.ACTIVE)
        .select_related("authority__country")
        .order_by("created_at", "pk")
    )
    return render(
        request,
        "challenges/from_need.html",
        {
            "need": need,
            "interests": interests,
            "cpv_codes": list(need.cpv_codes.all()),
            "error": error,
            "convertible": need.status == NeedStatus.PUBLISHED,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def challenge_edit(request: HttpRequest, public_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    if (gone := not_a_draft(request, challenge)) is not None:
        return gone
    form = ChallengeForm(posted(request), initial=ChallengeForm.initial_for(challenge))
    if request.method == "POST" and form.is_valid():
        try:
            services.challenge_update(
                actor=request.user,
                challenge=challenge,
                version=form.cleaned_data["version"],
                **form.values(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The challenge’s details have been saved."))
            return redirect("challenges:manage", public_id=challenge.public_id)
    return render(request, "challenges/form.html", {"form": form, "challenge": challenge})


# --- co-buyers ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def buyers(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The buyers and their shares; POST adds a co-buyer (drafts only)."""
    challenge = managed_challenge(request, public_id)
    is_draft = challenge.status == ChallengeStatus.DRAFT
    form = CobuyerForm(posted(request) if is_draft else None, challenge=challenge)
    if request.method == "POST":
        if (gone := not_a_draft(request, challenge)) is not None:
            return gone
        if form.is_valid():
            try:
                row = services.cobuyer_add(
                    actor=request.user, challenge=challenge, **form.cleaned_data
                )
            except DomainError as error:
                show_domain_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is now a co-buyer.") % {"name": row.authority.name},
                )
                return redirect("challenges:buyers", public_id=challenge.public_id)
    return render(
        request,
        "challenges/buyers.html",
        {
            "challenge": challenge,
            "buyers": selectors.buyers_of(challenge),
            "form": form,
            "is_draft": is_draft,
        },
    )


def _buyer(challenge: Any, buyer_id: UUID) -> Any:
    row = selectors.buyer_of(challenge, buyer_id)
    if row is None:
        raise Http404
    return row


@login_required
@require_http_methods(["GET", "POST"])
def buyer_edit(request: HttpRequest, public_id: UUID, buyer_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    if (gone := not_a_draft(request, challenge)) is not None:
        return gone
    row = _buyer(challenge, buyer_id)
    form = BuyerShareForm(
        posted(request), initial={"quantity": row.quantity, "budget_share": row.budget_share}
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.cobuyer_update(actor=request.user, buyer=row, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The share has been saved."))
            return redirect("challenges:buyers", public_id=challenge.public_id)
    return render(
        request, "challenges/buyer_form.html", {"challenge": challenge, "row": row, "form": form}
    )


@login_required
@require_http_methods(["GET", "POST"])
def buyer_remove(request: HttpRequest, public_id: UUID, buyer_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    if (gone := not_a_draft(request, challenge)) is not None:
        return gone
    row = _buyer(challenge, buyer_id)
    error = None
    if request.method == "POST":
        try:
            services.cobuyer_remove(actor=request.user, buyer=row)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(
                request, _("%(name)s is no longer a co-buyer.") % {"name": row.authority.name}
            )
            return redirect("challenges:buyers", public_id=challenge.public_id)
    return confirm(
        request,
        challenge,
        title=_("Remove %(name)s from the challenge?") % {"name": row.authority.name},
        body=_("It will no longer buy through this challenge nor see its evaluation."),
        button=_("Remove co-buyer"),
        warning=True,
        error=error,
        back_url=reverse("challenges:buyers", args=[challenge.public_id]),
    )


# --- phases ---------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def phase_add(request: HttpRequest, public_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    if (gone := not_a_draft(request, challenge)) is not None:
        return gone
    form = PhaseForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            phase = services.phase_add(actor=request.user, challenge=challenge, **form.values())
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The phase has been added."))
            if phase.takes_proposals:
                return redirect(
                    "challenges:criteria", public_id=challenge.public_id, phase_id=phase.public_id
                )
            return redirect("challenges:manage", public_id=challenge.public_id)
    return render(request, "challenges/phase_form.html", {"challenge": challenge, "form": form})


@login_required
@require_http_methods(["GET", "POST"])
def phase_edit(request: HttpRequest, public_id: UUID, phase_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    if (gone := not_a_draft(request, challenge)) is not None:
        return gone
    phase = get_phase(challenge, phase_id)
    form = PhaseForm(posted(request), initial=PhaseForm.initial_for(phase))
    if request.method == "POST" and form.is_valid():
        try:
            services.phase_update(
                actor=request.user,
                phase=phase,
                version=form.cleaned_data["version"],
                **form.values(),
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The phase has been saved."))
            return redirect("challenges:manage", public_id=challenge.public_id)
    return render(
        request,
        "challenges/phase_form.html",
        {"challenge": challenge, "phase": phase, "form": form},
    )


@login_required
@require_http_methods(["GET", "POST"])
def phase_remove(request: HttpRequest, public_id: UUID, phase_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    if (gone := not_a_draft(request, challenge)) is not None:
        return gone
    phase = get_phase(challenge, phase_id)
    error = None
    if request.method == "POST":
        try:
            services.phase_remove(actor=request.user, phase=phase)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("The phase has been removed."))
            return redirect("challenges:manage", public_id=challenge.public_id)
    return confirm(
        request,
        challenge,
        title=_("Remove the phase “%(title)s”?") % {"title": phase.title},
        body=_("Its criteria and documents are removed with it."),
        button=_("Remove phase"),
        warning=True,
        error=error,
    )


@login_required
@require_POST
def phase_move(request: HttpRequest, public_id: UUID, phase_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    phase = get_phase(challenge, phase_id)
    try:
        services.phase_move(
            actor=request.user, phase=phase, direction=request.POST.get("direction", "")
        )
    except DomainError as error:
        messages.error(request, error.message)
    return redirect("challenges:manage", public_id=challenge.public_id)


@login_required
@require_http_methods(["GET", "POST"])
def criteria(request: HttpRequest, public_id: UUID, phase_id: UUID) -> HttpResponse:
    """The criteria editor: a formset, the total as typed, the error next to it."""
    challenge = managed_challenge(request, public_id)
    if (gone := not_a_draft(request, challenge)) is not None:
        return gone
    phase = get_phase(challenge, phase_id)
    current = list(phase.criteria.select_related("criterion_type").prefetch_related("gpp_criteria"))
    initial = [
        {
            "name": c.name,
            "description": c.description,
            "criterion_type": c.criterion_type.code,
            "weight": c.weight,
            "gpp_criteria": [g.code for g in c.gpp_criteria.all()],
        }
        for c in current
    ]
    formset = criteria_formset(len(initial))(posted(request), initial=initial, prefix="criteria")
    version_form = CriteriaVersionForm(posted(request), initial={"version": phase.version})
    if request.method == "POST" and formset.is_valid() and version_form.is_valid():
        try:
            services.criteria_set(
                actor=request.user,
                phase=phase,
                criteria=formset.specs(),
                version=version_form.cleaned_data["version"],
            )
        except DomainError as error:
            show_formset_error(formset, version_form, error)
        else:
            messages.success(request, _("The award criteria have been saved."))
            return redirect("challenges:manage", public_id=challenge.public_id)
    total = formset.typed_total() if formset.is_bound else sum(c.weight for c in current)
    return render(
        request,
        "challenges/criteria.html",
        {
            "challenge": challenge,
            "phase": phase,
            "formset": formset,
            "version_form": version_form,
            "errors": error_list(version_form, *formset.forms) if formset.is_bound else [],
            "total": total,
        },
    )


# --- documents ------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def documents(request: HttpRequest, public_id: UUID, phase_id: UUID) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    phase = get_phase(challenge, phase_id)
    can_add = challenge.status == ChallengeStatus.DRAFT or (
        challenge.status == ChallengeStatus.PUBLISHED
        and phase.status in {PhaseStatus.PLANNED, PhaseStatus.OPEN}
    )
    form = DocumentForm(posted(request), request.FILES if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            doc = services.document_add(
                actor=request.user,
                phase=phase,
                title=form.cleaned_data["title"],
                file=form.cleaned_data["file"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("“%(title)s” has been uploaded.") % {"title": doc.title})
            return redirect(
                "challenges:documents", public_id=challenge.public_id, phase_id=phase.public_id
            )
    return render(
        request,
        "challenges/documents.html",
        {
            "challenge": challenge,
            "phase": phase,
            "documents": list(phase.documents.order_by("created_at", "pk")),
            "form": form,
            "can_add": can_add,
            "can_remove": challenge.status == ChallengeStatus.DRAFT,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def document_remove(
    request: HttpRequest, public_id: UUID, phase_id: UUID, document_id: UUID
) -> HttpResponse:
    challenge = managed_challenge(request, public_id)
    phase = get_phase(challenge, phase_id)
    doc = selectors.document_of(challenge, document_id)
    if doc is None or doc.phase_id != phase.pk:
        raise Http404
    back = _documents_url(challenge, phase)
    error = None
    if request.method == "POST":
        try:
            services.document_remove(actor=request.user, document=doc)
        except DomainError as exc:
            error = exc.message
        else:
            messages.success(request, _("“%(title)s” has been removed.") % {"title": doc.title})
            return redirect(back)
    return confirm(
        request,
        challenge,
        title=_("Remove “%(title)s”?") % {"title": doc.title},
        body=_("The file is deleted."),
        button=_("Remove document"),
        warning=True,
        error=error,
        back_url=back,
    )


def _documents_url(challenge: Any, phase: Any) -> str:
    return reverse("challenges:documents", args=[challenge.public_id, phase.public_id])
