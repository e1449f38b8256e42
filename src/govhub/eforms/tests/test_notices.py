"""eForms contract notice (16, cn-standard) and contract award notice (29, can-standard)."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal
from functools import cache
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from lxml import etree

from govhub.challenges.tests.fixtures import first_phase
from govhub.eforms import notices
from govhub.eforms.selectors import public_phase, published_outcome
from govhub.evaluation import services as evaluation_services
from govhub.evaluation.models import Outcome, OutcomeKind

pytestmark = pytest.mark.django_db

NS = notices.NS


@cache
def _schema(name: str) -> etree.XMLSchema:
    path = Path(settings.SHARED_DATA_DIR) / "eforms" / "schemas" / "maindoc" / name
    return etree.XMLSchema(etree.parse(str(path)))


def xsd(name: str) -> etree.XMLSchema:
    path = Path(settings.SHARED_DATA_DIR) / "eforms" / "schemas" / "maindoc" / name
    if not path.is_file():
        pytest.skip(f"eForms schemas not found at {path}")
    return _schema(name)


def assert_valid(body: bytes, schema_name: str) -> None:
    schema = xsd(schema_name)
    doc = etree.fromstring(body)
    assert schema.validate(doc), str(schema.error_log)


def texts(body: bytes, path: str) -> list[str]:
    nodes: Any = etree.fromstring(body).xpath(path, namespaces=NS)
    return [e.text for e in nodes]


def cn_of(phase) -> bytes:
    found = public_phase(phase.public_id)
    assert found is not None
    return notices.contract_notice(
        found, challenge_url="https://govhub.example/c/1", issued=timezone.now()
    )


def award(world) -> Outcome:
    now = timezone.now()
    outcome = Outcome.objects.create(
        challenge=world.challenge,
        kind=OutcomeKind.AWARDED,
        value=Decimal("150000.00"),
        currency="EUR",
        reasons="Best consensus score and a successful pilot.",
        published_at=now,
        standstill_ends_at=now + dt.timedelta(days=10),
        becomes_final_at=now + dt.timedelta(days=10),
    )
    outcome.awarded_proposals.set([world.proposals["company"]])
    return outcome


def can_of(challenge) -> bytes:
    found = published_outcome(challenge.public_id)
    assert found is not None
    return notices.award_notice(*found)


# --- structure (always run) --------------------------------------------------------------


def test_contract_notice_structure(published_challenge):
    phase = first_phase(published_challenge)
    body = cn_of(phase)
    root = etree.fromstring(body)
    assert root.tag == f"{{{notices.CN_NS}}}ContractNotice"
    assert texts(body, "//efac:NoticeSubType/cbc:SubTypeCode") == ["16"]
    assert texts(body, "/*/cbc:NoticeTypeCode") == ["cn-standard"]
    assert texts(body, "/*/cbc:CustomizationID") == ["eforms-sdk-1.15"]
    assert texts(body, "/*/cbc:ContractFolderID") == [str(published_challenge.public_id)]
    assert texts(body, "/*/cac:TenderingProcess/cbc:ProcedureCode") == ["open"]
    assert texts(body, "/*/cac:ProcurementProject/cbc:Name") == [published_challenge.title]
    weights = texts(body, "//efbc:ParameterNumeric")
    assert weights == ["50", "30", "20"]
    assert texts(body, "//cac:TenderSubmissionDeadlinePeriod/cbc:EndDate")
    assert texts(body, "//cac:MainCommodityClassification/cbc:ItemClassificationCode")
    # The notice id is stable for the phase.
    assert texts(body, "/*/cbc:ID") == texts(cn_of(phase), "/*/cbc:ID")


def test_joint_challenge_lists_every_buyer_lead_first(
    evaluation_world, authority, second_authority
):
    body = cn_of(evaluation_world.call)
    parties = texts(body, "/*/cac:ContractingParty/cac:Party/cac:PartyIdentification/cbc:ID")
    assert parties == ["ORG-0001", "ORG-0002"]
    names = texts(body, "//efac:Organization/efac:Company/cac:PartyName/cbc:Name")
    assert names == [authority.name, second_authority.name]
    # Sealed proposals: no company appears in a contract notice.
    for proposal in evaluation_world.proposals.values():
        assert proposal.company.name.encode() not in body


def test_award_notice_names_the_awarded_company_only(evaluation_world, company, rival_company):
    award(evaluation_world)
    body = can_of(evaluation_world.challenge)
    root = etree.fromstring(body)
    assert root.tag == f"{{{notices.CAN_NS}}}ContractAwardNotice"
    assert texts(body, "//efac:NoticeSubType/cbc:SubTypeCode") == ["29"]
    assert texts(body, "/*/cbc:NoticeTypeCode") == ["can-standard"]
    assert texts(body, "//efac:LotResult/cbc:TenderResultCode") == ["selec-w"]
    assert texts(body, "//efac:NoticeResult/cbc:TotalAmount") == ["150000.00"]
    assert company.name.encode() in body
    assert rival_company.name.encode() not in body
    reference = texts(body, "/*/cac:TenderingProcess/cac:NoticeDocumentReference/cbc:ID")
    assert reference == [notices.notice_id("cn", evaluation_world.call.public_id)]


def test_not_awarded_notice_has_no_winner(shortlisted_world, buyer):
    evaluation_services.outcome_publish(
        actor=buyer,
        challenge=shortlisted_world.challenge,
        kind=OutcomeKind.NOT_AWARDED,
        reasons="No solution met the accessibility requirements.",
    )
    body = can_of(shortlisted_world.challenge)
    assert texts(body, "//efac:LotResult/cbc:TenderResultCode") == ["clos-nw"]
    assert not texts(body, "//efac:TenderingParty/cbc:ID")
    for proposal in shortlisted_world.proposals.values():
        assert proposal.company.name.encode() not in body


def test_urls(client, published_challenge, challenge_draft, evaluation_world):
    phase = first_phase(published_challenge)
    response = client.get(reverse("eforms:contract-notice", args=[phase.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    etree.fromstring(response.content)
    draft_phase = first_phase(challenge_draft)
    for url in (
        reverse("eforms:contract-notice", args=[draft_phase.public_id]),
        reverse("eforms:contract-notice", args=[uuid.uuid4()]),
        # No outcome yet: no award notice.
        reverse("eforms:award-notice", args=[evaluation_world.challenge.public_id]),
        reverse("eforms:award-notice", args=[challenge_draft.public_id]),
    ):
        assert client.get(url).status_code == 404
    award(evaluation_world)
    url = reverse("eforms:award-notice", args=[evaluation_world.challenge.public_id])
    assert client.get(url).status_code == 200


# --- XSD validation (../shared/data/eforms/schemas) --------------------------------------


@pytest.mark.shared_data
def test_contract_notices_are_valid(published_challenge, evaluation_world):
    for phase in [*published_challenge.phases.all(), *evaluation_world.challenge.phases.all()]:
        assert_valid(cn_of(phase), "UBL-ContractNotice-2.3.xsd")


@pytest.mark.shared_data
def test_award_notice_is_valid(evaluation_world):
    award(evaluation_world)
    assert_valid(can_of(evaluation_world.challenge), "UBL-ContractAwardNotice-2.3.xsd")


@pytest.mark.shared_data
def test_not_awarded_notice_is_valid(shortlisted_world, buyer):
    evaluation_services.outcome_publish(
        actor=buyer,
        challenge=shortlisted_world.challenge,
        kind=OutcomeKind.NOT_AWARDED,
        reasons="No solution met the accessibility requirements.",
    )
    assert_valid(can_of(shortlisted_world.challenge), "UBL-ContractAwardNotice-2.3.xsd")


@pytest.mark.shared_data
def test_sdk_examples_validate_with_the_same_schemas():
    """The schema loading itself is right: the SDK's own minimal examples pass."""
    examples = Path(settings.SHARED_DATA_DIR) / "eforms" / "examples" / "notices"
    if not examples.is_dir():
        pytest.skip(f"eForms SDK examples not found at {examples}")
    for name, schema in (
        ("cn_24_minimal.xml", "UBL-ContractNotice-2.3.xsd"),
        ("can_24_minimal.xml", "UBL-ContractAwardNotice-2.3.xsd"),
    ):
        assert_valid((examples / name).read_bytes(), schema)
