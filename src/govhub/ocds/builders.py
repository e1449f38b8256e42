"""OCDS 1.1 releases, records and packages of GovHub's challenges: pure model → dict.

Mapping (see ``README.md`` in this app for the reasoning):

- One contracting process per challenge: ``ocid`` = ``GOVHUB_OCID_PREFIX`` + "-" + the
  challenge's public UUID.
- Releases, each the state at its ``date`` (never later information): ``tender`` when the
  challenge is published; ``tenderUpdate`` when a phase opens, closes or is decided, and
  when the challenge is completed; ``award`` when the outcome is published (awarded or not
  awarded); ``tenderCancellation`` when the outcome or the challenge is a cancellation;
  ``contract`` once the standstill period of an award is over. Release ids are
  ``<ocid>-<event>`` and so unique and stable.
- The phases (open call, shortlist, pilot, award) are one tender in successive stages, not
  separate tenders: each phase is a ``tender.milestones`` entry (core 1.1) and a
  ``tender.lots`` entry (OCDS lots extension) with its budget and status. The tender period
  is the one of the phase currently taking proposals. ``procurementMethod`` is ``open``
  while an open call takes proposals and ``selective`` once only shortlisted companies
  continue (shortlist, pilot, award phases).
- ``parties``: every buying authority with role ``buyer`` (joint challenges list them all),
  the lead also ``procuringEntity``; awarded companies with role ``supplier`` only once
  the outcome is published. Proposals are sealed: no tenderer, proposal, price or score
  ever appears.
- Items: one per CPV code (``classification.scheme`` ``CPV``), with the challenge's NUTS
  region in ``deliveryAddresses`` / ``deliveryLocation`` (location extension).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from decimal import Decimal
from functools import cache
from typing import TYPE_CHECKING, Any

import ocdsmerge
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist
from django.urls import reverse
from django.utils import translation

from govhub.challenges.models import Challenge, ChallengeStatus, Phase, PhaseDocument, PhaseKind
from govhub.evaluation.models import Outcome, OutcomeKind
from govhub.reference.models import pick_label

from .validation import RELEASE_SCHEMA_PATH

if TYPE_CHECKING:
    from govhub.organisations.models import Organisation

OCDS_VERSION = "1.1"
DEFAULT_OCID_PREFIX = "ocds-govhub"
PUBLISHER_NAME = "GovHub"
EXTENSIONS = [
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_lots_extension/v1.1.5/extension.json",
    "https://raw.githubusercontent.com/open-contracting-extensions/ocds_location_extension/v1.1.5/extension.json",
]

MILESTONE_TYPE: dict[str, str] = {
    PhaseKind.OPEN_CALL: "engagement",
    PhaseKind.SHORTLIST: "assessment",
    PhaseKind.PILOT: "delivery",
    PhaseKind.AWARD: "approval",
}


def ocid_prefix() -> str:
    return str(getattr(settings, "GOVHUB_OCID_PREFIX", DEFAULT_OCID_PREFIX))


def ocid_of(challenge: Challenge, prefix: str | None = None) -> str:
    return f"{prefix or ocid_prefix()}-{challenge.public_id}"


def iso(value: dt.datetime | None) -> str | None:
    if value is None:
        return None
    if value.tzinfo is None:
        value = value.replace(tzinfo=dt.UTC)
    return value.astimezone(dt.UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z")


def amount(value: Decimal | None, currency: str) -> dict[str, Any] | None:
    if value is None:
        return None
    number: int | float = int(value) if value == value.to_integral_value() else float(value)
    return {"amount": number, "currency": currency}


def _compact(data: dict[str, Any]) -> dict[str, Any]:
    """Drop keys whose value is None or empty: OCDS omits unknown fields."""
    return {k: v for k, v in data.items() if v not in (None, "", [], {})}


def english(labels: dict[str, str]) -> str:
    """Releases are in English (``language``: en), whatever the request's language."""
    return pick_label(labels, "en")


def outcome_of(challenge: Challenge) -> Outcome | None:
    try:
        return challenge.outcome
    except ObjectDoesNotExist:
        return None


# Parties ------------------------------------------------------------------------------


def party_id(org: Organisation) -> str:
    return f"govhub-org-{org.public_id}"


def organisation_reference(org: Organisation) -> dict[str, Any]:
    return {"id": party_id(org), "name": org.name}


