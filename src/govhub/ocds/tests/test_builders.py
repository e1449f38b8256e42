"""The OCDS builders: releases, records and packages of challenges, valid against OCDS 1.1."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

import pytest
from django.test import override_settings
from django.utils import timezone

from govhub.evaluation import services as evaluation_services
from govhub.evaluation.models import Outcome, OutcomeKind
from govhub.ocds import builders
from govhub.ocds.selectors import publishable_challenge
from govhub.ocds.validation import validation_errors

pytestmark = pytest.mark.django_db


def load(challenge):
    found = publishable_challenge(challenge.public_id)
    assert found is not None
    return found


def packages(challenge, now=None):
    release_list = builders.releases(load(challenge), now=now or timezone.now())
    published = timezone.now()
    release_package = builders.release_package(
        release_list, uri="https://govhub.example/r.json", published=published
    )
    record_package = builders.record_package(
        [builders.record(release_list)], uri="https://govhub.example/p.json", published=published
    )
    return release_list, release_package, record_package


def assert_valid(release_list, release_package, record_package):
    for release in release_list:
        assert validation_errors(release, "release") == []
    assert validation_errors(release_package, "release-package") == []
    assert validation_errors(record_package, "record-package") == []
    compiled = record_package["records"][0]["compiledRelease"]
    assert validation_errors(compiled, "release") == []


def test_a_draft_has_no_release(challenge_draft):
    assert publishable_challenge(challenge_draft.public_id) is None
    assert builders.releases(challenge_draft, now=timezone.now()) == []


def test_published_challenge_is_a_valid_tender_release(published_challenge):
    release_list, release_package, record_package = packages(published_challenge)
    assert_valid(release_list, release_package, record_package)
    first = release_list[0]
    assert first["tag"] == ["tender"]
    assert first["ocid"] == f"ocds-govhub-{published_challenge.public_id}"
    tender = first["tender"]
    assert tender["status"] == "active"
    assert tender["procurementMethod"] == "open"
    assert tender["value"] == {"amount": 250000, "currency": "EUR"}
    assert tender["items"][0]["classification"]["scheme"] == "CPV"
    assert tender["items"][0]["deliveryAddresses"][0]["region"]
    assert [m["id"] for m in tender["milestones"]] == ["phase-1", "phase-2"]
    assert [lot["id"] for lot in tender["lots"]] == ["phase-1", "phase-2"]
    assert "tenderPeriod" in tender
    ids = [r["id"] for r in release_list]
    assert len(ids) == len(set(ids))
    assert record_package["records"][0]["compiledRelease"]["tag"] == ["compiled"]


@override_settings(GOVHUB_OCID_PREFIX="ocds-abc123")
def test_ocid_prefix_is_configurable(published_challenge):
    release_list = builders.releases(load(published_challenge), now=timezone.now())
    assert all(r["ocid"].startswith("ocds-abc123-") for r in release_list)
    assert all(r["id"].startswith(r["ocid"]) for r in release_list)


def test_joint_challenge_shows_all_buyers_lead_procuring_entity(
    evaluation_world, authority, second_authority
):
    release_list, release_package, record_package = packages(evaluation_world.challenge)
    assert_valid(release_list, release_package, record_package)
    latest = release_list[-1]
    roles = {p["name"]: p["roles"] for p in latest["parties"]}
    assert roles[authority.name] == ["buyer", "procuringEntity"]
    assert roles[second_authority.name] == ["buyer"]
    assert latest["buyer"]["name"] == authority.name
    assert latest["tender"]["procuringEntity"]["name"] == authority.name
    compiled = record_package["records"][0]["compiledRelease"]
    assert {p["name"] for p in compiled["parties"]} == {authority.name, second_authority.name}


def test_no_tenderer_before_the_outcome(evaluation_world):
    """Proposals are sealed: neither companies nor their proposals appear anywhere."""
    _, release_package, record_package = packages(evaluation_world.challenge)
    body = json.dumps([release_package, record_package])
    for proposal in evaluation_world.proposals.values():
        assert proposal.company.name not in body
        assert str(proposal.company.public_id) not in body
        assert proposal.title not in body
    assert "tenderers" not in body
    assert '"supplier"' not in body


def test_phase_events_are_tender_updates(evaluation_world):
    release_list, *_ = packages(evaluation_world.challenge)
    tags = [r["tag"] for r in release_list]
    assert tags[0] == ["tender"]
    assert ["tenderUpdate"] in tags
    dates = [r["date"] for r in release_list]
    assert dates == sorted(dates)
    last = release_list[-1]["tender"]
    lot = next(lot for lot in last["lots"] if lot["id"] == "phase-1")
    assert lot["status"] == "active"


def test_not_awarded_outcome(shortlisted_world, buyer):
    evaluation_services.outcome_publish(
        actor=buyer,
        challenge=shortlisted_world.challenge,
        kind=OutcomeKind.NOT_AWARDED,
        reasons="No solution met the accessibility requirements.",
    )
    release_list, release_package, record_package = packages(shortlisted_world.challenge)
    assert_valid(release_list, release_package, record_package)
    award_release = next(r for r in release_list if r["tag"] == ["award"])
    assert award_release["awards"][0]["status"] == "unsuccessful"
    assert "suppliers" not in award_release["awards"][0]
    body = json.dumps(release_package)
    for proposal in shortlisted_world.proposals.values():
        assert proposal.company.name not in body


def _award(world) -> Outcome:
    """An award published now; its standstill ends in ten days."""
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


def test_award_shows_the_awarded_supplier_only(evaluation_world, company, rival_company):
    _award(evaluation_world)
    release_list, release_package, record_package = packages(evaluation_world.challenge)
    assert_valid(release_list, release_package, record_package)
    award_release = release_list[-1]
    assert award_release["tag"] == ["award"]
    award = award_release["awards"][0]
    assert award["status"] == "active"
    assert award["value"] == {"amount": 150000, "currency": "EUR"}
    assert [s["name"] for s in award["suppliers"]] == [company.name]
    suppliers = [p for p in award_release["parties"] if "supplier" in p["roles"]]
    assert [s["name"] for s in suppliers] == [company.name]
    assert "contracts" not in award_release  # standstill still running
    assert rival_company.name not in json.dumps(release_package)
    # Releases before the outcome do not know the supplier.
    assert company.name not in json.dumps(release_list[:-1])


def test_contract_after_the_standstill(evaluation_world):
    _award(evaluation_world)
    later = timezone.now() + dt.timedelta(days=11)
    release_list, release_package, record_package = packages(evaluation_world.challenge, later)
    assert_valid(release_list, release_package, record_package)
    assert release_list[-1]["tag"] == ["contract"]
    contract = release_list[-1]["contracts"][0]
    assert contract["awardID"] == release_list[-1]["awards"][0]["id"]
    assert "dateSigned" not in contract
    compiled = record_package["records"][0]["compiledRelease"]
    assert compiled["contracts"][0]["status"] == "pending"


def test_cancelled_challenge_is_a_tender_cancellation(make_challenge, buyer):
    from govhub.challenges import services as challenge_services

    challenge = make_challenge(open_first=True)
    challenge_services.challenge_cancel(
        actor=buyer, challenge=challenge, reason="The budget was withdrawn."
    )
    release_list, release_package, record_package = packages(challenge)
    assert_valid(release_list, release_package, record_package)
    assert release_list[-1]["tag"] == ["tenderCancellation"]
    assert release_list[-1]["tender"]["status"] == "cancelled"


def test_documents_and_addenda(buyer, make_challenge, settings, tmp_path):
    from govhub.challenges import services as challenge_services
    from govhub.challenges.tests.files import upload
    from govhub.challenges.tests.fixtures import first_phase

    settings.MEDIA_ROOT = tmp_path
    challenge = make_challenge()
    phase = first_phase(challenge)
    challenge_services.document_add(
        actor=buyer, phase=phase, title="Terms", file=upload("terms.pdf")
    )
    challenge = challenge_services.challenge_publish(actor=buyer, challenge=challenge)
    challenge_services.phase_open(actor=buyer, phase=phase)
    addendum = challenge_services.document_add(
        actor=buyer, phase=phase, title="Addendum", file=upload("terms.pdf")
    )
    release_list, release_package, record_package = packages(challenge)
    assert_valid(release_list, release_package, record_package)
    first, last = release_list[0], release_list[-1]
    assert [d["title"] for d in first["tender"]["documents"]] == ["Terms"]
    assert last["id"].endswith(f"document-{addendum.public_id}")
    assert [d["title"] for d in last["tender"]["documents"]] == ["Terms", "Addendum"]
    doc = last["tender"]["documents"][1]
    assert doc["url"].endswith(f"/documents/{addendum.public_id}/")
    assert doc["relatedLots"] == ["phase-1"]
