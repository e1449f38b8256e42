"""Actions for an organisation's API token: the same services and selectors as the pages.

The request acts as the token's creator within the token's organisation: a company token
drafts and submits that company's proposals, an authority token creates and publishes that
authority's needs. Services re-check roles; proposal content is read only through
``proposals.selectors`` (the seal), with ``channel="api"``.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Header, Status

from govhub.challenges import selectors as challenge_selectors
from govhub.challenges.models import Phase
from govhub.core.errors import InvalidInput, NotAllowed
from govhub.needs import selectors as need_selectors
from govhub.needs import services as need_services
from govhub.organisations import permissions as org_permissions
from govhub.proposals import selectors as proposal_selectors
from govhub.proposals import services as proposal_services
from govhub.proposals.models import Proposal
from govhub.proposals.selectors.seal import refuse
from govhub.reference import selectors as reference_selectors

from . import (
    records,  # noqa: F401  (registers the public records on the same router)
    schemas,
)
from .auth import TokenAuth, require_scope
from .models import ApiToken, Scope
from .public import need_out, org_ref
from .public import router as public_router

# The same router as the public reads: Ninja resolves a path in one router only, and GET and
# POST /needs share theirs. Each action requires a token.
router = public_router
TOKEN = TokenAuth()
TAGS = ["actions"]

CHANNEL = "api"
_ERRORS = {
    401: schemas.Problem,
    403: schemas.Problem,
    404: schemas.Problem,
    429: schemas.Problem,
}


def _phase(phase_id: UUID) -> Phase:
    phase = proposal_selectors.phase_detail(public_id=phase_id)
    if phase is None:
        raise Http404
    return phase


def _buying_side(token: ApiToken, phase: Phase) -> bool:
    """The token's organisation buys through the challenge and its creator is one of that
    organisation's buyers or evaluators: the rights of another authority do not travel."""
    if not any(
        b.authority_id == token.organisation_id
        for b in challenge_selectors.buyers_of(phase.challenge)
    ):
        return False
    membership = org_permissions.membership_of(token.created_by, token.organisation)
    return membership is not None and (membership.is_buyer or membership.is_evaluator)


def _content_out(token: ApiToken, proposal: Proposal) -> dict[str, Any]:
    content = proposal_selectors.proposal_content(
        user=token.created_by, proposal=proposal, channel=CHANNEL
    )
    fresh = content.proposal
    receipt = content.receipt
    return {
        "id": fresh.public_id,
        "phase": fresh.phase.public_id,
        "company": org_ref(fresh.company),
        "status": fresh.status,
        "version": fresh.version,
        "submitted_at": fresh.submitted_at,
        "withdrawn_at": fresh.withdrawn_at,
        "title": content.title,
        "declared_price": content.price,
        "currency": content.currency,
        "answers": [
            {"criterion": a.criterion_id, "name": a.name, "weight": a.weight, "text": a.text}
            for a in content.answer_list
        ],
        "receipt": None
        if receipt is None
        else {
            "id": receipt.public_id,
            "received_at": receipt.received_at,
            "content_sha256": receipt.content_sha256,
            "is_current": receipt.is_current,
        },
    }


def _readable(token: ApiToken, proposal: Proposal) -> Proposal:
    """A token reads its own company's proposals, or, for a buying authority, what the seal
    lets that authority's buyers read; any other organisation is refused (and audited)."""
    if proposal.company_id == token.organisation_id or _buying_side(token, proposal.phase):
        return proposal
    raise refuse(user=token.created_by, obj=proposal, channel=CHANNEL, reason="no_role")


@router.post(
    "/phases/{uuid:phase_id}/proposal",
    auth=TOKEN,
    tags=TAGS,
    response={200: schemas.ProposalOut, **_ERRORS, 409: schemas.Problem, 422: schemas.Problem},
    summary="Save the company's draft proposal to a phase, or submit it",
    description=(
        "Scope proposals:write. Answers are keyed by criterion id; criteria left out keep "
        "their answer. With submit=true the proposal is submitted and an Idempotency-Key "
        "header (16 to 64 letters, digits, '-' or '_') is required: the same key sent again "
        "returns the same receipt."
    ),
)
def proposal_save(
    request: HttpRequest,
    phase_id: UUID,
    payload: schemas.ProposalIn,
    idempotency_key: str | None = Header(None, alias="Idempotency-Key"),
) -> dict[str, Any]:
    token = require_scope(request, Scope.PROPOSALS_WRITE)
    phase = _phase(phase_id)
    fields: dict[str, Any] = {
        "actor": token.created_by,
        "phase": phase,
        "company": token.organisation,
        "version": payload.version,
        "title": payload.title,
        "answers": {str(k): v for k, v in payload.answer_texts.items()},
    }
    if "price" in payload.model_fields_set:
        fields["declared_price"] = payload.price
    if payload.submit:
        if not idempotency_key:
            raise InvalidInput(
                _("Send an Idempotency-Key header to submit."),
                code="idempotency_key_required",
                field_errors={"Idempotency-Key": [_("This header is required to submit.")]},
            )
        receipt = proposal_services.proposal_submit(idempotency_key=idempotency_key, **fields)
        proposal = receipt.proposal
    else:
        proposal = proposal_services.proposal_save_draft(**fields)
    return _content_out(token, proposal)


@router.get(
    "/phases/{uuid:phase_id}/proposal",
    auth=TOKEN,
    tags=TAGS,
    response={200: schemas.ProposalOut, **_ERRORS},
    summary="Read the company's own proposal to a phase",
    description="Scope read.",
)
def proposal_own(request: HttpRequest, phase_id: UUID) -> dict[str, Any]:
    token = require_scope(request, Scope.READ)
    proposal = proposal_selectors.proposal_for(phase=_phase(phase_id), company=token.organisation)
    if proposal is None:
        raise Http404
    return _content_out(token, proposal)


