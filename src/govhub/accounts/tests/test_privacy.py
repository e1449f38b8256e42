"""GDPR: personal-data export and erasure (govhub.accounts.privacy) and their pages."""

from __future__ import annotations

import json
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.sessions.models import Session
from django.test import Client
from django.urls import reverse

from govhub.accounts import privacy
from govhub.accounts.models import User
from govhub.core.errors import Conflict, InvalidInput, NotAllowed
from govhub.core.models import AuditEvent
from govhub.notifications.models import Notification, NotificationPreference
from govhub.organisations.models import Membership

from .fixtures import PASSWORD, confirm_address, give_totp

pytestmark = pytest.mark.django_db


class FakeForum:
    """A registered part standing in for an app with shared content (a discussion)."""

    def __init__(self) -> None:
        self.posts: list[dict[str, Any]] = []

    def export(self, user: User) -> dict[str, Any]:
        return {"posts": [p["text"] for p in self.posts if p["author"] == user.pk]}

    def erase(self, user: User) -> None:
        for post in self.posts:
            if post["author"] == user.pk:
                post["author"] = None
                post["signature"] = "Anonymous participant"


@pytest.fixture
def forum():
    fake = FakeForum()
    privacy.register("fake_forum", export=fake.export, erase=fake.erase)
    yield fake
    privacy.unregister("fake_forum")


@pytest.fixture
def person(make_user, add_role, make_notification):
    user = make_user(
        "paula.person@example.eu", display_name="Paula Person", first_name="Paula", last_name="P"
    )
    confirm_address(user)
    add_role(user)  # a plain membership
    make_notification(user, subject="Your comment got a reply")
    NotificationPreference.objects.create(user=user, group="participation", mode="digest")
    return user


