"""Pilot pages: the plan with its KPIs (both sides), results, and the buyer's go/no-go."""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from govhub.challenges.models import Phase, PhaseKind, PhaseStatus
from govhub.core.errors import DomainError
from govhub.proposals.models import Proposal

from .. import permissions, selectors, services
from ..forms import (
    AgreeForm,
    KpiForm,
    KpiResultForm,
    PilotDecisionForm,
    PilotPlanForm,
    show_domain_error,
)
from ..models import PilotPlan
from ._common import get_kpi, get_phase, get_plan, get_proposal, posted, require


def _party(user: Any, phase: Phase, proposal: Proposal) -> str:
    """ "buyer" (the lead), "company", "observer" (a co-buyer) or "" (nobody)."""
    if permissions.is_lead_buyer(user, phase.challenge):
        return "buyer"
    if permissions.is_company_member(user, proposal.company):
        return "company"
    if permissions.is_co_buyer(user, phase.challenge):
        return "observer"
    return ""


@login_required
def pilot_phase(request: HttpRequest, phase_id: UUID) -> HttpResponse:
    phase = get_phase(phase_id)
    require(permissions.can_view_evaluation(request.user, phase.challenge))
    require(phase.kind == PhaseKind.PILOT)
    return render(
        request,
        "evaluation/pilots.html",
        {
            "challenge": phase.challenge,
            "phase": phase,
            "rows": selectors.pilot_rows(phase),
            "is_lead": permissions.is_lead_buyer(request.user, phase.challenge),
        },
    )


def _invited_proposal(phase: Phase, proposal_id: UUID) -> Proposal:
    proposal = get_proposal(proposal_id)
    if phase.kind != PhaseKind.PILOT or not selectors.is_invited(proposal.company, phase):
        raise Http404
    return proposal


