"""eForms (SDK 1.15, UBL 2.3) notices of GovHub challenges, for buyers to publish on TED.

- A published phase → a contract notice, subtype 16 (``cn-standard``, Directive
  2014/24/EU): one lot (``LOT-0000``) for the phase, its deadline, budget, award criteria
  and place of performance; every buying authority of a joint challenge is a
  ``ContractingParty``, the lead first.
- A published outcome → a contract award notice, subtype 29 (``can-standard``): the
  result of the lot (winner chosen, or closed without winner) and the awarded companies.
  Only what is public after the outcome: no proposal, price, score or losing tenderer.

Procedure type: ``open`` for an open call; ``restricted`` for the later phases, which only
shortlisted companies enter. Pure functions: model → XML bytes; they produce documents
valid against the eForms XSDs (checked in the tests), while the EU's Schematron business
rules (e.g. the review body, which GovHub does not record) are for the buyer's eSender.
"""

from __future__ import annotations

import datetime as dt
import uuid
from collections.abc import Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from lxml import etree

from govhub.challenges.models import Challenge, Phase, PhaseKind
from govhub.evaluation.models import Outcome, OutcomeKind

if TYPE_CHECKING:
    from govhub.organisations.models import Organisation

SDK_VERSION = "eforms-sdk-1.15"
NS = {
    "cac": "urn:oasis:names:specification:ubl:schema:xsd:CommonAggregateComponents-2",
    "cbc": "urn:oasis:names:specification:ubl:schema:xsd:CommonBasicComponents-2",
    "ext": "urn:oasis:names:specification:ubl:schema:xsd:CommonExtensionComponents-2",
    "efac": "http://data.europa.eu/p27/eforms-ubl-extension-aggregate-components/1",
    "efext": "http://data.europa.eu/p27/eforms-ubl-extensions/1",
    "efbc": "http://data.europa.eu/p27/eforms-ubl-extension-basic-components/1",
}
CN_NS = "urn:oasis:names:specification:ubl:schema:xsd:ContractNotice-2"
CAN_NS = "urn:oasis:names:specification:ubl:schema:xsd:ContractAwardNotice-2"
LANGUAGE = "ENG"
LOT_ID = "LOT-0000"
# Stable notice ids: the same phase or outcome always gets the same notice id.
NOTICE_NAMESPACE = uuid.UUID("6f1c3c8e-5d2a-4c1b-9a53-6b6f7e2f0e11")


def _q(tag: str) -> str:
    prefix, name = tag.split(":")
    return f"{{{NS[prefix]}}}{name}"


def el(parent: Any, tag: str, text: Any = None, **attrs: str) -> Any:
    node = etree.SubElement(parent, _q(tag), {k.replace("_", ""): v for k, v in attrs.items()})
    if text is not None:
        node.text = str(text)
    return node


