from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest
from django.core.management import call_command
from django.utils import timezone

from govhub.accounts.models import User
from govhub.challenges.models import Challenge, ChallengeStatus
from govhub.core.audit import audit_verify
from govhub.core.models import AuditEvent
from govhub.demo.services import ACCOUNTS, DEMO_PASSWORD, demo_setup
from govhub.demo.ted_sample import parties_in_notice
from govhub.evaluation.models import Outcome, PhaseResult, PilotDecision, Score
from govhub.opportunities.ted import parse_notice
from govhub.organisations.models import Membership, Organisation, VerificationStatus

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _demo_mode(settings):
    # Demo accounts skip two-factor set-up only in demo mode (opening proposals needs it).
    settings.GOVHUB_DEMO_MODE = True


def _check_demo() -> None:
    assert User.objects.filter(is_demo_account=True).count() == len(ACCOUNTS)
    moderator = User.objects.get(email="moderator@govhub.example")
    assert moderator.is_moderator
    assert moderator.check_password(DEMO_PASSWORD)
    buyer = Membership.objects.get(user__email="buyer@govhub.example")
    assert buyer.is_buyer
    assert buyer.organisation.is_verified
    assert all(m.is_buyer for m in Membership.objects.filter(user__email="cobuyer@govhub.example"))
    evaluator_orgs = Membership.objects.filter(
        user__email="evaluator@govhub.example", is_evaluator=True
    )
    assert evaluator_orgs.count() >= 1
    assert not Membership.objects.filter(user__email="citizen@govhub.example").exists()
    member = Membership.objects.get(user__email="member@govhub.example")
    assert member.roles == ["member"]
    assert Organisation.objects.filter(status=VerificationStatus.UNVERIFIED).count() <= 1
    assert Organisation.objects.filter(kind="company", status="verified").count() == 2
    assert audit_verify().ok


@pytest.mark.shared_data
def test_demo_reads_real_organisations_from_ted(reference_data, shared_data_dir):
    report = demo_setup(notices_dir=Path(shared_data_dir) / "ted" / "notices")
    assert report.created
    assert "TED notices" in report.source
    _check_demo()
    for org in Organisation.objects.all():
        assert "TED notice" in org.description
        assert "stand-in" not in org.name
    authority = Organisation.objects.filter(kind="authority").order_by("created_at").first()
    assert authority is not None
    assert authority.buyer_legal_type is not None
    assert authority.nuts_region is not None
    assert authority.nuts_region.country_code == authority.country.alpha2.replace("GR", "EL")
    assert Organisation.objects.filter(status=VerificationStatus.UNVERIFIED).count() == 1

    # The joint challenge ran from a real TED notice to an award; another is open today.
    assert len(report.challenges) == 2
    joint = Challenge.objects.get(status=ChallengeStatus.COMPLETED)
    assert joint.buyers.count() == 2
    assert joint.need is not None
    assert "TED notice" in joint.need.expected_outcomes
    assert joint.need.title == joint.title
    decided = Outcome.objects.get(challenge=joint)
    assert decided.kind == "awarded"
    assert decided.standstill_ends_at is not None
    assert decided.standstill_ends_at < timezone.now()
    lost = PhaseResult.objects.get(proposal__phase__challenge=joint, selected=False)
    assert lost.reason
    assert Score.objects.filter(proposal__phase__challenge=joint).count() == 6
    assert PilotDecision.objects.get(plan__proposal__phase__challenge=joint).go
    open_now = Challenge.objects.get(status=ChallengeStatus.PUBLISHED)
    call = open_now.phases.get(kind="open_call")
    assert call.status == "open"
    assert call.deadline is not None
    assert call.deadline > timezone.now()
    # History is stamped with the moved clock and still chains in order.
    first_event = AuditEvent.objects.order_by("pk").first()
    assert first_event is not None
    assert first_event.occurred_at < timezone.now() - dt.timedelta(days=100)
    times = list(AuditEvent.objects.order_by("pk").values_list("occurred_at", flat=True))
    assert times == sorted(times)


def test_demo_runs_without_shared_data(reference_data, tmp_path):
    report = demo_setup(notices_dir=tmp_path / "absent")
    assert report.created
    assert "no ../shared/data" in report.source
    _check_demo()
    assert all("stand-in" in name for name in report.organisations)
    assert report.challenges == []  # no real notices to build challenges from


def test_running_the_demo_again_changes_nothing(reference_data, tmp_path, capsys, settings):
    # Every domain's demo step included, without the shared data (the quick path).
    settings.SHARED_DATA_DIR = tmp_path / "absent"
    call_command("demo_setup", notices=tmp_path / "absent")
    capsys.readouterr()
    events = AuditEvent.objects.count()
    users = User.objects.count()
    call_command("demo_setup", notices=tmp_path / "absent")
    assert "already present" in capsys.readouterr().out
    assert AuditEvent.objects.count() == events
    assert User.objects.count() == users


def test_demo_logins_are_printed(reference_data, tmp_path, capsys, settings):
    settings.GOVHUB_DEMO_MODE = True
    demo_setup(notices_dir=tmp_path / "absent")
    call_command("demo_logins")
    out = capsys.readouterr().out
    assert DEMO_PASSWORD in out
    for account in ACCOUNTS:
        assert account.email in out
    assert "waived" in out


@pytest.mark.shared_data
def test_demo_classifies_buyers_with_the_importers_codes(shared_data_dir):
    # A national agency (Swedish police) and a municipality (Kavarna), read by the demo's
    # sampler and by the importer's parser: one mapping, the same eForms codes.
    notices = Path(shared_data_dir) / "ted" / "notices"
    for name, codes in {
        "029216-2021.xml": ("cga", "pub-os"),
        "000080-2019.xml": ("ra", "gen-pub"),
    }.items():
        buyers, _contractors = parties_in_notice(notices / name)
        imported = parse_notice((notices / name).read_bytes()).buyer
        assert imported is not None
        assert (buyers[0].buyer_legal_type, buyers[0].main_activity) == codes
        assert (imported.buyer_legal_type, imported.main_activity) == codes
