"""Proposal pages. Thin: parse, authorise, call one service, render.

Pages that may show sealed content are never cached (by the browser or a proxy).

Every page that shows content gets it from the selectors, which enforce the seal: a refused
read is answered with 403 (and was logged by the selector). Unknown ids give 404.
"""

from __future__ import annotations

from contextlib import suppress
from typing import Any
from urllib.parse import urlencode
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_GET, require_http_methods

from govhub.core.errors import DomainError, InvalidInput, NotAllowed
from govhub.core.forms import show_domain_error
from govhub.organisations.models import Organisation

from . import permissions, selectors, services
from .forms import CompanyChoiceForm, ConfirmForm, ProposalForm, new_form_token
from .models import Proposal, ProposalStatus
from .selectors import Sealed


def _phase(public_id: UUID) -> Any:
    phase = selectors.phase_detail(public_id=public_id)
    if phase is None:
        raise Http404
    return phase


def _proposal(public_id: UUID) -> Proposal:
    proposal = selectors.proposal_detail(public_id=public_id)
    if proposal is None:
        raise Http404
    return proposal


def _sealed(request: HttpRequest, error: Sealed) -> HttpResponse:
    return render(request, "proposals/sealed.html", {"message": error.message}, status=403)


def _edit_url(phase: Any, company: Organisation) -> str:
    url = reverse("proposals:edit", args=[phase.public_id])
    return f"{url}?{urlencode({'company': str(company.public_id)})}"


@login_required
@require_GET
def proposal_list(request: HttpRequest) -> HttpResponse:
    return render(
        request,
        "proposals/list.html",
        {"proposals": selectors.my_proposals(user=request.user)},
    )


def _choose_company(request: HttpRequest, phase: Any) -> Organisation | HttpResponse:
    companies = permissions.companies_of(request.user)
    if not companies:
        return render(request, "proposals/no_company.html", {"phase": phase}, status=403)
    wanted = request.POST.get("company") or request.GET.get("company")
    if wanted:
        for company in companies:
            if str(company.public_id) == wanted:
                return company
        raise PermissionDenied
    if len(companies) == 1:
        return companies[0]
    form = CompanyChoiceForm(request.GET or None, companies=companies)
    return render(request, "proposals/choose_company.html", {"phase": phase, "form": form})


def _render_edit(
    request: HttpRequest,
    *,
    phase: Any,
    company: Organisation,
    form: ProposalForm | None,
    proposal: Proposal | None,
    content: Any,
    status: int = 200,
) -> HttpResponse:
    return render(
        request,
        "proposals/edit.html",
        {
            "phase": phase,
            "challenge": phase.challenge,
            "company": company,
            "proposal": proposal,
            "content": content,
            "form": form,
            "refusal": selectors.refusal_for(phase=phase, company=company),
            "version": proposal.version if proposal else "",
            "form_token": new_form_token(),
        },
        status=status,
    )


def _post_to_submitted(
    request: HttpRequest, *, phase: Any, company: Organisation, submitting: bool
) -> HttpResponse:
    """A form sent to an already submitted proposal: a second click on "Submit" (the same
    form, so the service hands back its receipt) or a form left open in another tab."""
    try:
        if submitting:
            receipt = services.proposal_submit(
                actor=request.user,
                phase=phase,
                company=company,
                idempotency_key=request.POST.get("form_token", ""),
            )
            return redirect("proposals:receipt", public_id=receipt.public_id)
        services.proposal_save_draft(actor=request.user, phase=phase, company=company)
    except DomainError as error:
        messages.error(request, error.message)
    return redirect(_edit_url(phase, company))


@never_cache
@login_required
@require_http_methods(["GET", "POST"])
def proposal_edit(request: HttpRequest, phase_id: UUID) -> HttpResponse:
    """Start or continue the company's proposal: answers, price, files; save or submit."""
    phase = _phase(phase_id)
    chosen = _choose_company(request, phase)
    if isinstance(chosen, HttpResponse):
        return chosen
    company = chosen
    proposal = selectors.proposal_for(phase=phase, company=company)
    content = selectors.proposal_content(user=request.user, proposal=proposal) if proposal else None
    criteria = selectors.criteria_of(phase=phase)
    editable = proposal is None or proposal.status != ProposalStatus.SUBMITTED
    submitting = request.POST.get("action") == "submit"
    if request.method == "POST" and not editable:
        return _post_to_submitted(request, phase=phase, company=company, submitting=submitting)
    if request.method == "GET" or not editable:
        form = ProposalForm(phase=phase, criteria=criteria, content=content) if editable else None
        return _render_edit(
            request, phase=phase, company=company, form=form, proposal=proposal, content=content
        )

    form = ProposalForm(
        request.POST, request.FILES, phase=phase, criteria=criteria, content=content
    )
    remove = [v for v in [request.POST.get("remove", "")] if v]
    if form.is_valid():
        kwargs = form.service_kwargs(remove=remove)
        try:
            if submitting:
                receipt = services.proposal_submit(
                    actor=request.user,
                    phase=phase,
                    company=company,
                    idempotency_key=form.cleaned_data.get("form_token") or "",
                    **kwargs,
                )
                messages.success(request, _("Your proposal has been received."))
                return redirect("proposals:receipt", public_id=receipt.public_id)
            services.proposal_save_draft(actor=request.user, phase=phase, company=company, **kwargs)
        except DomainError as error:
            if submitting and isinstance(error, InvalidInput):
                # An incomplete proposal is refused as a whole; keep what was sent (files
                # included, which a browser cannot re-fill) as a draft so nothing is lost.
                with suppress(DomainError):
                    services.proposal_save_draft(
                        actor=request.user, phase=phase, company=company, **kwargs
                    )
            form.show_domain_error(error)
        else:
            messages.success(
                request,
                _("File removed. Your draft is saved.")
                if remove
                else _("Your draft is saved. It is not submitted yet."),
            )
            return redirect(_edit_url(phase, company))
    proposal = selectors.proposal_for(phase=phase, company=company)
    content = selectors.proposal_content(user=request.user, proposal=proposal) if proposal else None
    return _render_edit(
        request, phase=phase, company=company, form=form, proposal=proposal, content=content
    )


