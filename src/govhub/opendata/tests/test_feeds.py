"""The Atom feed of open opportunities, follows and the secret deadline calendar."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from django.utils import timezone
from icalendar import Calendar
from lxml import etree

from govhub.core.errors import NotAllowed
from govhub.opendata import services
from govhub.opendata.models import CalendarFeed, Follow
from govhub.opportunities.models import ExternalNotice
from govhub.reference.models import CpvCode

pytestmark = pytest.mark.django_db
ATOM = "{http://www.w3.org/2005/Atom}"


def make_notice(**fields: Any) -> ExternalNotice:
    values: dict[str, Any] = {
        "oj_number": "2026/S 001-000001",
        "file_name": "000001-2026.xml",
        "form": "F02",
        "title": "Smart parking sensors",
        "country_code": "BE",
        "nuts_codes": ["BE100"],
        "publication_date": dt.date(2026, 11, 1),
        "tender_deadline": timezone.now() + dt.timedelta(days=20),
        "content_hash": "0" * 64,
    }
    values.update(fields)
    return ExternalNotice.objects.create(**values)


@pytest.fixture
def notices(reference_data: Any) -> list[ExternalNotice]:
    cpv = CpvCode.objects.filter(digits__startswith="72").first()
    return [
        make_notice(cpv_main=cpv),
        make_notice(
            oj_number="2026/S 001-000002",
            title="Road salt",
            country_code="FR",
            nuts_codes=["FR101"],
        ),
        make_notice(
            oj_number="2026/S 001-000003",
            title="Closed tender",
            tender_deadline=timezone.now() - dt.timedelta(days=1),
        ),
    ]


def titles(client: Any, **params: Any) -> list[str]:
    response = client.get("/data/feeds/opportunities.atom", params)
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    root = etree.fromstring(response.content)
    return [e.findtext(f"{ATOM}title") or "" for e in root.iter(f"{ATOM}entry")]


def test_the_feed_lists_open_challenges_and_open_ted_notices(
    client, published_challenge, challenge_draft, notices
):
    found = titles(client)
    assert found.count(published_challenge.title) == 1  # the draft has the same title
    assert any("Smart parking sensors" in t for t in found)
    assert any("Road salt" in t for t in found)
    assert not any("Closed tender" in t for t in found)


def test_the_feed_filters_by_cpv_country_and_nuts(client, published_challenge, notices):
    assert titles(client, country="FR") == ["2026/S 001-000002 Road salt"]
    assert titles(client, country="FRA") == ["2026/S 001-000002 Road salt"]
    by_nuts = titles(client, nuts="BE1")
    assert any("Smart parking" in t for t in by_nuts)
    assert not any("Road salt" in t for t in by_nuts)
    by_cpv = titles(client, cpv="72")
    assert any("Smart parking" in t for t in by_cpv)
    assert not any("Road salt" in t for t in by_cpv)
    assert titles(client, cpv="03") == []


def test_a_member_follows_and_reads_deadlines_through_the_secret_address(
    client, supplier, company, published_challenge, notices
):
    services.follow_add(actor=supplier, organisation=company, challenge=published_challenge)
    services.follow_add(actor=supplier, organisation=company, notice=notices[0])
    created = services.calendar_feed_reset(actor=supplier)
    response = client.get(f"/data/calendar/{created.secret}.ics")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    summaries = [str(e["summary"]) for e in calendar.walk("VEVENT")]
    assert any(published_challenge.title in s for s in summaries)
    assert any("Smart parking sensors" in s for s in summaries)
    assert CalendarFeed.objects.get(user=supplier).last_used_at is not None
    assert created.secret not in CalendarFeed.objects.get(user=supplier).token_hash


def test_a_draft_proposal_puts_its_phase_deadline_in_the_calendar(
    client, supplier, open_phase, make_proposal
):
    make_proposal(open_phase, submit=False)
    created = services.calendar_feed_reset(actor=supplier)
    calendar = Calendar.from_ical(client.get(f"/data/calendar/{created.secret}.ics").content)
    assert [str(e["uid"]) for e in calendar.walk("VEVENT")] == [
        f"phase-{open_phase.public_id}@govhub"
    ]


def test_a_reset_or_revoked_address_stops_working(client, supplier):
    first = services.calendar_feed_reset(actor=supplier)
    second = services.calendar_feed_reset(actor=supplier)
    assert client.get(f"/data/calendar/{first.secret}.ics").status_code == 404
    assert client.get(f"/data/calendar/{second.secret}.ics").status_code == 200
    services.calendar_feed_revoke(actor=supplier)
    assert client.get(f"/data/calendar/{second.secret}.ics").status_code == 404
    assert client.get("/data/calendar/cal_" + "x" * 43 + ".ics").status_code == 404


def test_only_members_follow_for_their_organisation(outsider, company, published_challenge):
    with pytest.raises(NotAllowed):
        services.follow_add(actor=outsider, organisation=company, challenge=published_challenge)
    assert not Follow.objects.exists()


def test_the_follow_button_toggles_for_the_members_organisation(
    client, supplier, company, published_challenge
):
    client.force_login(supplier)
    data = {
        "organisation": str(company.public_id),
        "challenge": str(published_challenge.public_id),
        "next": "/open-data/calendar/",
    }
    response = client.post("/open-data/follow/", data)
    assert response.status_code == 302
    assert response["Location"] == "/open-data/calendar/"
    assert Follow.objects.filter(organisation=company, challenge=published_challenge).exists()
    page = client.get("/open-data/calendar/").content.decode()
    assert published_challenge.title in page
    client.post("/open-data/follow/", data)
    assert not Follow.objects.exists()


def test_the_follow_button_refuses_other_organisations(
    client, outsider, company, published_challenge
):
    client.force_login(outsider)
    data = {"organisation": str(company.public_id), "challenge": str(published_challenge.public_id)}
    assert client.post("/open-data/follow/", data).status_code == 403
    assert client.post("/open-data/follow/", {"organisation": "nope"}).status_code == 404
    assert not Follow.objects.exists()


def test_the_calendar_page_shows_the_address_once(client, supplier):
    client.force_login(supplier)
    page = client.post("/open-data/calendar/", {"action": "reset"}).content.decode()
    assert "/data/calendar/cal_" in page
    again = client.get("/open-data/calendar/").content.decode()
    assert "/data/calendar/cal_" not in again
    client.post("/open-data/calendar/", {"action": "revoke"})
    assert not CalendarFeed.objects.exists()