def _date(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%Y-%m-%dZ")


def _time(value: dt.datetime) -> str:
    return value.astimezone(dt.UTC).strftime("%H:%M:%SZ")


def _amount(value: Decimal) -> str:
    return f"{value.quantize(Decimal('0.01'))}"


def notice_id(kind: str, obj_id: uuid.UUID) -> str:
    return str(uuid.uuid5(NOTICE_NAMESPACE, f"{kind}:{obj_id}"))


class Organisations:
    """ORG-0001… numbering of every organisation named in a notice."""

    def __init__(self) -> None:
        self.ids: dict[int, str] = {}
        self.orgs: list[Organisation] = []

    def add(self, org: Organisation) -> str:
        if org.pk not in self.ids:
            self.ids[org.pk] = f"ORG-{len(self.ids) + 1:04d}"
            self.orgs.append(org)
        return self.ids[org.pk]

    def write(self, extension: Any) -> None:
        container = el(extension, "efac:Organizations")
        for org in self.orgs:
            company = el(el(container, "efac:Organization"), "efac:Company")
            if org.website:
                el(company, "cbc:WebsiteURI", org.website)
            el(
                el(company, "cac:PartyIdentification"),
                "cbc:ID",
                self.ids[org.pk],
                schemeName="organization",
            )
            el(el(company, "cac:PartyName"), "cbc:Name", org.name, languageID=LANGUAGE)
            address = el(company, "cac:PostalAddress")
            if org.nuts_region_id and org.nuts_region:
                el(address, "cbc:CountrySubentityCode", org.nuts_region.code, listName="nuts")
            el(
                el(address, "cac:Country"),
                "cbc:IdentificationCode",
                org.country.code,
                listName="country",
            )
            el(
                el(company, "cac:PartyLegalEntity"),
                "cbc:CompanyID",
                org.national_id or str(org.public_id),
            )
            if org.email:
                el(el(company, "cac:Contact"), "cbc:ElectronicMail", org.email)


def buyers_of(challenge: Challenge) -> list[Organisation]:
    buyers = sorted(challenge.buyers.all(), key=lambda b: (not b.is_lead, b.authority.name))
    orgs = [b.authority for b in buyers]
    if challenge.lead_authority not in orgs:
        orgs.insert(0, challenge.lead_authority)
    return orgs


def _root(kind: str) -> Any:
    namespace = CN_NS if kind == "cn" else CAN_NS
    name = "ContractNotice" if kind == "cn" else "ContractAwardNotice"
    nsmap: Any = {None: namespace, **NS}
    return etree.Element(f"{{{namespace}}}{name}", nsmap=nsmap)


def _header(
    root: Any,
    *,
    notice: str,
    folder: uuid.UUID,
    issued: dt.datetime,
    type_list: str,
    type_code: str,
) -> None:
    el(root, "cbc:UBLVersionID", "2.3")
    el(root, "cbc:CustomizationID", SDK_VERSION)
    el(root, "cbc:ID", notice, schemeName="notice-id")
    el(root, "cbc:ContractFolderID", str(folder))
    el(root, "cbc:IssueDate", _date(issued))
    el(root, "cbc:IssueTime", _time(issued))
    el(root, "cbc:VersionID", "01")
    el(root, "cbc:RegulatoryDomain", "32014L0024")
    el(root, "cbc:NoticeTypeCode", type_code, listName=type_list)
    el(root, "cbc:NoticeLanguageCode", LANGUAGE)


def _contracting_parties(root: Any, buyers: Sequence[Organisation], orgs: Organisations) -> None:
    for org in buyers:
        party = el(root, "cac:ContractingParty")
        if org.buyer_legal_type_id and org.buyer_legal_type:
            el(
                el(party, "cac:ContractingPartyType"),
                "cbc:PartyTypeCode",
                org.buyer_legal_type.code,
                listName="buyer-legal-type",
            )
        if org.main_activity_id and org.main_activity:
            el(
                el(party, "cac:ContractingActivity"),
                "cbc:ActivityTypeCode",
                org.main_activity.code,
                listName="authority-activity",
            )
        el(
            el(el(party, "cac:Party"), "cac:PartyIdentification"),
            "cbc:ID",
            orgs.add(org),
            schemeName="organization",
        )


def procedure_code(phase: Phase) -> str:
    return "open" if phase.kind == PhaseKind.OPEN_CALL else "restricted"


def _classification_and_place(project: Any, challenge: Challenge, lead: Organisation) -> None:
    codes = sorted(challenge.cpv_codes.all(), key=lambda c: c.code)
    if codes:
        el(
            el(project, "cac:MainCommodityClassification"),
            "cbc:ItemClassificationCode",
            codes[0].digits,
            listName="cpv",
        )
        for extra in codes[1:]:
            el(
                el(project, "cac:AdditionalCommodityClassification"),
                "cbc:ItemClassificationCode",
                extra.digits,
                listName="cpv",
            )
    address = el(el(project, "cac:RealizedLocation"), "cac:Address")
    if challenge.nuts_region_id and challenge.nuts_region:
        el(address, "cbc:CountrySubentityCode", challenge.nuts_region.code, listName="nuts")
    el(el(address, "cac:Country"), "cbc:IdentificationCode", lead.country.code, listName="country")


def _project(
    parent: Any,
    challenge: Challenge,
    lead: Organisation,
    *,
    title: str,
    description: str,
    value: Decimal | None,
    internal_id: str | None = None,
    period: tuple[dt.datetime | None, dt.datetime | None] = (None, None),
) -> None:
    project = el(parent, "cac:ProcurementProject")
    if internal_id:
        el(project, "cbc:ID", internal_id, schemeName="InternalID")
    el(project, "cbc:Name", title, languageID=LANGUAGE)
    el(project, "cbc:Description", description or title, languageID=LANGUAGE)
    el(project, "cbc:ProcurementTypeCode", "services", listName="contract-nature")
    if value is not None:
        el(
            el(project, "cac:RequestedTenderTotal"),
            "cbc:EstimatedOverallContractAmount",
            _amount(value),
            currencyID=challenge.currency,
        )
    _classification_and_place(project, challenge, lead)
    start, end = period
    if start or end:
        planned = el(project, "cac:PlannedPeriod")
        if start:
            el(planned, "cbc:StartDate", _date(start))
        if end:
            el(planned, "cbc:EndDate", _date(end))


def _awarding_terms(terms: Any, phase: Phase) -> None:
    criteria = list(phase.criteria.all())
    if not criteria:
        return
    criterion = el(el(terms, "cac:AwardingTerms"), "cac:AwardingCriterion")
    for c in criteria:
        sub = el(criterion, "cac:SubordinateAwardingCriterion")
        extension = el(
            el(el(el(sub, "ext:UBLExtensions"), "ext:UBLExtension"), "ext:ExtensionContent"),
            "efext:EformsExtension",
        )
        parameter = el(extension, "efac:AwardCriterionParameter")
        el(parameter, "efbc:ParameterCode", "per-exa", listName="number-weight")
        el(parameter, "efbc:ParameterNumeric", c.weight)
        el(
            sub,
            "cbc:AwardingCriterionTypeCode",
            c.criterion_type.code,
            listName="award-criterion-type",
        )
        el(sub, "cbc:Name", c.name, languageID=LANGUAGE)
        if c.description:
            el(sub, "cbc:Description", c.description, languageID=LANGUAGE)


def _extension(root: Any) -> Any:
    return el(
        el(el(el(root, "ext:UBLExtensions"), "ext:UBLExtension"), "ext:ExtensionContent"),
        "efext:EformsExtension",
    )


def _serialise(root: Any) -> bytes:
    data: bytes = etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)
    return data