@never_cache
@login_required
@require_GET
def proposal_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    proposal = _proposal(public_id)
    try:
        content = selectors.proposal_content(user=request.user, proposal=proposal)
    except Sealed as error:
        return _sealed(request, error)
    receipts = (
        selectors.receipts_of(user=request.user, proposal=proposal)
        if content.role == selectors.ROLE_COMPANY
        else []
    )
    return render(
        request,
        "proposals/detail.html",
        {
            "proposal": proposal,
            "phase": proposal.phase,
            "challenge": proposal.phase.challenge,
            "content": content,
            "receipts": receipts,
            "is_company": content.role == selectors.ROLE_COMPANY,
        },
    )


@never_cache
@login_required
@require_GET
def receipt_detail(request: HttpRequest, public_id: UUID) -> HttpResponse:
    receipt = selectors.receipt_detail(public_id=public_id)
    if receipt is None:
        raise Http404
    try:
        view = selectors.receipt_content(user=request.user, receipt=receipt)
    except Sealed as error:
        return _sealed(request, error)
    proposal = receipt.proposal
    return render(
        request,
        "proposals/receipt.html",
        {
            "receipt": view,
            "proposal": proposal,
            "phase": proposal.phase,
            "is_company": permissions.is_company_member(request.user, proposal.company),
        },
    )


@never_cache
@login_required
@require_GET
def receipt_json(request: HttpRequest, public_id: UUID) -> HttpResponse:
    """The receipt's canonical JSON: hashing the downloaded file gives the receipt's SHA-256."""
    receipt = selectors.receipt_detail(public_id=public_id)
    if receipt is None:
        raise Http404
    try:
        document = selectors.receipt_document(user=request.user, receipt=receipt)
    except Sealed as error:
        return _sealed(request, error)
    response = HttpResponse(document, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="receipt-{receipt.public_id}.json"'
    return response


@never_cache
@login_required
@require_GET
def attachment_download(request: HttpRequest, public_id: UUID) -> FileResponse | HttpResponse:
    attachment = selectors.attachment_detail(public_id=public_id)
    if attachment is None:
        raise Http404
    try:
        download = selectors.attachment_file(user=request.user, attachment=attachment)
    except Sealed as error:
        return _sealed(request, error)
    response = FileResponse(
        download.open(),
        as_attachment=True,
        filename=download.name,
        content_type=download.content_type,
    )
    return response


@login_required
@require_http_methods(["GET", "POST"])
def proposal_withdraw(request: HttpRequest, public_id: UUID) -> HttpResponse:
    proposal = _proposal(public_id)
    if not permissions.is_company_member(request.user, proposal.company):
        raise PermissionDenied
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposal_withdraw(actor=request.user, proposal=proposal)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(
                request,
                _(
                    "Your proposal is withdrawn. You can change it and submit it again until "
                    "the deadline."
                ),
            )
            return redirect(_edit_url(proposal.phase, proposal.company))
    return render(
        request,
        "proposals/withdraw.html",
        {"proposal": proposal, "phase": proposal.phase, "form": form},
    )


@never_cache
@login_required
@require_GET
def proposal_history(request: HttpRequest, public_id: UUID) -> HttpResponse:
    proposal = _proposal(public_id)
    try:
        items = selectors.proposal_history(user=request.user, proposal=proposal)
    except NotAllowed as error:
        raise PermissionDenied from error
    return render(
        request,
        "proposals/history.html",
        {"proposal": proposal, "phase": proposal.phase, "items": items},
    )


@never_cache
@login_required
@require_GET
def phase_proposals(request: HttpRequest, phase_id: UUID) -> HttpResponse:
    """The buying side's page: a count until the proposals are opened, then the list."""
    phase = _phase(phase_id)
    try:
        overview = selectors.phase_overview(user=request.user, phase=phase)
    except Sealed as error:
        return _sealed(request, error)
    return render(
        request,
        "proposals/phase.html",
        {"overview": overview, "phase": phase, "challenge": phase.challenge, "now": timezone.now()},
    )


@login_required
@require_http_methods(["GET", "POST"])
def proposals_open(request: HttpRequest, phase_id: UUID) -> HttpResponse:
    phase = _phase(phase_id)
    if not permissions.can_open(request.user, phase):
        raise PermissionDenied
    form = ConfirmForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            services.proposals_open(actor=request.user, phase=phase)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The proposals are open. Opening has been recorded."))
            return redirect("proposals:phase", phase_id=phase.public_id)
    return render(
        request,
        "proposals/open.html",
        {
            "phase": phase,
            "challenge": phase.challenge,
            "form": form,
            "deadline_passed": permissions.deadline_passed(phase),
        },
    )
