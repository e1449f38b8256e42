"""Response and request shapes. Objects are identified by their public UUID (``id``)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from uuid import UUID

from ninja import Field, Schema

from .pagination import Page


class Problem(Schema):
    """RFC 9457 problem details (served as ``application/problem+json``)."""

    type: str
    title: str
    status: int
    detail: str
    instance: str
    code: str
    errors: dict[str, list[str]] | None = None


class OrganisationRef(Schema):
    id: UUID
    name: str
    country: str


class OrganisationOut(Schema):
    id: UUID
    name: str
    kind: str
    description: str
    country: str
    nuts_region: str | None
    website: str
    status: str
    verified_at: dt.datetime | None
    national_id: str
    size: str | None
    intermediary_type: str
    created_at: dt.datetime


class OrganisationPage(Page):
    results: list[OrganisationOut]


class NeedOut(Schema):
    id: UUID
    title: str
    problem: str
    affected: str
    expected_outcomes: str
    outcome_measures: str
    authority: OrganisationRef
    cpv_codes: list[str]
    nuts_region: str | None
    currency: str
    budget_min: Decimal | None
    budget_max: Decimal | None
    timeline: str
    expected_start: dt.date | None
    constraints_data: str
    constraints_interoperability: str
    constraints_accessibility: str
    constraints_security: str
    open_to_pooling: bool
    status: str
    published_at: dt.datetime | None


class NeedPage(Page):
    results: list[NeedOut]


class BuyerOut(Schema):
    authority: OrganisationRef
    is_lead: bool


class ChallengeOut(Schema):
    id: UUID
    title: str
    summary: str
    status: str
    lead_authority: OrganisationRef
    buyers: list[BuyerOut]
    cpv_codes: list[str]
    nuts_region: str | None
    currency: str
    total_budget: Decimal | None
    published_at: dt.datetime | None
    completed_at: dt.datetime | None
    cancelled_at: dt.datetime | None
    open_now: bool
    next_deadline: dt.datetime | None


class ChallengePage(Page):
    results: list[ChallengeOut]


class CriterionOut(Schema):
    id: UUID
    order: int
    name: str
    description: str
    weight: int
    criterion_type: str


class ClarificationOut(Schema):
    """A published answer; who asked is never shown."""

    id: UUID
    question: str
    answer: str
    answered_at: dt.datetime | None


class PhaseOut(Schema):
    id: UUID
    order: int
    kind: str
    title: str
    description: str
    status: str
    opens_at: dt.datetime | None
    deadline: dt.datetime | None
    ends_at: dt.datetime | None
    sme_only: bool
    eu_eea_only: bool
    eligibility_notes: str
    budget: Decimal | None
    max_selected: int | None
    asks_price: bool
    criteria: list[CriterionOut]
    clarifications: list[ClarificationOut]


class OutcomeOut(Schema):
    kind: str
    awarded: list[OrganisationRef]
    value: Decimal | None
    currency: str
    reasons: str
    published_at: dt.datetime
    standstill_ends_at: dt.datetime | None
    becomes_final_at: dt.datetime


class ChallengeDetailOut(ChallengeOut):
    description: str
    cancellation_reason: str
    phases: list[PhaseOut]
    outcome: OutcomeOut | None


class CpvOut(Schema):
    code: str
    label: str
    level: int
    parent: str | None


class CpvPage(Page):
    results: list[CpvOut]


class NutsOut(Schema):
    code: str
    label: str
    level: int
    country_code: str
    parent: str | None


class NutsPage(Page):
    results: list[NutsOut]


# --- Authenticated actions ------------------------------------------------------------------


class ProposalIn(Schema):
    title: str | None = None
    # Keyed by criterion public id; criteria left out keep their answer.
    answer_texts: dict[UUID, str] = Field(default_factory=dict, alias="answers")
    price: Decimal | None = Field(default=None, alias="declared_price")
    version: int | None = None
    submit: bool = False


class AnswerOut(Schema):
    criterion: UUID
    name: str
    weight: int
    text: str


class ReceiptOut(Schema):
    id: UUID
    received_at: dt.datetime
    content_sha256: str
    is_current: bool


class ProposalOut(Schema):
    id: UUID
    phase: UUID
    company: OrganisationRef
    status: str
    version: int
    submitted_at: dt.datetime | None
    withdrawn_at: dt.datetime | None
    title: str
    declared_price: Decimal | None
    currency: str | None
    answers: list[AnswerOut]
    receipt: ReceiptOut | None


class PhaseProposalsOut(Schema):
    phase: UUID
    received_count: int
    deadline_passed: bool
    opened: bool
    received: list[ReceiptOut] | None


class NeedIn(Schema):
    title: str
    problem: str = ""
    affected: str = ""
    expected_outcomes: str = ""
    outcome_measures: str = ""
    cpv_codes: list[str] = Field(default_factory=list)
    nuts_region: str | None = None
    currency: str = "EUR"
    budget_min: Decimal | None = None
    budget_max: Decimal | None = None
    timeline: str = ""
    expected_start: dt.date | None = None
    open_to_pooling: bool = True


# --- Public records beside the challenges (records.py) --------------------------------------


class PublicClarificationOut(Schema):
    """A published answer with where it belongs; who asked is never shown."""

    id: UUID
    challenge: UUID
    phase: UUID
    question: str
    answer: str
    answered_at: dt.datetime | None


class ClarificationPage(Page):
    results: list[PublicClarificationOut]


class ChallengeRef(Schema):
    id: UUID
    title: str
    lead_authority: OrganisationRef


class PublishedOutcomeOut(OutcomeOut):
    id: UUID
    challenge: ChallengeRef


class PublishedOutcomePage(Page):
    results: list[PublishedOutcomeOut]


class OpportunityOut(Schema):
    id: UUID
    source: str
    oj_number: str
    form: str
    notice_type: str
    publication_date: dt.date | None
    original_language: str
    title: str
    titles: dict[str, str]
    short_description: str
    cpv_main: str | None
    cpv_additional: list[str]
    nuts_codes: list[str]
    country: str
    estimated_value: Decimal | None
    total_value: Decimal | None
    currency: str
    tender_deadline: dt.datetime | None
    buyer: OrganisationRef | None
    procedure_type: str
    contract_nature: str
    url: str


class OpportunityPage(Page):
    results: list[OpportunityOut]


class LotOut(Schema):
    id: UUID
    number: str
    title: str
    cpv_codes: list[str]
    nuts_codes: list[str]
    estimated_value: Decimal | None
    currency: str


class WinnerOut(Schema):
    name: str
    national_id: str
    town: str
    country: str
    nuts_code: str
    is_sme: bool | None
    organisation: UUID | None


class NoticeRef(Schema):
    id: UUID
    oj_number: str
    title: str
    country: str
    cpv_main: str | None


class AwardBase(Schema):
    id: UUID
    lot_number: str
    contract_number: str
    title: str
    is_awarded: bool
    award_date: dt.date | None
    value: Decimal | None
    currency: str
    tenders_received: int | None
    winners: list[WinnerOut]


class AwardOut(AwardBase):
    notice: NoticeRef


class AwardPage(Page):
    results: list[AwardOut]


class OpportunityDetailOut(OpportunityOut):
    lots: list[LotOut]
    awards: list[AwardBase]
