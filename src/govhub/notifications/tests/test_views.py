"""Inbox, settings and unsubscribe pages: permissions and what each request changes."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from govhub.notifications.models import Notification, NotificationPreference
from govhub.notifications.tokens import unsubscribe_token

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"notifications:{name}", args=args)


def test_inbox_needs_sign_in(client):
    response = client.get(url("inbox"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_inbox_shows_only_ones_own_notifications_unread_first(
    client, outsider, make_user, make_notification
):
    make_notification(outsider, subject="Old and read", read_at="2026-01-01T10:00Z")
    make_notification(outsider, subject="New and unread")
    make_notification(make_user(), subject="Someone else's")
    client.force_login(outsider)
    page = client.get(url("inbox")).content.decode()
    assert "Someone else&#x27;s" not in page
    assert "Someone else's" not in page
    assert page.index("New and unread") < page.index("Old and read")
    assert "You have 1 unread notification." in page


def test_inbox_query_count_does_not_grow(
    client, outsider, make_notification, django_assert_max_num_queries
):
    client.force_login(outsider)
    make_notification(outsider)
    with CaptureQueriesContext(connection) as few:
        client.get(url("inbox"))
    for n in range(15):
        make_notification(outsider, subject=f"Reply {n}")
    with CaptureQueriesContext(connection) as many:
        assert client.get(url("inbox")).status_code == 200
    assert len(many) == len(few)
    with django_assert_max_num_queries(12):
        client.get(url("inbox"))


def test_someone_elses_notification_cannot_be_marked_read(
    client, outsider, make_user, make_notification
):
    theirs = make_notification(make_user())
    client.force_login(outsider)
    assert client.post(url("mark_read", theirs.public_id)).status_code == 403
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_mark_read_with_htmx_returns_the_item(client, outsider, make_notification):
    mine = make_notification(outsider, subject="Reply to you")
    client.force_login(outsider)
    response = client.post(url("mark_read", mine.public_id), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    body = response.content.decode()
    assert "Reply to you" in body
    assert "Mark as read" not in body
    mine.refresh_from_db()
    assert mine.read_at is not None


def test_mark_read_needs_post(client, outsider, make_notification):
    mine = make_notification(outsider)
    client.force_login(outsider)
    assert client.get(url("mark_read", mine.public_id)).status_code == 405
    mine.refresh_from_db()
    assert mine.read_at is None


def test_mark_all_read(client, outsider, make_notification):
    make_notification(outsider)
    make_notification(outsider)
    client.force_login(outsider)
    assert client.post(url("mark_all_read")).status_code == 302
    assert not Notification.objects.filter(read_at__isnull=True).exists()


def test_preferences_are_saved(client, outsider):
    client.force_login(outsider)
    page = client.get(url("preferences"))
    assert page.status_code == 200
    data = dict.fromkeys(page.context["form"].fields, "immediate")
    data["group_participation"] = "digest"
    data["group_all"] = "off"
    assert client.post(url("preferences"), data).status_code == 302
    prefs = dict(NotificationPreference.objects.filter(user=outsider).values_list("group", "mode"))
    assert prefs["participation"] == "digest"
    assert prefs["*"] == "off"


def test_preferences_with_a_bad_value_change_nothing(client, outsider):
    client.force_login(outsider)
    response = client.post(url("preferences"), {"group_participation": "sometimes"})
    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not NotificationPreference.objects.exists()


# --- unsubscribe ---------------------------------------------------------------------------


def test_unsubscribe_get_shows_and_changes_nothing(client, outsider):
    response = client.get(url("unsubscribe", unsubscribe_token(outsider, "participation")))
    assert response.status_code == 200
    assert "Stop emails from GovHub" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_unsubscribe_post_stops_one_group_without_signing_in(client, outsider):
    token = unsubscribe_token(outsider, "participation")
    response = client.post(url("unsubscribe", token), {"scope": "group"})
    assert response.status_code == 200
    assert "You have been unsubscribed" in response.content.decode()
    prefs = dict(NotificationPreference.objects.filter(user=outsider).values_list("group", "mode"))
    assert prefs == {"participation": "off"}


def test_unsubscribe_from_everything(client, outsider):
    token = unsubscribe_token(outsider, "participation")
    client.post(url("unsubscribe", token), {"scope": "all"})
    prefs = dict(NotificationPreference.objects.filter(user=outsider).values_list("group", "mode"))
    assert prefs["*"] == "off"
    assert set(prefs.values()) == {"off"}


def test_one_click_unsubscribe_rfc_8058(client, outsider):
    token = unsubscribe_token(outsider, "challenges")
    response = client.post(
        url("unsubscribe", token),
        "List-Unsubscribe=One-Click",
        content_type="application/x-www-form-urlencoded",
    )
    assert response.status_code == 200
    assert NotificationPreference.objects.get(user=outsider).group == "challenges"


def test_tampered_token_is_refused_and_changes_nothing(client, outsider, make_user):
    token = unsubscribe_token(outsider, "participation")
    other = make_user()
    # Another person's payload under this token's signature.
    forged = (
        unsubscribe_token(other, "participation").split(":", 1)[0] + ":" + token.split(":", 1)[1]
    )
    assert forged != token
    for bad in (token[:-2] + ("aa" if not token.endswith("aa") else "bb"), forged, "nonsense"):
        response = client.post(url("unsubscribe", bad), {"scope": "all"})
        assert response.status_code == 400
        assert "This unsubscribe link does not work" in response.content.decode()
    assert not NotificationPreference.objects.exists()


def test_token_of_another_purpose_is_refused(client, outsider):
    from django.core import signing

    token = signing.dumps({"u": str(outsider.public_id), "g": "*"}, salt="something.else")
    assert client.post(url("unsubscribe", token), {"scope": "all"}).status_code == 400
    assert not NotificationPreference.objects.exists()


def test_nav_link_tag_counts_unread(rf, outsider, make_notification):
    from django.template import Context, Template

    make_notification(outsider)
    make_notification(outsider)
    request = rf.get("/")
    request.user = outsider
    html = Template("{% load notifications %}{% notifications_link %}").render(
        Context({"request": request})
    )
    assert "Notifications (2" in html
    assert reverse("notifications:inbox") in html