def contract_notice(phase: Phase, *, challenge_url: str, issued: dt.datetime) -> bytes:
    """The contract notice (subtype 16, cn-standard) of one published phase."""
    challenge = phase.challenge
    buyers = buyers_of(challenge)
    lead = buyers[0]
    orgs = Organisations()
    for org in buyers:
        orgs.add(org)
    root = _root("cn")
    extension = _extension(root)
    el(el(extension, "efac:NoticeSubType"), "cbc:SubTypeCode", "16", listName="notice-subtype")
    orgs.write(extension)
    _header(
        root,
        notice=notice_id("cn", phase.public_id),
        folder=challenge.public_id,
        issued=issued,
        type_list="competition",
        type_code="cn-standard",
    )
    _contracting_parties(root, buyers, orgs)
    process = el(root, "cac:TenderingProcess")
    el(process, "cbc:ProcedureCode", procedure_code(phase), listName="procurement-procedure-type")
    _project(
        root,
        challenge,
        lead,
        title=challenge.title,
        description=challenge.summary,
        value=challenge.total_budget,
    )
    lot = el(root, "cac:ProcurementProjectLot")
    el(lot, "cbc:ID", LOT_ID, schemeName="Lot")
    terms = el(lot, "cac:TenderingTerms")
    document = el(terms, "cac:CallForTendersDocumentReference")
    el(document, "cbc:ID", str(phase.public_id))
    el(document, "cbc:DocumentType", "non-restricted-document")
    el(el(el(document, "cac:Attachment"), "cac:ExternalReference"), "cbc:URI", challenge_url)
    _awarding_terms(terms, phase)
    recipient = el(terms, "cac:TenderRecipientParty")
    el(recipient, "cbc:EndpointID", challenge_url)
    el(
        el(recipient, "cac:PartyIdentification"),
        "cbc:ID",
        orgs.add(lead),
        schemeName="organization",
    )
    el(el(terms, "cac:Language"), "cbc:ID", LANGUAGE)
    lot_process = el(lot, "cac:TenderingProcess")
    el(lot_process, "cbc:SubmissionMethodCode", "required", listName="esubmission")
    if phase.deadline is not None:
        deadline = el(lot_process, "cac:TenderSubmissionDeadlinePeriod")
        el(deadline, "cbc:EndDate", _date(phase.deadline))
        el(deadline, "cbc:EndTime", _time(phase.deadline))
    _project(
        lot,
        challenge,
        lead,
        internal_id=str(phase.order),
        title=f"{challenge.title}: {phase.title}",
        description=phase.description,
        value=phase.budget,
        period=(phase.opens_at, phase.ends_at),
    )
    return _serialise(root)


