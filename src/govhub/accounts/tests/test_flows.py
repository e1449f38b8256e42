"""The account journeys allauth runs, through GovHub's settings, adapter and templates."""

from __future__ import annotations

import re

import pytest
from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.urls import reverse

from govhub.accounts.models import User
from govhub.accounts.tests.fixtures import (
    PASSWORD,
    confirm_address,
    give_totp,
    has_totp,
    totp_code,
)
from govhub.core.models import AuditEvent

NEW_PASSWORD = "Tulip-orbit-73-granite"
PRODUCTION_HASHERS = [
    "django.contrib.auth.hashers.Argon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
_LINK = re.compile(r"https?://testserver(/[^\s]+)")


def link_in(message, fragment: str) -> str:
    links = [path for path in _LINK.findall(message.body) if fragment in path]
    assert links, message.body
    return links[0]


def sign_up(client, email: str = "new.person@example.eu", password: str = NEW_PASSWORD):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": password, "password2": password},
    )


def sign_in(client, email: str, password: str = PASSWORD, **extra):
    return client.post(reverse("account_login"), {"login": email, "password": password, **extra})


def signed_in_user_id(client) -> str | None:
    return client.session.get("_auth_user_id")


def actions_for(user: User) -> list[str]:
    return list(
        AuditEvent.objects.filter(object_id=str(user.public_id))
        .order_by("id")
        .values_list("action", flat=True)
    )


# Sign-up and email confirmation


def test_sign_up_sends_a_confirmation_email_and_is_audited(client, db, mailoutbox):
    response = sign_up(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    user = User.objects.get(email="new.person@example.eu")
    assert signed_in_user_id(client) is None
    assert len(mailoutbox) == 1
    assert mailoutbox[0].to == ["new.person@example.eu"]
    assert mailoutbox[0].subject.startswith("[GovHub] ")
    assert "/accounts/confirm-email/" in mailoutbox[0].body
    assert actions_for(user) == ["user.signup"]


def test_confirming_through_the_link_signs_the_user_in(client, db, mailoutbox):
    sign_up(client)
    link = link_in(mailoutbox[0], "/accounts/confirm-email/")

    page = client.get(link)
    assert page.status_code == 200
    assert b"Confirm email address" in page.content
    response = client.post(link)

    user = User.objects.get(email="new.person@example.eu")
    assert response.status_code == 302
    assert response["Location"] == reverse("web:dashboard")
    assert signed_in_user_id(client) == str(user.pk)
    assert EmailAddress.objects.get(user=user).verified
    assert actions_for(user) == ["user.signup", "user.email_confirmed"]


def test_confirmation_link_does_not_confirm_on_get(client, db, mailoutbox):
    sign_up(client)
    client.get(link_in(mailoutbox[0], "/accounts/confirm-email/"))
    assert not EmailAddress.objects.get(email="new.person@example.eu").verified


def test_unconfirmed_user_cannot_sign_in(client, make_user, mailoutbox):
    user = make_user("unconfirmed@example.eu")
    EmailAddress.objects.create(user=user, email=user.email, primary=True, verified=False)

    response = sign_in(client, "unconfirmed@example.eu")

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")
    assert signed_in_user_id(client) is None
    # A new confirmation email goes out so the person can finish.
    assert [m.to for m in mailoutbox] == [["unconfirmed@example.eu"]]


def test_bad_confirmation_key_shows_an_explanation(client, db):
    response = client.get(reverse("account_confirm_email", args=["not-a-real-key"]))
    assert response.status_code == 200
    assert b"expired or is not valid" in response.content


def test_sign_up_errors_are_listed_in_an_error_summary(client, db):
    response = sign_up(client, email="not-an-address", password="short")
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_email"' in html
    assert "<title>Error:" in html
    assert not User.objects.exists()


# Passwords


def test_password_reset_by_email_then_sign_in_with_the_new_password(
    client, verified_user, mailoutbox
):
    response = client.post(reverse("account_reset_password"), {"email": verified_user.email})
    assert response["Location"] == reverse("account_reset_password_done")
    link = link_in(mailoutbox[-1], "/accounts/password/reset/key/")

    # allauth moves the key from the address into the session before showing the form.
    form_url = client.get(link)["Location"]
    assert client.get(form_url).status_code == 200
    done = client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})
    assert done["Location"] == reverse("account_reset_password_from_key_done")

    verified_user.refresh_from_db()
    assert check_password(NEW_PASSWORD, verified_user.password)
    assert "user.password_reset" in actions_for(verified_user)
    assert sign_in(client, verified_user.email, PASSWORD).status_code == 200  # old one fails
    assert signed_in_user_id(client) is None
    assert sign_in(client, verified_user.email, NEW_PASSWORD).status_code == 302
    assert signed_in_user_id(client) == str(verified_user.pk)