def _plan_page(
    request: HttpRequest,
    phase: Phase,
    proposal: Proposal,
    *,
    plan_form: PilotPlanForm | None = None,
    kpi_form: KpiForm | None = None,
    status: int = 200,
) -> HttpResponse:
    party = _party(request.user, phase, proposal)
    require(bool(party))
    plan = selectors.pilot_plan_for(phase, proposal)
    live = phase.status != PhaseStatus.DECIDED and phase.challenge.status == "published"
    editable = live and party in {"buyer", "company"} and (plan is None or not plan.is_agreed)
    if plan_form is None:
        plan_form = PilotPlanForm(
            initial={"plan": plan.plan, "version": plan.version} if plan else {"version": 0}
        )
    if kpi_form is None and plan is not None:
        kpi_form = KpiForm(initial={"version": plan.version, "higher_is_better": "yes"})
    decision = getattr(plan, "decision", None) if plan else None
    agreed_by_me = plan is not None and (
        (party == "buyer" and plan.agreed_by_buyer_at is not None)
        or (party == "company" and plan.agreed_by_company_at is not None)
    )
    return render(
        request,
        "evaluation/pilot_plan.html",
        {
            "challenge": phase.challenge,
            "phase": phase,
            "proposal": proposal,
            "plan": plan,
            "kpis": list(plan.kpis.all()) if plan else [],
            "decision": decision,
            "party": party,
            "editable": editable,
            "can_agree": editable and plan is not None and not agreed_by_me,
            "can_record": live
            and party in {"buyer", "company"}
            and plan is not None
            and plan.is_agreed
            and decision is None,
            "can_decide": live
            and party == "buyer"
            and plan is not None
            and plan.is_agreed
            and decision is None,
            "plan_form": plan_form,
            "kpi_form": kpi_form,
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def pilot_plan(request: HttpRequest, phase_id: UUID, proposal_id: UUID) -> HttpResponse:
    phase = get_phase(phase_id)
    proposal = _invited_proposal(phase, proposal_id)
    require(bool(_party(request.user, phase, proposal)))
    if request.method != "POST":
        return _plan_page(request, phase, proposal)
    require(_party(request.user, phase, proposal) in {"buyer", "company"})
    form = PilotPlanForm(request.POST)
    if form.is_valid():
        try:
            services.pilot_plan_save(
                actor=request.user,
                phase=phase,
                proposal=proposal,
                plan=form.cleaned_data["plan"],
                version=form.cleaned_data["version"],
            )
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The pilot plan is saved. Both sides must agree it."))
            return redirect(
                "evaluation:pilot_plan", phase_id=phase.public_id, proposal_id=proposal.public_id
            )
    return _plan_page(request, phase, proposal, plan_form=form)


def _plan_for_post(request: HttpRequest, plan_id: UUID) -> PilotPlan:
    plan = get_plan(plan_id)
    require(_party(request.user, plan.phase, plan.proposal) in {"buyer", "company"})
    return plan


def _back_to(plan: PilotPlan) -> HttpResponse:
    return redirect(
        "evaluation:pilot_plan", phase_id=plan.phase.public_id, proposal_id=plan.proposal.public_id
    )


@login_required
@require_POST
def pilot_kpi_add(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = _plan_for_post(request, plan_id)
    form = KpiForm(request.POST)
    if form.is_valid():
        try:
            services.pilot_kpi_add(actor=request.user, plan=plan, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The indicator is added. Both sides must agree the plan."))
            return _back_to(plan)
    return _plan_page(request, plan.phase, plan.proposal, kpi_form=form)


@login_required
@require_POST
def pilot_kpi_remove(request: HttpRequest, kpi_id: UUID) -> HttpResponse:
    kpi = get_kpi(kpi_id)
    plan = _plan_for_post(request, kpi.plan.public_id)
    form = AgreeForm(request.POST)
    try:
        if not form.is_valid():
            raise Http404
        services.pilot_kpi_remove(actor=request.user, kpi=kpi, version=form.cleaned_data["version"])
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("The indicator is removed."))
    return _back_to(plan)


@login_required
@require_POST
def pilot_plan_agree(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = _plan_for_post(request, plan_id)
    form = AgreeForm(request.POST)
    if not form.is_valid():
        raise Http404
    try:
        services.pilot_plan_agree(
            actor=request.user, plan=plan, version=form.cleaned_data["version"]
        )
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("You agreed the pilot plan."))
    return _back_to(plan)


@login_required
@require_http_methods(["GET", "POST"])
def pilot_kpi_result(request: HttpRequest, kpi_id: UUID) -> HttpResponse:
    kpi = get_kpi(kpi_id)
    plan = _plan_for_post(request, kpi.plan.public_id)
    form = KpiResultForm(
        posted(request),
        initial={"measured_value": kpi.measured_value, "evidence": kpi.evidence},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.pilot_kpi_record_result(actor=request.user, kpi=kpi, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The result is recorded."))
            return _back_to(plan)
    return render(
        request,
        "evaluation/kpi_result.html",
        {
            "kpi": kpi,
            "plan": plan,
            "phase": plan.phase,
            "challenge": plan.phase.challenge,
            "proposal": plan.proposal,
            "form": form,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def pilot_decide(request: HttpRequest, plan_id: UUID) -> HttpResponse:
    plan = get_plan(plan_id)
    require(permissions.is_lead_buyer(request.user, plan.phase.challenge))
    form = PilotDecisionForm(posted(request))
    if request.method == "POST" and form.is_valid():
        try:
            services.pilot_decide(actor=request.user, plan=plan, **form.cleaned_data)
        except DomainError as error:
            show_domain_error(form, error)
        else:
            messages.success(request, _("The go/no-go decision is recorded."))
            return _back_to(plan)
    return render(
        request,
        "evaluation/pilot_decide.html",
        {
            "plan": plan,
            "phase": plan.phase,
            "challenge": plan.phase.challenge,
            "proposal": plan.proposal,
            "kpis": list(plan.kpis.all()),
            "form": form,
        },
    )
