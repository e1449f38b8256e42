"""Pilots in a sandbox: a plan with KPIs agreed by buyer and company, results, go/no-go.

Either side may draft the plan and its KPIs; any change clears both agreements, so what is
agreed is exactly what both sides saw (the plan's version is checked). Once both agreed,
the plan is fixed; both may then record measured results, with evidence, until the lead
buyer decides go or no-go with reasons.
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation
from typing import Any, Literal

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govhub.challenges.models import Phase, PhaseKind
from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.proposals.models import Proposal

from .. import permissions
from ..models import PhaseResult, PilotDecision, PilotKpi, PilotPlan
from ._common import (
    clean_text,
    lock_phase,
    require_live_challenge,
    require_signed_in,
    require_undecided,
    user_ref,
)

Party = Literal["buyer", "company"]
_VALUE_MAX = Decimal("999999999999.99")


def _party(actor: Any, phase: Phase, proposal: Proposal) -> Party:
    require_signed_in(actor)
    if permissions.is_lead_buyer(actor, phase.challenge):
        return "buyer"
    if permissions.is_company_member(actor, proposal.company):
        return "company"
    raise NotAllowed(_("Only the lead buyer and the company piloting can do this."))


def _require_pilot(phase: Phase, proposal: Proposal) -> None:
    if phase.kind != PhaseKind.PILOT:
        raise InvalidInput(_("Pilot plans belong to pilot phases."), code="not_pilot")
    if not PhaseResult.objects.filter(invited_to=phase, selected=True, proposal=proposal).exists():
        raise InvalidInput(_("This company was not selected for this pilot."), code="not_invited")


def _lock_plan(plan: PilotPlan) -> tuple[Phase, PilotPlan]:
    phase = lock_phase(plan.phase)
    fresh = (
        PilotPlan.objects.select_for_update(of=("self",))
        .select_related("proposal", "proposal__company")
        .get(pk=plan.pk)
    )
    return phase, fresh


def _check_version(plan: PilotPlan, version: int | None) -> None:
    if version is not None and version != plan.version:
        raise Conflict(
            _("Someone else changed this pilot plan since you opened it. Check it again."),
            code="stale",
        )


def _require_editable(plan: PilotPlan) -> None:
    if plan.is_agreed:
        raise InvalidTransition(
            _("Both sides have agreed this plan: it can no longer change."), code="agreed"
        )


def _changed(plan: PilotPlan) -> None:
    """Any change to the plan or its KPIs asks both sides to agree again."""
    plan.agreed_by_buyer_at = None
    plan.agreed_by_buyer = None
    plan.agreed_by_company_at = None
    plan.agreed_by_company = None
    plan.version += 1
    plan.save()


def _decimal(value: Any, field: str, *, required: bool) -> Decimal | None:
    if value is None or value == "":
        if not required:
            return None
        message = _("Enter a number")
        raise InvalidInput(message, field_errors={field: [message]})
    try:
        number = Decimal(str(value))
    except InvalidOperation:
        number = Decimal("NaN")
    if not number.is_finite() or abs(number) > _VALUE_MAX:
        message = _("Enter a number, such as 12.5")
        raise InvalidInput(message, field_errors={field: [message]})
    return number.quantize(Decimal("0.01"))


def _plan_facts(plan: PilotPlan) -> dict[str, Any]:
    return {
        "phase": str(plan.phase.public_id),
        "proposal": str(plan.proposal.public_id),
        "plan": plan.plan,
        "version": plan.version,
        "agreed_by_buyer": user_ref(plan.agreed_by_buyer),
        "agreed_by_company": user_ref(plan.agreed_by_company),
    }


@transaction.atomic
def pilot_plan_save(
    *, actor: Any, phase: Phase, proposal: Proposal, plan: str, version: int | None = None
) -> PilotPlan:
    """Write or rewrite the pilot plan of a company selected for this pilot phase."""
    phase = lock_phase(phase)
    proposal = Proposal.objects.select_related("company").get(pk=proposal.pk)
    party = _party(actor, phase, proposal)
    require_live_challenge(phase.challenge)
    require_undecided(phase)
    _require_pilot(phase, proposal)
    text = clean_text(plan, field="plan", missing=_("Describe the pilot"))
    existing = (
        PilotPlan.objects.select_for_update(of=("self",))
        .filter(phase=phase, proposal=proposal)
        .first()
    )
    if existing is None:
        if version:
            raise Conflict(
                _("Someone else changed this pilot plan since you opened it. Check it again."),
                code="stale",
            )
        record = PilotPlan.objects.create(phase=phase, proposal=proposal, plan=text)
        before = None
    else:
        record = existing
        _check_version(record, version)
        _require_editable(record)
        if record.plan == text:
            return record
        before = _plan_facts(record)
        record.plan = text
        _changed(record)
    audit_record(
        actor=actor,
        action="evaluation.pilot_plan_save",
        obj=record,
        organisation_id=phase.challenge.lead_authority.public_id,
        before=before,
        after={**_plan_facts(record), "by": party},
    )
    return record


@transaction.atomic
def pilot_kpi_add(
    *,
    actor: Any,
    plan: PilotPlan,
    name: str,
    unit: str,
    target: Any,
    baseline: Any = None,
    higher_is_better: bool = True,
    version: int | None = None,
) -> PilotKpi:
    phase, plan = _lock_plan(plan)
    party = _party(actor, phase, plan.proposal)
    require_live_challenge(phase.challenge)
    require_undecided(phase)
    _check_version(plan, version)
    _require_editable(plan)
    errors: dict[str, list[str]] = {}
    values: dict[str, Any] = {}
    for field, value, missing, limit in (
        ("name", name, _("Enter the indicator’s name"), 200),
        ("unit", unit, _("Enter the unit, such as “minutes” or “%”"), 50),
    ):
        text = (value or "").strip()
        if not text:
            errors[field] = [missing]
        elif len(text) > limit:
            errors[field] = [_("Write %(max)s characters or fewer.") % {"max": limit}]
        values[field] = text
    for field, value, required in (("target", target, True), ("baseline", baseline, False)):
        try:
            values[field] = _decimal(value, field, required=required)
        except InvalidInput as error:
            errors.update(error.field_errors)
    if errors:
        raise InvalidInput(_("Check the indicator."), field_errors=errors)
    kpi = PilotKpi.objects.create(plan=plan, higher_is_better=higher_is_better, **values)
    _changed(plan)
    audit_record(
        actor=actor,
        action="evaluation.pilot_kpi_add",
        obj=kpi,
        organisation_id=phase.challenge.lead_authority.public_id,
        after={
            "plan": str(plan.public_id),
            "name": kpi.name,
            "unit": kpi.unit,
            "baseline": kpi.baseline,
            "target": kpi.target,
            "higher_is_better": kpi.higher_is_better,
            "by": party,
        },
    )
    return kpi


@transaction.atomic
def pilot_kpi_remove(*, actor: Any, kpi: PilotKpi, version: int | None = None) -> None:
    phase, plan = _lock_plan(kpi.plan)
    party = _party(actor, phase, plan.proposal)
    require_live_challenge(phase.challenge)
    require_undecided(phase)
    _check_version(plan, version)
    _require_editable(plan)
    kpi = PilotKpi.objects.get(pk=kpi.pk, plan=plan)
    name = kpi.name
    before = {"plan": str(plan.public_id), "name": name, "target": kpi.target}
    public_id = kpi.public_id
    kpi.delete()
    _changed(plan)
    audit_record(
        actor=actor,
        action="evaluation.pilot_kpi_remove",
        object_type=PilotKpi._meta.label_lower,
        object_id=str(public_id),
        object_label=name,
        organisation_id=phase.challenge.lead_authority.public_id,
        before={**before, "by": party},
    )


@transaction.atomic
def pilot_plan_agree(*, actor: Any, plan: PilotPlan, version: int) -> PilotPlan:
    """One side agrees to the plan as it saw it (its version); the pilot starts once both do."""
    phase, plan = _lock_plan(plan)
    party = _party(actor, phase, plan.proposal)
    require_live_challenge(phase.challenge)
    require_undecided(phase)
    _check_version(plan, version)
    if not plan.kpis.exists():
        raise InvalidTransition(
            _("Add at least one indicator with its target before agreeing the plan."),
            code="no_kpis",
        )
    already = plan.agreed_by_buyer_at if party == "buyer" else plan.agreed_by_company_at
    if already is not None:
        raise InvalidTransition(_("Your side has already agreed this plan."), code="agreed")
    before = _plan_facts(plan)
    now = timezone.now()
    if party == "buyer":
        plan.agreed_by_buyer_at = now
        plan.agreed_by_buyer = actor
    else:
        plan.agreed_by_company_at = now
        plan.agreed_by_company = actor
    plan.save()
    audit_record(
        actor=actor,
        action="evaluation.pilot_plan_agree",
        obj=plan,
        organisation_id=phase.challenge.lead_authority.public_id,
        before=before,
        after={**_plan_facts(plan), "by": party},
    )
    return plan


@transaction.atomic
def pilot_kpi_record_result(
    *,
    actor: Any,
    kpi: PilotKpi,
    measured_value: Any,
    evidence: str,
) -> PilotKpi:
    """Record what was measured for one indicator, with the evidence behind it."""
    phase, plan = _lock_plan(kpi.plan)
    party = _party(actor, phase, plan.proposal)
    require_live_challenge(phase.challenge)
    require_undecided(phase)
    if not plan.is_agreed:
        raise InvalidTransition(
            _("Results are recorded once both sides have agreed the plan."),
            code="not_agreed",
        )
    if hasattr(plan, "decision"):
        raise InvalidTransition(
            _("The go/no-go decision is made: the results can no longer change."),
            code="decided",
        )
    errors: dict[str, list[str]] = {}
    value = None
    try:
        value = _decimal(measured_value, "measured_value", required=True)
    except InvalidInput as error:
        errors.update(error.field_errors)
    try:
        text = clean_text(evidence, field="evidence", missing=_("Describe the evidence"))
    except InvalidInput as error:
        errors.update(error.field_errors)
        text = ""
    if errors:
        raise InvalidInput(_("Check the result."), field_errors=errors)
    kpi = PilotKpi.objects.select_for_update().get(pk=kpi.pk, plan=plan)
    before = {"measured_value": kpi.measured_value, "evidence": kpi.evidence}
    kpi.measured_value = value
    kpi.evidence = text
    kpi.measured_at = timezone.now()
    kpi.recorded_by = actor
    kpi.save()
    audit_record(
        actor=actor,
        action="evaluation.pilot_kpi_record_result",
        obj=kpi,
        organisation_id=phase.challenge.lead_authority.public_id,
        before=before,
        after={
            "measured_value": kpi.measured_value,
            "evidence": kpi.evidence,
            "target": kpi.target,
            "target_met": kpi.target_met,
            "by": party,
        },
    )
    return kpi


@transaction.atomic
def pilot_decide(*, actor: Any, plan: PilotPlan, go: bool, reasons: str) -> PilotDecision:
    """The lead buyer's go or no-go, once every indicator has a measured result."""
    phase, plan = _lock_plan(plan)
    if _party(actor, phase, plan.proposal) != "buyer":
        raise NotAllowed(_("Only a buyer of the lead authority decides go or no-go."))
    require_live_challenge(phase.challenge)
    require_undecided(phase)
    if not plan.is_agreed:
        raise InvalidTransition(
            _("Both sides must agree the plan before the pilot is decided."),
            code="not_agreed",
        )
    if PilotDecision.objects.filter(plan=plan).exists():
        raise InvalidTransition(_("This pilot has already been decided."), code="decided")
    if plan.kpis.filter(measured_value__isnull=True).exists():
        raise InvalidTransition(
            _("Record a result for every indicator before deciding."), code="unmeasured"
        )
    text = clean_text(reasons, field="reasons", missing=_("Give the reasons for the decision"))
    decision = PilotDecision.objects.create(
        plan=plan, go=go, reasons=text, decided_by=actor, decided_at=timezone.now()
    )
    audit_record(
        actor=actor,
        action="evaluation.pilot_decide",
        obj=decision,
        organisation_id=phase.challenge.lead_authority.public_id,
        after={
            "plan": str(plan.public_id),
            "proposal": str(plan.proposal.public_id),
            "go": go,
            "reasons": text,
        },
    )
    return decision