def party(org: Organisation, roles: Sequence[str]) -> dict[str, Any]:
    address = _compact(
        {
            "region": org.nuts_region.code if org.nuts_region_id and org.nuts_region else None,
            "countryName": english(org.country.labels) if org.country_id else None,
        }
    )
    identifier = _compact({"id": org.national_id, "legalName": org.name})
    return _compact(
        {
            "id": party_id(org),
            "name": org.name,
            "identifier": identifier if "id" in identifier else None,
            "address": address,
            "contactPoint": _compact({"url": org.website}) or None,
            "roles": list(roles),
        }
    )


def buyer_parties(challenge: Challenge) -> list[dict[str, Any]]:
    """Every buying authority, the lead first (``buyer`` and ``procuringEntity``)."""
    buyers = sorted(challenge.buyers.all(), key=lambda b: (not b.is_lead, b.authority.name))
    parties = []
    seen = set()
    for buyer in buyers:
        roles = ["buyer", "procuringEntity"] if buyer.is_lead else ["buyer"]
        parties.append(party(buyer.authority, roles))
        seen.add(buyer.authority_id)
    if challenge.lead_authority_id not in seen:
        parties.insert(0, party(challenge.lead_authority, ["buyer", "procuringEntity"]))
    return parties


# Tender --------------------------------------------------------------------------------


def phase_status_at(phase: Phase, when: dt.datetime) -> str:
    """The phase's status as it was at ``when``, from its transition timestamps."""
    status = "planned"
    for name, stamp in (
        ("open", phase.open_at),
        ("closed", phase.closed_at),
        ("evaluating", phase.evaluating_at),
        ("decided", phase.decided_at),
    ):
        if stamp is not None and stamp <= when:
            status = name
    return status


LOT_STATUS = {
    "planned": "planned",
    "open": "active",
    "closed": "active",
    "evaluating": "active",
    "decided": "complete",
}
MILESTONE_STATUS = {"decided": "met"}


def phase_lot(phase: Phase, currency: str, when: dt.datetime) -> dict[str, Any]:
    status = phase_status_at(phase, when)
    return _compact(
        {
            "id": f"phase-{phase.order}",
            "title": phase.title,
            "description": phase.description,
            "status": LOT_STATUS[status],
            "value": amount(phase.budget, currency),
        }
    )


def phase_milestone(phase: Phase, when: dt.datetime) -> dict[str, Any]:
    status = phase_status_at(phase, when)
    return _compact(
        {
            "id": f"phase-{phase.order}",
            "title": phase.title,
            "type": MILESTONE_TYPE.get(phase.kind, "engagement"),
            "description": phase.description,
            "dueDate": iso(phase.deadline or phase.ends_at),
            "dateMet": iso(phase.decided_at) if status == "decided" else None,
            "status": MILESTONE_STATUS.get(status, "scheduled"),
        }
    )


def current_phase(phases: Sequence[Phase], when: dt.datetime) -> Phase | None:
    """The latest phase that had opened at ``when`` (else the first one)."""
    opened = [p for p in phases if p.open_at is not None and p.open_at <= when]
    if opened:
        return opened[-1]
    return phases[0] if phases else None


def procurement_method(phase: Phase | None) -> str:
    """Open while an open call takes proposals; selective once companies are shortlisted."""
    if phase is None or phase.kind == PhaseKind.OPEN_CALL:
        return "open"
    return "selective"


def items(challenge: Challenge) -> list[dict[str, Any]]:
    region = challenge.nuts_region if challenge.nuts_region_id else None
    location: dict[str, Any] = {}
    if region is not None:
        location = {
            "deliveryAddresses": [{"region": region.code}],
            "deliveryLocation": {
                "gazetteer": {"scheme": "NUTS", "identifiers": [region.code]},
                "description": english(region.labels),
            },
        }
    rows = []
    for number, cpv in enumerate(sorted(challenge.cpv_codes.all(), key=lambda c: c.code), 1):
        rows.append(
            {
                "id": str(number),
                "description": challenge.title,
                "classification": {
                    "scheme": "CPV",
                    "id": cpv.digits,
                    "description": english(cpv.labels),
                },
                **location,
            }
        )
    return rows


def document_url(challenge: Challenge, document: PhaseDocument) -> str:
    with translation.override("en"):
        path = reverse("challenges:document", args=[challenge.public_id, document.public_id])
    return str(getattr(settings, "GOVHUB_SITE_URL", "")).rstrip("/") + path


