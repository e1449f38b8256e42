"""Time travel around deadlines: the last second, time zones and daylight-saving changes.

The deadline is an instant (stored in UTC). A proposal received before it is accepted; one
received at that instant or after is refused with the deadline in Brussels time.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.template import Context, Template
from django.urls import reverse
from django.utils import timezone

from govhub.core.errors import NotAllowed
from govhub.proposals import services
from govhub.proposals.models import ProposalReceipt, ProposalStatus

from .fixtures import answers_for, form_token
from .helpers import assert_unchanged

pytestmark = pytest.mark.django_db

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")
TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
NEW_YORK = zoneinfo.ZoneInfo("America/New_York")


def submit(phase, company, supplier):
    return services.proposal_submit(
        actor=supplier,
        phase=phase,
        company=company,
        idempotency_key=form_token(),
        answers=answers_for(phase),
    )


@pytest.mark.parametrize(
    ("offset", "accepted"),
    [
        (dt.timedelta(days=-1), True),
        (dt.timedelta(seconds=-1), True),
        (dt.timedelta(microseconds=-1), True),
        (dt.timedelta(0), False),
        (dt.timedelta(microseconds=1), False),
        (dt.timedelta(seconds=1), False),
        (dt.timedelta(days=1), False),
    ],
)
def test_around_the_deadline(open_phase, company, supplier, offset, accepted):
    moment = open_phase.deadline + offset
    with time_machine.travel(moment, tick=False):
        if accepted:
            receipt = submit(open_phase, company, supplier)
            assert receipt.received_at == moment
        else:
            with assert_unchanged(), pytest.raises(NotAllowed) as refused:
                submit(open_phase, company, supplier)
            assert refused.value.code == "deadline_passed"


def test_a_submission_one_second_late_is_refused_with_a_clear_message(
    make_challenge, company, supplier
):
    # Friday 12 March 2027, noon in Brussels (CET, UTC+1).
    deadline = dt.datetime(2027, 3, 12, 12, 0, tzinfo=BRUSSELS)
    with time_machine.travel(deadline - dt.timedelta(days=10), tick=False):
        phase = make_challenge(deadline=deadline, open_first=True).phases.get(order=1)
    assert phase.deadline == deadline
    assert phase.deadline.astimezone(dt.UTC).hour == 11
    with (
        time_machine.travel(deadline + dt.timedelta(seconds=1), tick=False),
        pytest.raises(NotAllowed) as refused,
    ):
        submit(phase, company, supplier)
    assert refused.value.message == (
        "The deadline for proposals was 12 March 2027, 12:00:00 CET (Brussels time). This "
        "arrived at 12 March 2027, 12:00:01 CET, after the deadline, so it cannot be accepted."
    )


@pytest.mark.parametrize("zone", [TOKYO, NEW_YORK, dt.UTC])
def test_the_company_s_own_time_zone_changes_nothing(make_challenge, company, supplier, zone):
    deadline = dt.datetime(2027, 7, 1, 17, 0, tzinfo=BRUSSELS)  # CEST, UTC+2
    with time_machine.travel(deadline - dt.timedelta(days=10), tick=False):
        phase = make_challenge(deadline=deadline, open_first=True).phases.get(order=1)
    last_second = (deadline - dt.timedelta(seconds=1)).astimezone(zone)
    with timezone.override(zone), time_machine.travel(last_second, tick=False):
        assert submit(phase, company, supplier).received_at == deadline - dt.timedelta(seconds=1)


def test_the_deadline_is_shown_in_both_zones_to_the_second():
    deadline = dt.datetime(2027, 7, 1, 17, 0, tzinfo=BRUSSELS)
    template = Template("{% load proposals_tags %}{% both_zones value %}")
    with timezone.override(TOKYO):
        html = template.render(Context({"value": deadline}))
    assert "1 July 2027, 17:00:00 CEST</time> (Brussels time)" in html
    assert "2 July 2027, 00:00:00 JST in your time zone (Asia/Tokyo)" in html
    assert 'datetime="2027-07-01T15:00:00+00:00"' in html
    with timezone.override(BRUSSELS):
        html = template.render(Context({"value": deadline}))
    assert "in your time zone" not in html


def test_spring_forward_the_last_second_before_a_deadline_at_the_change(
    client, make_challenge, company, supplier
):
    # Sunday 28 March 2027: Brussels clocks jump from 02:00 CET to 03:00 CEST (01:00 UTC).
    deadline = dt.datetime(2027, 3, 28, 1, 0, tzinfo=dt.UTC)
    assert deadline.astimezone(BRUSSELS).strftime("%H:%M %Z") == "03:00 CEST"
    with time_machine.travel(deadline - dt.timedelta(days=5), tick=False):
        phase = make_challenge(deadline=deadline, open_first=True).phases.get(order=1)
    with time_machine.travel(deadline - dt.timedelta(seconds=1), tick=False):
        receipt = submit(phase, company, supplier)
    # The wall clock showed 01:59:59 CET: one second later it read 03:00:00 CEST.
    client.force_login(supplier)
    page = client.get(reverse("proposals:receipt", args=[receipt.public_id])).content.decode()
    assert "28 March 2027, 01:59:59 CET" in page
    assert "28 March 2027, 03:00:00 CEST" in page  # the deadline
    services.proposal_withdraw(actor=supplier, proposal=receipt.proposal)
    with (
        time_machine.travel(deadline, tick=False),
        assert_unchanged(),
        pytest.raises(NotAllowed) as refused,
    ):
        services.proposal_submit(
            actor=supplier, phase=phase, company=company, idempotency_key=form_token()
        )
    assert "28 March 2027, 03:00:00 CEST (Brussels time)" in refused.value.message


def test_fall_back_a_repeated_wall_clock_hour_is_judged_by_the_instant(
    make_challenge, company, supplier
):
    # Sunday 31 October 2027: 02:00–03:00 happens twice in Brussels. The deadline is the
    # first 02:30 (CEST, 00:30 UTC); at the second 02:00 (CET, 01:00 UTC) the wall clock
    # reads earlier than 02:30, but the deadline has passed.
    deadline = dt.datetime(2027, 10, 31, 2, 30, tzinfo=BRUSSELS, fold=0)
    assert deadline.astimezone(dt.UTC) == dt.datetime(2027, 10, 31, 0, 30, tzinfo=dt.UTC)
    with time_machine.travel(deadline - dt.timedelta(days=5), tick=False):
        phase = make_challenge(deadline=deadline, open_first=True).phases.get(order=1)
    second_two_oclock = dt.datetime(2027, 10, 31, 1, 0, tzinfo=dt.UTC)
    assert second_two_oclock.astimezone(BRUSSELS).strftime("%H:%M %Z") == "02:00 CET"
    with (
        time_machine.travel(second_two_oclock, tick=False),
        assert_unchanged(),
        pytest.raises(NotAllowed) as refused,
    ):
        submit(phase, company, supplier)
    assert "31 October 2027, 02:30:00 CEST (Brussels time)" in refused.value.message
    assert "arrived at 31 October 2027, 02:00:00 CET" in refused.value.message
    with time_machine.travel(deadline - dt.timedelta(seconds=1), tick=False):
        receipt = submit(phase, company, supplier)
    assert receipt.received_at.astimezone(BRUSSELS).strftime("%H:%M:%S %Z") == "02:29:59 CEST"


def test_a_draft_saved_in_time_is_not_a_submission(open_phase, company, supplier):
    with time_machine.travel(open_phase.deadline - dt.timedelta(seconds=1), tick=False):
        services.proposal_save_draft(
            actor=supplier, phase=open_phase, company=company, answers=answers_for(open_phase)
        )
    with time_machine.travel(open_phase.deadline, tick=False), pytest.raises(NotAllowed):
        services.proposal_submit(
            actor=supplier, phase=open_phase, company=company, idempotency_key=form_token()
        )
    assert not ProposalReceipt.objects.exists()
    assert company.proposals.get().status == ProposalStatus.DRAFT