def _signed_in_session(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.session.session_key or ""


# --- registry and export -------------------------------------------------------------------


def test_notifications_app_registers_its_part():
    assert "notifications" in [part.name for part in privacy.registered()]


def test_register_refuses_the_accounts_own_name():
    with pytest.raises(ValueError, match="own name"):
        privacy.register("account", export=lambda u: {}, erase=lambda u: None)


def test_export_has_the_account_and_every_registered_part(person, forum):
    forum.posts.append({"author": person.pk, "text": "I support option B", "signature": "Paula"})
    forum.posts.append({"author": None, "text": "Someone else's post", "signature": "X"})
    data = privacy.personal_data_export(actor=person, user=person)
    json.dumps(data)  # JSON-ready
    account = data["account"]
    assert account["email"] == "paula.person@example.eu"
    assert account["display_name"] == "Paula Person"
    assert account["first_name"] == "Paula"
    assert account["email_addresses"][0]["verified"] is True
    assert account["memberships"][0]["roles"] == ["member"]
    assert data["parts"]["fake_forum"] == {"posts": ["I support option B"]}
    notifications = data["parts"]["notifications"]
    assert notifications["notifications"][0]["subject"] == "Your comment got a reply"
    assert notifications["preferences"] == [{"group": "participation", "mode": "digest"}]
    assert AuditEvent.objects.filter(action="account.export").count() == 1


def test_export_of_someone_else_is_refused(person, outsider):
    with pytest.raises(NotAllowed):
        privacy.personal_data_export(actor=outsider, user=person)
    assert not AuditEvent.objects.filter(action="account.export").exists()


def test_moderator_may_export_on_request(person, moderator):
    data = privacy.personal_data_export(actor=moderator, user=person)
    assert data["account"]["email"] == person.email


# --- erasure -------------------------------------------------------------------------------


def test_erase_anonymises_the_account_and_keeps_shared_content(person, forum, make_user):
    give_totp(person)
    forum.posts.append({"author": person.pk, "text": "I support option B", "signature": "Paula"})
    other = make_user()
    acted = Notification.objects.create(
        recipient=other, kind="participation.reply", subject="A reply", actor=person
    )
    session_key = _signed_in_session(person)
    public_id = person.public_id

    privacy.personal_data_erase(actor=person, user=person, reason="")

    person.refresh_from_db()
    assert person.public_id == public_id  # content and audit events keep their link
    assert person.email.endswith("@erased.invalid")
    assert "paula" not in person.email
    assert (person.first_name, person.last_name, person.display_name) == ("", "", "")
    assert not person.has_usable_password()
    assert person.is_active is False
    assert not EmailAddress.objects.filter(user=person).exists()
    assert not Authenticator.objects.filter(user=person).exists()
    assert not Membership.objects.filter(user=person).exists()
    assert not Session.objects.filter(session_key=session_key).exists()
    assert not Notification.objects.filter(recipient=person).exists()
    assert not NotificationPreference.objects.filter(user=person).exists()
    acted.refresh_from_db()
    assert acted.actor is None  # others keep their notification, without the name
    # The registered part kept the content, detached from the person.
    assert forum.posts == [
        {"author": None, "text": "I support option B", "signature": "Anonymous participant"}
    ]


def test_erased_addresses_are_unique(make_user):
    first, second = make_user(), make_user()
    for user in (first, second):
        privacy.personal_data_erase(actor=user, user=user, reason="")
    first.refresh_from_db()
    second.refresh_from_db()
    assert first.email != second.email


def test_erase_writes_one_audit_event_without_personal_data(person, moderator):
    before = AuditEvent.objects.count()
    privacy.personal_data_erase(actor=moderator, user=person, reason="Request ref. 2026-114")
    events = list(AuditEvent.objects.filter(pk__gt=0).order_by("pk"))[before:]
    assert [e.action for e in events] == ["account.erase"]
    event = events[0]
    assert event.object_id == str(person.public_id)
    assert event.actor_label == str(moderator.public_id)
    after = event.after
    assert after is not None
    assert after["by"] == "moderator"
    assert after["reason"] == "Request ref. 2026-114"
    serialised = json.dumps(
        [event.object_label, event.actor_label, event.before, event.after]
    ).lower()
    for personal in ("paula", "person@example.eu", "mona", "moderator@example.eu"):
        assert personal not in serialised
    # Earlier events about the person still verify: the chain is intact.
    from govhub.core.audit import audit_verify

    assert audit_verify().ok


def test_only_the_person_or_a_moderator_may_erase(person, outsider):
    with pytest.raises(NotAllowed):
        privacy.personal_data_erase(actor=outsider, user=person, reason="I want to")
    person.refresh_from_db()
    assert person.is_active
    assert person.email == "paula.person@example.eu"
    assert not AuditEvent.objects.filter(action="account.erase").exists()


def test_moderator_must_give_a_reason(person, moderator):
    with pytest.raises(InvalidInput):
        privacy.personal_data_erase(actor=moderator, user=person, reason="  ")
    person.refresh_from_db()
    assert person.is_active


def test_superusers_are_not_erased_here(make_user, moderator):
    admin = make_user("root@example.eu", is_superuser=True)
    with pytest.raises(NotAllowed):
        privacy.personal_data_erase(actor=moderator, user=admin, reason="Request 1")
    admin.refresh_from_db()
    assert admin.is_active


def test_erasing_twice_is_a_conflict(person):
    privacy.personal_data_erase(actor=person, user=person, reason="")
    with pytest.raises(Conflict):
        privacy.personal_data_erase(actor=person, user=person, reason="")


def test_a_failing_eraser_rolls_everything_back(person):
    def broken(user: User) -> None:
        raise RuntimeError("database trouble")

    privacy.register("broken", export=lambda u: {}, erase=broken)
    try:
        with pytest.raises(RuntimeError):
            privacy.personal_data_erase(actor=person, user=person, reason="")
    finally:
        privacy.unregister("broken")
    person.refresh_from_db()
    assert person.is_active
    assert Notification.objects.filter(recipient=person).exists()


# --- pages ---------------------------------------------------------------------------------


def test_download_is_a_json_file_of_ones_own_data(client, person):
    client.force_login(person)
    response = client.get(reverse("notifications:privacy_export"))
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    assert response["Cache-Control"] == "no-store"
    assert json.loads(response.content)["account"]["email"] == person.email


def test_privacy_pages_need_sign_in(client):
    for name in ("privacy", "privacy_export", "privacy_erase", "privacy_erase_on_request"):
        response = client.get(reverse(f"notifications:{name}"))
        assert response.status_code == 302


def test_erase_own_account_requires_the_password(client, person):
    client.force_login(person)
    url = reverse("notifications:privacy_erase")
    response = client.post(url, {"password": "not my password", "confirm": "on"})
    assert response.status_code == 200
    assert "The password is not correct." in response.content.decode()
    response = client.post(url, {"password": PASSWORD})  # no confirmation ticked
    assert response.status_code == 200
    person.refresh_from_db()
    assert person.is_active
    assert not AuditEvent.objects.filter(action="account.erase").exists()


def test_erase_own_account_signs_out(client, person):
    client.force_login(person)
    response = client.post(
        reverse("notifications:privacy_erase"), {"password": PASSWORD, "confirm": "on"}
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:privacy_erased")
    person.refresh_from_db()
    assert not person.is_active
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("notifications:inbox")).status_code == 302


def test_erase_on_request_is_for_moderators_only(client, person, outsider):
    client.force_login(outsider)
    url = reverse("notifications:privacy_erase_on_request")
    assert client.get(url).status_code == 403
    data = {"email": person.email, "reason": "Letter of 3 May", "confirm": "on"}
    assert client.post(url, data).status_code == 403
    person.refresh_from_db()
    assert person.is_active


def test_moderator_erases_on_request(client, person, moderator):
    client.force_login(moderator)
    url = reverse("notifications:privacy_erase_on_request")
    response = client.post(url, {"email": person.email, "confirm": "on"})
    assert response.status_code == 200  # reason missing
    person.refresh_from_db()
    assert person.is_active
    response = client.post(
        url, {"email": "PAULA.person@example.eu", "reason": "Letter of 3 May", "confirm": "on"}
    )
    assert response.status_code == 302
    person.refresh_from_db()
    assert not person.is_active
    response = client.post(url, {"email": "nobody@example.eu", "reason": "x", "confirm": "on"})
    assert "No account has this email address." in response.content.decode()


def test_password_guessing_on_the_erase_page_is_rate_limited(client, person):
    client.force_login(person)
    url = reverse("notifications:privacy_erase")
    for _ in range(10):
        client.post(url, {"password": "guess", "confirm": "on"})
    response = client.post(url, {"password": PASSWORD, "confirm": "on"})
    assert response.status_code == 200
    assert "Too many attempts" in response.content.decode()
    person.refresh_from_db()
    assert person.is_active


def test_moderator_downloads_an_accounts_data_on_request(client, person, moderator, outsider):
    url = reverse("notifications:privacy_export_on_request")
    client.force_login(outsider)
    assert client.get(url).status_code == 403
    assert client.post(url, {"email": person.email}).status_code == 403
    assert not AuditEvent.objects.filter(action="account.export").exists()
    client.force_login(moderator)
    assert client.get(url).status_code == 200
    response = client.post(url, {"email": "Paula.Person@example.eu"})
    assert response["Content-Disposition"].startswith("attachment;")
    assert json.loads(response.content)["account"]["display_name"] == "Paula Person"
    event = AuditEvent.objects.get(action="account.export")
    assert event.actor_label == str(moderator.public_id)
    response = client.post(url, {"email": "nobody@example.eu"})
    assert "No account has this email address." in response.content.decode()