def documents(
    challenge: Challenge, phases: Sequence[Phase], when: dt.datetime
) -> list[dict[str, Any]]:
    """The phases' public documents as they stood at ``when``."""
    rows = []
    for phase in phases:
        for doc in phase.documents.all():
            if doc.created_at > when:
                continue
            rows.append(
                _compact(
                    {
                        "id": str(doc.public_id),
                        "documentType": "biddingDocuments",
                        "title": doc.title,
                        "url": document_url(challenge, doc),
                        "format": doc.content_type,
                        "datePublished": iso(doc.created_at),
                        "relatedLots": [f"phase-{phase.order}"],
                    }
                )
            )
    return rows


def tender(challenge: Challenge, phases: Sequence[Phase], when: dt.datetime) -> dict[str, Any]:
    lead = challenge.lead_authority
    phase = current_phase(phases, when)
    outcome = outcome_of(challenge)
    status = "active"
    if challenge.cancelled_at is not None and challenge.cancelled_at <= when:
        status = "cancelled"
    elif outcome is not None and outcome.published_at <= when:
        status = {
            OutcomeKind.AWARDED: "complete",
            OutcomeKind.NOT_AWARDED: "unsuccessful",
            OutcomeKind.CANCELLED: "cancelled",
        }[OutcomeKind(outcome.kind)]
    elif challenge.completed_at is not None and challenge.completed_at <= when:
        status = "complete"
    period = None
    if phase is not None and phase.takes_proposals:
        period = _compact({"startDate": iso(phase.opens_at), "endDate": iso(phase.deadline)})
    eligibility = []
    for p in phases:
        if p.sme_only:
            eligibility.append(f"{p.title}: open to SMEs only.")
        if p.eu_eea_only:
            eligibility.append(f"{p.title}: open to companies established in the EU/EEA only.")
        if p.eligibility_notes:
            eligibility.append(f"{p.title}: {p.eligibility_notes}")
    criteria = [
        f"{p.title}: " + "; ".join(f"{c.name} ({c.weight}%)" for c in p.criteria.all())
        for p in phases
        if p.criteria.all()
    ]
    return _compact(
        {
            "id": str(challenge.public_id),
            "title": challenge.title,
            "description": challenge.summary,
            "status": status,
            "procuringEntity": organisation_reference(lead),
            "items": items(challenge),
            "value": amount(challenge.total_budget, challenge.currency),
            "procurementMethod": procurement_method(phase),
            "procurementMethodDetails": (
                "Innovation challenge in phases: "
                + ", ".join(f"{p.order}. {p.title} ({p.kind})" for p in phases)
            ),
            "mainProcurementCategory": "services",
            "awardCriteriaDetails": " | ".join(criteria),
            "submissionMethod": ["electronicSubmission"],
            "tenderPeriod": period,
            "eligibilityCriteria": " ".join(eligibility),
            "documents": documents(challenge, phases, when),
            "milestones": [phase_milestone(p, when) for p in phases],
            "lots": [phase_lot(p, challenge.currency, when) for p in phases],
        }
    )


# Releases ------------------------------------------------------------------------------


def _events(challenge: Challenge, phases: Sequence[Phase], now: dt.datetime) -> list[Any]:
    """(date, event name, tags) of every public change, oldest first."""
    events: list[tuple[dt.datetime, str, list[str]]] = []
    if challenge.published_at is None:
        return []
    events.append((challenge.published_at, "tender", ["tender"]))
    for phase in phases:
        for name, stamp in (
            ("open", phase.open_at),
            ("closed", phase.closed_at),
            ("decided", phase.decided_at),
        ):
            if stamp is not None and stamp > challenge.published_at:
                events.append((stamp, f"phase-{phase.order}-{name}", ["tenderUpdate"]))
        for doc in phase.documents.all():  # an addendum published while the phase runs
            if doc.created_at > challenge.published_at:
                events.append((doc.created_at, f"document-{doc.public_id}", ["tenderUpdate"]))
    outcome = outcome_of(challenge)
    if outcome is not None:
        if outcome.kind == OutcomeKind.CANCELLED:
            events.append((outcome.published_at, "outcome", ["tenderCancellation"]))
        else:
            events.append((outcome.published_at, "award", ["award"]))
            if (
                outcome.kind == OutcomeKind.AWARDED
                and outcome.becomes_final_at is not None
                and outcome.becomes_final_at <= now
            ):
                events.append((outcome.becomes_final_at, "contract", ["contract"]))
    if challenge.cancelled_at is not None and challenge.status == ChallengeStatus.CANCELLED:
        events.append((challenge.cancelled_at, "cancellation", ["tenderCancellation"]))
    if challenge.completed_at is not None:
        events.append((challenge.completed_at, "completed", ["tenderUpdate"]))
    events = [e for e in events if e[0] <= now]
    events.sort(key=lambda e: e[0])
    return events