@router.get(
    "/proposals/{uuid:proposal_id}",
    auth=TOKEN,
    tags=TAGS,
    response={200: schemas.ProposalOut, **_ERRORS},
    summary="Read a proposal (its company; the buyers once opened after the deadline)",
    description="Scope read. Sealed proposals are refused (403) and the refusal is audited.",
)
def proposal_read(request: HttpRequest, proposal_id: UUID) -> dict[str, Any]:
    token = require_scope(request, Scope.READ)
    proposal = proposal_selectors.proposal_detail(public_id=proposal_id)
    if proposal is None:
        raise Http404
    return _content_out(token, _readable(token, proposal))


@router.post(
    "/proposals/{uuid:proposal_id}/withdraw",
    auth=TOKEN,
    tags=TAGS,
    response={200: schemas.ProposalOut, **_ERRORS, 409: schemas.Problem},
    summary="Withdraw a submitted proposal before the deadline",
    description="Scope proposals:write.",
)
def proposal_withdraw(request: HttpRequest, proposal_id: UUID) -> dict[str, Any]:
    token = require_scope(request, Scope.PROPOSALS_WRITE)
    proposal = proposal_selectors.proposal_detail(public_id=proposal_id)
    if proposal is None:
        raise Http404
    if proposal.company_id != token.organisation_id:
        raise NotAllowed(_("This token may act only for its own organisation's proposals."))
    withdrawn = proposal_services.proposal_withdraw(actor=token.created_by, proposal=proposal)
    return _content_out(token, withdrawn)


@router.get(
    "/phases/{uuid:phase_id}/proposals",
    auth=TOKEN,
    tags=TAGS,
    response={200: schemas.PhaseProposalsOut, **_ERRORS},
    summary="Proposals received in a phase (buyers: a count until they are opened)",
    description="Scope read.",
)
def phase_proposals(request: HttpRequest, phase_id: UUID) -> dict[str, Any]:
    token = require_scope(request, Scope.READ)
    phase = _phase(phase_id)
    if not _buying_side(token, phase):
        raise refuse(user=token.created_by, obj=phase, channel=CHANNEL, reason="no_role")
    overview = proposal_selectors.phase_overview(
        user=token.created_by, phase=phase, channel=CHANNEL
    )
    return {
        "phase": phase.public_id,
        "received_count": overview.received_count,
        "deadline_passed": overview.deadline_passed,
        "opened": overview.opened,
        "received": None
        if overview.rows is None
        else [
            {
                "id": r.receipt_id,
                "received_at": r.received_at,
                "content_sha256": r.content_sha256,
                "is_current": True,
            }
            for r in overview.rows
        ],
    }


@router.post(
    "/needs",
    auth=TOKEN,
    tags=TAGS,
    response={201: schemas.NeedOut, **_ERRORS, 422: schemas.Problem},
    summary="Draft an innovation need for the token's authority",
    description="Scope needs:write. Publish it with POST /needs/{id}/publish.",
)
def need_create(request: HttpRequest, payload: schemas.NeedIn) -> Status[dict[str, Any]]:
    token = require_scope(request, Scope.NEEDS_WRITE)
    cpv, unknown = reference_selectors.cpv_lookup(payload.cpv_codes)
    errors: dict[str, list[str]] = {}
    if unknown:
        errors["cpv_codes"] = [_("Unknown CPV codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
    nuts = None
    if payload.nuts_region:
        nuts = reference_selectors.nuts_by_code(payload.nuts_region)
        if nuts is None:
            errors["nuts_region"] = [_("Unknown NUTS code.")]
    if errors:
        raise InvalidInput(_("Some codes are not known."), field_errors=errors)
    need = need_services.need_create(
        actor=token.created_by,
        authority=token.organisation,
        title=payload.title,
        problem=payload.problem,
        affected=payload.affected,
        expected_outcomes=payload.expected_outcomes,
        outcome_measures=payload.outcome_measures,
        cpv_codes=cpv,
        nuts_region=nuts,
        currency=payload.currency,
        budget_min=payload.budget_min,
        budget_max=payload.budget_max,
        timeline=payload.timeline,
        expected_start=payload.expected_start,
        open_to_pooling=payload.open_to_pooling,
    )
    return Status(201, need_out(_own_need(token, need.public_id)))


def nuts_or_invalid(code: str | None) -> Any:
    """The NUTS region with this code, None if none is given; an unknown code is refused."""
    if not code:
        return None
    nuts = reference_selectors.nuts_by_code(code.strip().upper())
    if nuts is None:
        raise InvalidInput(
            _("Some codes are not known."), field_errors={"nuts_region": [_("Unknown NUTS code.")]}
        )
    return nuts


def _own_need(token: ApiToken, need_id: UUID) -> Any:
    need = need_selectors.need_detail(public_id=need_id)
    if need is None or need.authority_id != token.organisation_id:
        raise Http404  # another authority's drafts are not found, as on the pages
    return need


@router.post(
    "/needs/{uuid:need_id}/publish",
    auth=TOKEN,
    tags=TAGS,
    response={200: schemas.NeedOut, **_ERRORS, 409: schemas.Problem, 422: schemas.Problem},
    summary="Publish a draft need of the token's authority",
    description="Scope needs:write.",
)
def need_publish(request: HttpRequest, need_id: UUID) -> dict[str, Any]:
    token = require_scope(request, Scope.NEEDS_WRITE)
    need = _own_need(token, need_id)
    need_services.need_publish(actor=token.created_by, need=need)
    return need_out(_own_need(token, need_id))
