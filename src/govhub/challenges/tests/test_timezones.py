"""Deadlines: typed in Brussels time, stored in UTC, shown in Brussels and the viewer's zone."""

from __future__ import annotations

import datetime as dt
import zoneinfo

import pytest
import time_machine
from django.urls import reverse

from govhub.challenges.forms import BrusselsDateTimeField
from govhub.challenges.templatetags.challenges_tags import format_both

from .fixtures import deadline_of, first_phase

UTC = dt.UTC


def zone(name: str) -> zoneinfo.ZoneInfo:
    return zoneinfo.ZoneInfo(name)


def test_the_issues_example():
    # 17 March 2027 12:00 in Brussels is 11:00 UTC (CET, UTC+1).
    parts = format_both(dt.datetime(2027, 3, 17, 11, 0, tzinfo=UTC), zone("Europe/Helsinki"))
    assert parts["brussels"] == "17 March 2027, 12:00 CET (Brussels)"
    assert parts["local"] == "13:00 EET (your time zone)"
    assert parts["iso"] == "2027-03-17T11:00:00Z"


@pytest.mark.parametrize(
    ("instant", "brussels", "helsinki"),
    [
        # The day before the spring change: winter time in both zones.
        (
            dt.datetime(2027, 3, 27, 11, 0, tzinfo=UTC),
            "27 March 2027, 12:00 CET (Brussels)",
            "13:00 EET (your time zone)",
        ),
        # 28 March 2027, the day clocks go forward at 01:00 UTC: summer time from then on.
        (
            dt.datetime(2027, 3, 28, 10, 0, tzinfo=UTC),
            "28 March 2027, 12:00 CEST (Brussels)",
            "13:00 EEST (your time zone)",
        ),
        # Just before the change (00:59 UTC) and just after it (01:00 UTC).
        (
            dt.datetime(2027, 3, 28, 0, 59, tzinfo=UTC),
            "28 March 2027, 01:59 CET (Brussels)",
            "02:59 EET (your time zone)",
        ),
        (
            dt.datetime(2027, 3, 28, 1, 0, tzinfo=UTC),
            "28 March 2027, 03:00 CEST (Brussels)",
            "04:00 EEST (your time zone)",
        ),
    ],
)
def test_daylight_saving_change_in_brussels(instant, brussels, helsinki):
    parts = format_both(instant, zone("Europe/Helsinki"))
    assert (parts["brussels"], parts["local"]) == (brussels, helsinki)


def test_zones_whose_change_falls_on_another_day():
    # New York moves to summer time on 14 March 2027, two weeks before Brussels: five hours
    # apart meanwhile, not six.
    parts = format_both(dt.datetime(2027, 3, 26, 11, 0, tzinfo=UTC), zone("America/New_York"))
    assert parts["local"] == "07:00 EDT (your time zone)"


def test_local_date_is_given_when_it_differs():
    parts = format_both(dt.datetime(2027, 3, 17, 19, 0, tzinfo=UTC), zone("Asia/Tokyo"))
    assert parts["brussels"] == "17 March 2027, 20:00 CET (Brussels)"
    assert parts["local"] == "18 March 2027, 04:00 JST (your time zone)"


def test_zone_without_an_abbreviation_is_named_by_its_offset():
    parts = format_both(dt.datetime(2027, 3, 17, 11, 0, tzinfo=UTC), zone("Asia/Dubai"))
    assert parts["local"] == "15:00 UTC+04 (your time zone)"


def test_viewer_in_brussels_sees_one_time():
    parts = format_both(dt.datetime(2027, 7, 1, 10, 0, tzinfo=UTC), zone("Europe/Brussels"))
    assert parts["brussels"] == "1 July 2027, 12:00 CEST (Brussels, your time zone)"
    assert parts["local"] == ""


def test_viewer_in_another_zone_on_brussels_time_sees_one_time():
    parts = format_both(dt.datetime(2027, 7, 1, 10, 0, tzinfo=UTC), zone("Europe/Paris"))
    assert parts["local"] == ""
    assert "your time zone" in parts["brussels"]


def test_anonymous_visitors_get_brussels_time_only():
    parts = format_both(dt.datetime(2027, 7, 1, 10, 0, tzinfo=UTC), None)
    assert parts == {
        "iso": "2027-07-01T10:00:00Z",
        "brussels": "1 July 2027, 12:00 CEST (Brussels)",
        "local": "",
    }


# --- typed in Brussels time -----------------------------------------------------------------


def test_typed_times_are_brussels_times():
    field = BrusselsDateTimeField()
    assert field.clean("2027-03-27T12:00") == dt.datetime(2027, 3, 27, 11, 0, tzinfo=UTC)
    assert field.clean("2027-03-28T12:00") == dt.datetime(2027, 3, 28, 10, 0, tzinfo=UTC)


def test_the_skipped_hour_is_refused():
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        BrusselsDateTimeField().clean("2027-03-28T02:30")
    assert "does not exist in Brussels" in caught.value.messages[0]


def test_the_repeated_hour_is_the_first_one():
    # 31 October 2027, 02:30 happens twice in Brussels; the earlier (summer time) is taken.
    cleaned = BrusselsDateTimeField().clean("2027-10-31T02:30")
    assert cleaned == dt.datetime(2027, 10, 31, 0, 30, tzinfo=UTC)


def test_stored_times_are_shown_back_in_brussels_time():
    field = BrusselsDateTimeField()
    assert field.prepare_value(dt.datetime(2027, 3, 28, 10, 0, tzinfo=UTC)) == "2027-03-28T12:00"


# --- on the page ----------------------------------------------------------------------------


@pytest.mark.django_db
def test_page_shows_a_deadline_across_the_change_in_both_zones(
    client, buyer, make_challenge, make_user
):
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        challenge = make_challenge(
            deadline=dt.datetime(2027, 3, 28, 10, 0, tzinfo=UTC), open_first=True
        )
        assert deadline_of(first_phase(challenge)).tzinfo is not None
        url = reverse("challenges:detail", args=[challenge.public_id])
        anonymous = client.get(url).content.decode()
        viewer = make_user("viewer@helsinki.example.eu", time_zone="Europe/Helsinki")
        client.force_login(viewer)
        helsinki = client.get(url).content.decode()
    expected = '<time datetime="2027-03-28T10:00:00Z">28 March 2027, 12:00 CEST (Brussels)</time>'
    assert expected in anonymous
    assert "(your time zone)" not in anonymous
    assert f"{expected} — 13:00 EEST (your time zone)" in helsinki


@pytest.mark.django_db
def test_deadline_form_takes_brussels_time_across_the_change(client, buyer, make_challenge):
    with time_machine.travel(dt.datetime(2027, 3, 1, 9, 0, tzinfo=UTC), tick=False):
        challenge = make_challenge(
            deadline=dt.datetime(2027, 3, 26, 11, 0, tzinfo=UTC), open_first=True
        )
        phase = first_phase(challenge)
        client.force_login(buyer)
        url = reverse("challenges:deadline", args=[challenge.public_id, phase.public_id])
        refused = client.post(url, {"deadline": "2027-03-28T02:30", "reason": ""})
        assert "does not exist in Brussels" in refused.content.decode()
        response = client.post(url, {"deadline": "2027-03-28T12:00", "reason": "Easter"})
        assert response.status_code == 302
    phase.refresh_from_db()
    assert phase.deadline == dt.datetime(2027, 3, 28, 10, 0, tzinfo=UTC)