def test_used_reset_link_is_refused(client, verified_user, mailoutbox):
    client.post(reverse("account_reset_password"), {"email": verified_user.email})
    link = link_in(mailoutbox[-1], "/accounts/password/reset/key/")
    form_url = client.get(link)["Location"]
    client.post(form_url, {"password1": NEW_PASSWORD, "password2": NEW_PASSWORD})

    response = client.get(link, follow=True)

    assert b"Password reset link not valid" in response.content


def test_password_change_is_audited(client, verified_user):
    sign_in(client, verified_user.email)
    response = client.post(
        reverse("account_change_password"),
        {"oldpassword": PASSWORD, "password1": NEW_PASSWORD, "password2": NEW_PASSWORD},
    )
    assert response.status_code == 302
    verified_user.refresh_from_db()
    assert check_password(NEW_PASSWORD, verified_user.password)
    assert "user.password_changed" in actions_for(verified_user)


def test_production_hasher_stores_new_passwords_with_argon2(client, db, settings, mailoutbox):
    settings.PASSWORD_HASHERS = PRODUCTION_HASHERS

    sign_up(client, email="argon@example.eu")

    stored = User.objects.get(email="argon@example.eu").password
    assert stored.startswith("argon2$")
    assert check_password(NEW_PASSWORD, stored)


# Rate limit


def test_sixth_attempt_after_five_failures_is_refused_even_with_the_right_password(
    client, verified_user
):
    for _ in range(5):
        response = sign_in(client, verified_user.email, "wrong password")
        assert response.status_code == 200
        assert b"Too many failed login attempts" not in response.content

    response = sign_in(client, verified_user.email, PASSWORD)

    assert response.status_code == 200
    assert "Too many failed login attempts. Try again later." in response.content.decode()
    assert signed_in_user_id(client) is None
    # One event per lockout, not one per refused attempt.
    assert actions_for(verified_user) == ["user.login_locked_out"]
    sign_in(client, verified_user.email, PASSWORD)
    assert actions_for(verified_user) == ["user.login_locked_out"]


def test_lockout_counts_per_account_across_clients(client, verified_user):
    """The counters live in the shared database cache, not in one process or session."""
    for n in range(5):
        Client().post(
            reverse("account_login"),
            {"login": verified_user.email, "password": "wrong password"},
            REMOTE_ADDR=f"10.0.0.{n + 1}",
        )

    response = client.post(
        reverse("account_login"),
        {"login": verified_user.email, "password": PASSWORD},
        REMOTE_ADDR="10.0.0.99",
    )

    assert b"Too many failed login attempts" in response.content
    assert signed_in_user_id(client) is None


def test_successful_sign_in_does_not_count_as_a_failure(client, verified_user):
    for _ in range(4):
        sign_in(client, verified_user.email, "wrong password")
    assert sign_in(client, verified_user.email).status_code == 302
    assert not AuditEvent.objects.filter(action="user.login_locked_out").exists()


def test_unknown_address_lockout_is_not_audited(client, db):
    for _ in range(6):
        sign_in(client, "nobody@example.eu", "wrong password")
    assert not AuditEvent.objects.exists()


# Two-factor authentication


@pytest.fixture
def tolerant_totp(settings):
    # One period either side, so a test that crosses a 30-second boundary still passes.
    settings.MFA_TOTP_TOLERANCE = 1


def activate_totp_through_the_page(client, django_capture_on_commit_callbacks) -> str:
    page = client.get(reverse("mfa_activate_totp"))
    assert page.status_code == 200
    secret = page.context["form"].secret
    html = page.content.decode()
    assert secret in html  # for typing into an app
    assert 'src="data:image/svg+xml;base64,' in html
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_view_recovery_codes")
    return secret


def test_activate_totp_then_sign_in_needs_the_code(
    client, verified_user, tolerant_totp, django_capture_on_commit_callbacks
):
    assert sign_in(client, verified_user.email).status_code == 302
    secret = activate_totp_through_the_page(client, django_capture_on_commit_callbacks)
    assert has_totp(verified_user)
    assert "user.mfa_activated" in actions_for(verified_user)
    client.post(reverse("account_logout"))

    response = sign_in(client, verified_user.email)

    assert response["Location"] == reverse("mfa_authenticate")
    assert signed_in_user_id(client) is None
    page = client.get(reverse("mfa_authenticate"))
    assert 'autocomplete="one-time-code"' in page.content.decode()
    assert 'inputmode="numeric"' in page.content.decode()

    code = totp_code(secret)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"
    refused = client.post(reverse("mfa_authenticate"), {"code": wrong})
    assert refused.status_code == 200
    assert "govuk-error-summary" in refused.content.decode()
    assert signed_in_user_id(client) is None

    accepted = client.post(reverse("mfa_authenticate"), {"code": code})
    assert accepted.status_code == 302
    assert accepted["Location"] == reverse("web:dashboard")
    assert signed_in_user_id(client) == str(verified_user.pk)