def awarded_companies(outcome: Outcome) -> list[Organisation]:
    companies = {p.company_id: p.company for p in outcome.awarded_proposals.all()}
    return sorted(companies.values(), key=lambda c: c.name)


def award_notice(challenge: Challenge, outcome: Outcome) -> bytes:
    """The contract award notice (subtype 29, can-standard) of a published outcome."""
    buyers = buyers_of(challenge)
    lead = buyers[0]
    orgs = Organisations()
    for org in buyers:
        orgs.add(org)
    awarded = outcome.kind == OutcomeKind.AWARDED
    winners = awarded_companies(outcome) if awarded else []
    root = _root("can")
    extension = _extension(root)
    result = el(extension, "efac:NoticeResult")
    if awarded and outcome.value is not None:
        el(result, "cbc:TotalAmount", _amount(outcome.value), currencyID=outcome.currency)
    lot_result = el(result, "efac:LotResult")
    el(lot_result, "cbc:ID", "RES-0001", schemeName="result")
    el(
        lot_result,
        "cbc:TenderResultCode",
        "selec-w" if winners else "clos-nw",
        listName="winner-selection-status",
    )
    tenders = [f"TEN-{n:04d}" for n in range(1, len(winners) + 1)]
    for tender in tenders:
        el(el(lot_result, "efac:LotTender"), "cbc:ID", tender, schemeName="tender")
    if winners:
        el(el(lot_result, "efac:SettledContract"), "cbc:ID", "CON-0001", schemeName="contract")
    el(el(lot_result, "efac:TenderLot"), "cbc:ID", LOT_ID, schemeName="Lot")
    for n, (tender, company) in enumerate(zip(tenders, winners, strict=True), 1):
        orgs.add(company)
        lot_tender = el(result, "efac:LotTender")
        el(lot_tender, "cbc:ID", tender, schemeName="tender")
        el(lot_tender, "cbc:RankCode", 1)
        el(
            el(lot_tender, "efac:TenderingParty"),
            "cbc:ID",
            f"TPA-{n:04d}",
            schemeName="tendering-party",
        )
        el(el(lot_tender, "efac:TenderLot"), "cbc:ID", LOT_ID, schemeName="Lot")
    if winners:
        contract = el(result, "efac:SettledContract")
        el(contract, "cbc:ID", "CON-0001", schemeName="contract")
        el(contract, "cbc:Title", challenge.title, languageID=LANGUAGE)
        for tender in tenders:
            el(el(contract, "efac:LotTender"), "cbc:ID", tender, schemeName="tender")
    for n, company in enumerate(winners, 1):
        party = el(result, "efac:TenderingParty")
        el(party, "cbc:ID", f"TPA-{n:04d}", schemeName="tendering-party")
        el(el(party, "efac:Tenderer"), "cbc:ID", orgs.add(company), schemeName="organization")
    el(el(extension, "efac:NoticeSubType"), "cbc:SubTypeCode", "29", listName="notice-subtype")
    orgs.write(extension)
    _header(
        root,
        notice=notice_id("can", outcome.public_id),
        folder=challenge.public_id,
        issued=outcome.published_at,
        type_list="result",
        type_code="can-standard",
    )
    _contracting_parties(root, buyers, orgs)
    phases = sorted(challenge.phases.all(), key=lambda p: p.order)
    process = el(root, "cac:TenderingProcess")
    first = phases[0] if phases else None
    el(
        process,
        "cbc:ProcedureCode",
        procedure_code(first) if first else "open",
        listName="procurement-procedure-type",
    )
    if first is not None:
        el(el(process, "cac:NoticeDocumentReference"), "cbc:ID", notice_id("cn", first.public_id))
    _project(
        root,
        challenge,
        lead,
        title=challenge.title,
        description=challenge.summary,
        value=challenge.total_budget,
    )
    lot = el(root, "cac:ProcurementProjectLot")
    el(lot, "cbc:ID", LOT_ID, schemeName="Lot")
    with_criteria = next((p for p in phases if p.criteria.all()), None)
    if with_criteria is not None:
        _awarding_terms(el(lot, "cac:TenderingTerms"), with_criteria)
    _project(
        lot,
        challenge,
        lead,
        internal_id=str(challenge.public_id),
        title=challenge.title,
        description=outcome.reasons,
        value=challenge.total_budget,
    )
    # BT-1451: the date of the (last) award decision.
    el(el(root, "cac:TenderResult"), "cbc:AwardDate", _date(outcome.published_at))
    return _serialise(root)