def awarded_companies(outcome: Outcome) -> list[Organisation]:
    companies = {p.company_id: p.company for p in outcome.awarded_proposals.all()}
    return sorted(companies.values(), key=lambda c: c.name)


def award(challenge: Challenge, outcome: Outcome, ocid: str) -> dict[str, Any]:
    awarded = outcome.kind == OutcomeKind.AWARDED
    return _compact(
        {
            "id": f"{ocid}-award",
            "title": challenge.title,
            "description": outcome.reasons,
            "status": "active" if awarded else "unsuccessful",
            "date": iso(outcome.published_at),
            "value": amount(outcome.value, outcome.currency) if awarded else None,
            "suppliers": (
                [organisation_reference(c) for c in awarded_companies(outcome)] if awarded else []
            ),
        }
    )


def contract(challenge: Challenge, outcome: Outcome, ocid: str) -> dict[str, Any]:
    # GovHub does not record the signature: no dateSigned; "pending" until it is known.
    return _compact(
        {
            "id": f"{ocid}-contract",
            "awardID": f"{ocid}-award",
            "title": challenge.title,
            "status": "pending",
            "value": amount(outcome.value, outcome.currency),
        }
    )


def release(
    challenge: Challenge,
    phases: Sequence[Phase],
    *,
    event: str,
    tags: list[str],
    when: dt.datetime,
    prefix: str | None = None,
) -> dict[str, Any]:
    ocid = ocid_of(challenge, prefix)
    parties = buyer_parties(challenge)
    data: dict[str, Any] = {
        "ocid": ocid,
        "id": f"{ocid}-{event}",
        "date": iso(when),
        "tag": tags,
        "initiationType": "tender",
        "language": "en",
        "buyer": organisation_reference(challenge.lead_authority),
        "tender": tender(challenge, phases, when),
    }
    outcome = outcome_of(challenge)
    if outcome is not None and outcome.published_at <= when:
        if outcome.kind != OutcomeKind.CANCELLED:
            data["awards"] = [award(challenge, outcome, ocid)]
            if outcome.kind == OutcomeKind.AWARDED:
                parties += [party(c, ["supplier"]) for c in awarded_companies(outcome)]
        if (
            outcome.kind == OutcomeKind.AWARDED
            and outcome.becomes_final_at is not None
            and outcome.becomes_final_at <= when
        ):
            data["contracts"] = [contract(challenge, outcome, ocid)]
    data["parties"] = parties
    return data


def releases(
    challenge: Challenge, *, now: dt.datetime, prefix: str | None = None
) -> list[dict[str, Any]]:
    """Every release of a published challenge, oldest first (none for a draft)."""
    phases = sorted(challenge.phases.all(), key=lambda p: p.order)
    return [
        release(challenge, phases, event=event, tags=tags, when=when, prefix=prefix)
        for when, event, tags in _events(challenge, phases, now)
    ]


# Records and packages ------------------------------------------------------------------


@cache
def merger() -> ocdsmerge.Merger:
    """Merge rules from the shipped release schema: never fetched from the network."""
    return ocdsmerge.Merger(schema=str(RELEASE_SCHEMA_PATH))


def compiled_release(release_list: list[dict[str, Any]]) -> dict[str, Any]:
    compiled: dict[str, Any] = merger().create_compiled_release(release_list)
    return compiled


def record(release_list: list[dict[str, Any]]) -> dict[str, Any]:
    return {
        "ocid": release_list[0]["ocid"],
        "releases": release_list,
        "compiledRelease": compiled_release(release_list),
    }


def _package_meta(uri: str, published: dt.datetime) -> dict[str, Any]:
    return {
        "uri": uri,
        "version": OCDS_VERSION,
        "extensions": EXTENSIONS,
        "publishedDate": iso(published),
        "publisher": {"name": PUBLISHER_NAME},
    }


def release_package(
    release_list: Iterable[dict[str, Any]], *, uri: str, published: dt.datetime
) -> dict[str, Any]:
    meta = _package_meta(uri, published)
    return {**meta, "releases": list(release_list)}


def record_package(
    records: Iterable[dict[str, Any]], *, uri: str, published: dt.datetime
) -> dict[str, Any]:
    meta = _package_meta(uri, published)
    return {**meta, "records": list(records)}