def test_recovery_code_signs_in_instead_of_the_app(
    client, verified_user, tolerant_totp, django_capture_on_commit_callbacks
):
    sign_in(client, verified_user.email)
    activate_totp_through_the_page(client, django_capture_on_commit_callbacks)
    codes_page = client.get(reverse("mfa_view_recovery_codes"))
    recovery_code = codes_page.context["unused_codes"][0]
    assert recovery_code in codes_page.content.decode()
    download = client.get(reverse("mfa_download_recovery_codes"))
    assert download["Content-Type"].startswith("text/plain")
    assert recovery_code in download.content.decode()
    client.post(reverse("account_logout"))

    sign_in(client, verified_user.email)
    response = client.post(reverse("mfa_authenticate"), {"code": recovery_code})

    assert response.status_code == 302
    assert signed_in_user_id(client) == str(verified_user.pk)


def test_wrong_activation_code_is_refused(client, verified_user, tolerant_totp):
    sign_in(client, verified_user.email)
    page = client.get(reverse("mfa_activate_totp"))
    code = totp_code(page.context["form"].secret)
    wrong = f"{(int(code) + 1) % 1_000_000:06d}"

    response = client.post(reverse("mfa_activate_totp"), {"code": wrong})

    assert response.status_code == 200
    assert "govuk-error-summary" in response.content.decode()
    assert not has_totp(verified_user)
    assert not AuditEvent.objects.filter(action="user.mfa_activated").exists()


def test_deactivating_totp_is_audited(
    client, verified_user, tolerant_totp, django_capture_on_commit_callbacks
):
    sign_in(client, verified_user.email)
    activate_totp_through_the_page(client, django_capture_on_commit_callbacks)

    response = client.post(reverse("mfa_deactivate_totp"))

    assert response.status_code == 302
    assert not Authenticator.objects.filter(user=verified_user).exists()
    assert actions_for(verified_user)[-1] == "user.mfa_deactivated"


def test_regenerating_recovery_codes_is_audited(
    client, verified_user, tolerant_totp, django_capture_on_commit_callbacks
):
    sign_in(client, verified_user.email)
    activate_totp_through_the_page(client, django_capture_on_commit_callbacks)

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("mfa_generate_recovery_codes"))

    assert response["Location"] == reverse("mfa_view_recovery_codes")
    assert actions_for(verified_user)[-1] == "user.recovery_codes_regenerated"


def test_buyer_signing_in_without_totp_is_led_to_set_it_up(
    client, verified_user, add_role, tolerant_totp, django_capture_on_commit_callbacks
):
    add_role(verified_user, is_buyer=True)
    response = sign_in(client, verified_user.email)
    assert response["Location"] == reverse("web:dashboard")

    assert client.get(reverse("web:dashboard"))["Location"] == reverse("mfa_activate_totp")
    activate_totp_through_the_page(client, django_capture_on_commit_callbacks)

    assert client.get(reverse("web:dashboard")).status_code == 200


def test_moderator_persona_has_totp_so_sign_in_asks_for_a_code(client, moderator):
    """Personas whose role needs two-factor have it, as they would in real life."""
    confirm_address(moderator)
    assert sign_in(client, moderator.email)["Location"] == reverse("mfa_authenticate")


def test_sign_in_by_email_link_alone_does_not_skip_reauthentication(
    client, db, mailoutbox, add_role
):
    sign_up(client)
    user = User.objects.get(email="new.person@example.eu")
    add_role(user, is_buyer=True)
    client.post(link_in(mailoutbox[0], "/accounts/confirm-email/"))

    response = client.get(reverse("mfa_activate_totp"))

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))


# Language on sign-in


def test_sign_in_switches_to_the_preferred_language(client, verified_user):
    verified_user.preferred_language = "fr"
    verified_user.save()

    response = sign_in(client, verified_user.email)

    assert response["Location"] == "/fr/dashboard/"
    page = client.get(response["Location"])
    assert page.status_code == 200
    assert '<html lang="fr"' in page.content.decode()


def test_sign_in_keeps_the_next_page_but_in_the_preferred_language(client, verified_user):
    verified_user.preferred_language = "de"
    verified_user.save()

    response = sign_in(client, verified_user.email, next=reverse("organisations:list"))

    assert response["Location"] == "/de" + reverse("organisations:list")


def test_sign_in_without_preference_keeps_the_page_language(client, verified_user):
    response = client.post(
        "/it" + reverse("account_login"), {"login": verified_user.email, "password": PASSWORD}
    )
    assert response["Location"] == "/it/dashboard/"


def test_give_totp_helper_matches_allauth(verified_user, tolerant_totp):
    from allauth.mfa.totp.internal.auth import TOTP

    secret = give_totp(verified_user)
    authenticator = Authenticator.objects.get(user=verified_user, type="totp")
    assert TOTP(authenticator).validate_code(totp_code(secret))
