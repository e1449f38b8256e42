"""Every allauth page a person can reach renders in GovHub's GOV.UK layout.

One h1, a page title, GOV.UK markup, and nothing the Content-Security-Policy would block
(inline style attributes, scripts without the request's nonce).
"""

from __future__ import annotations

import re

import pytest
from django.contrib.auth.hashers import make_password
from django.urls import reverse

from govhub.accounts.tests.fixtures import PASSWORD, totp_code

_SCRIPT = re.compile(r"<script\b[^>]*>", re.I)
_TITLE = re.compile(r"<title>(.*?)</title>", re.S)


def assert_govuk_page(response, h1: str) -> str:
    assert response.status_code == 200, response
    html = response.content.decode()
    assert html.count("<h1") == 1, html
    heading = re.search(r"<h1[^>]*>(.*?)</h1>", html, re.S)
    assert heading
    assert h1 in heading.group(1), heading
    title = _TITLE.search(html)
    assert title
    assert title.group(1).strip().endswith("– GovHub")
    assert title.group(1).strip() != "– GovHub", "the page has no title of its own"
    assert 'class="govuk-template"' in html
    assert " style=" not in html
    for tag in _SCRIPT.findall(html):
        assert "nonce=" in tag or 'type="application/json"' in tag, tag
    # allauth's own unstyled markup must not leak through.
    assert "<strong>Menu:</strong>" not in html
    return html


def sign_in(client, user) -> None:
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302, response.content.decode()[:2000]


@pytest.mark.parametrize(
    ("url_name", "h1"),
    [
        ("account_login", "Sign in"),
        ("account_signup", "Create an account"),
        ("account_reset_password", "Reset your password"),
        ("account_reset_password_done", "Check your email"),
        ("account_email_verification_sent", "Check your email"),
        ("account_inactive", "This account is inactive"),
        ("account_reset_password_from_key_done", "Your password has been changed"),
    ],
)
def test_entrance_pages(client, db, url_name, h1):
    assert_govuk_page(client.get(reverse(url_name)), h1)


def test_login_page_fields(client, db):
    html = assert_govuk_page(client.get(reverse("account_login")), "Sign in")
    assert 'autocomplete="email"' in html
    assert 'autocomplete="current-password"' in html
    assert "placeholder=" not in html
    assert '<label class="govuk-label" for="id_login">Email address' in html
    assert 'href="/accounts/password/reset/"' in html


def test_failed_sign_in_shows_an_error_summary(client, verified_user):
    response = client.post(
        reverse("account_login"), {"login": verified_user.email, "password": "wrong"}
    )
    html = assert_govuk_page(response, "Sign in")
    assert "govuk-error-summary" in html
    assert "<title>Error:" in html


def test_pages_render_in_another_language(client, db):
    html = assert_govuk_page(client.get("/fr" + reverse("account_login")), "")
    assert '<html lang="fr"' in html


def test_bad_confirmation_link(client, db):
    assert_govuk_page(
        client.get(reverse("account_confirm_email", args=["nope"])), "expired or is not valid"
    )


def test_bad_password_reset_link(client, verified_user):
    response = client.get(
        reverse("account_reset_password_from_key", kwargs={"uidb36": "zz", "key": "bad-key"}),
        follow=True,
    )
    assert_govuk_page(response, "Password reset link not valid")


def test_signup_confirmation_and_reset_pages(client, db, verified_user, mailoutbox):
    client.post(
        reverse("account_signup"),
        {"email": "pages@example.eu", "password1": "Tulip-orbit-73", "password2": "Tulip-orbit-73"},
    )
    link = re.search(r"http://testserver(/accounts/confirm-email/\S+)", mailoutbox[-1].body)
    assert link
    html = assert_govuk_page(client.get(link.group(1)), "Confirm your email address")
    assert 'method="post"' in html

    client.post(reverse("account_reset_password"), {"email": verified_user.email})
    reset = re.search(r"http://testserver(/accounts/password/reset/key/\S+)", mailoutbox[-1].body)
    assert reset
    form_page = client.get(reset.group(1), follow=True)
    html = assert_govuk_page(form_page, "Choose a new password")
    assert 'autocomplete="new-password"' in html


@pytest.mark.parametrize(
    ("url_name", "h1"),
    [
        ("account_logout", "Sign out"),
        ("account_email", "Email addresses"),
        ("account_change_password", "Change your password"),
        ("account_reauthenticate", "Confirm it is you"),
        ("mfa_index", "Two-factor authentication"),
        ("mfa_activate_totp", "Set up an authenticator app"),
    ],
)
def test_signed_in_pages(client, verified_user, url_name, h1):
    sign_in(client, verified_user)
    assert_govuk_page(client.get(reverse(url_name)), h1)


def test_logout_page_signs_out_only_by_post(client, verified_user):
    sign_in(client, verified_user)
    html = assert_govuk_page(client.get(reverse("account_logout")), "Sign out")
    assert 'method="post"' in html
    assert client.session.get("_auth_user_id")


def test_set_password_page_for_an_account_without_one(client, verified_user):
    verified_user.password = make_password(None)
    verified_user.save()
    client.force_login(verified_user)
    assert_govuk_page(client.get(reverse("account_set_password")), "Set a password")


def test_totp_activation_page_shows_qr_code_and_secret(client, verified_user):
    sign_in(client, verified_user)
    response = client.get(reverse("mfa_activate_totp"))
    html = assert_govuk_page(response, "Set up an authenticator app")
    secret = response.context["form"].secret
    img = re.search(r"<img [^>]*>", html)
    assert img
    assert 'src="data:image/svg+xml;base64,' in img.group(0)
    assert re.search(r'alt="[^"]{20,}"', img.group(0))
    assert f'id="totp-secret">{secret}</code>' in html
    assert 'name="code"' in html
    assert 'inputmode="numeric"' in html
    assert 'autocomplete="one-time-code"' in html


@pytest.fixture
def signed_in_with_totp(client, verified_user, settings, django_capture_on_commit_callbacks):
    settings.MFA_TOTP_TOLERANCE = 1
    sign_in(client, verified_user)
    secret = client.get(reverse("mfa_activate_totp")).context["form"].secret
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("mfa_activate_totp"), {"code": totp_code(secret)})
    return verified_user


@pytest.mark.parametrize(
    ("url_name", "h1"),
    [
        ("mfa_index", "Two-factor authentication"),
        ("mfa_deactivate_totp", "Turn off your authenticator app"),
        ("mfa_view_recovery_codes", "Recovery codes"),
        ("mfa_generate_recovery_codes", "Generate new recovery codes"),
    ],
)
def test_two_factor_management_pages(client, signed_in_with_totp, url_name, h1):
    assert_govuk_page(client.get(reverse(url_name)), h1)


def test_mfa_index_offers_every_action(client, signed_in_with_totp):
    html = client.get(reverse("mfa_index")).content.decode()
    for name in (
        "mfa_deactivate_totp",
        "mfa_view_recovery_codes",
        "mfa_download_recovery_codes",
        "mfa_generate_recovery_codes",
    ):
        assert f'href="{reverse(name)}"' in html


def test_mfa_reauthentication_page(client, signed_in_with_totp):
    html = assert_govuk_page(client.get(reverse("mfa_reauthenticate")), "Confirm it is you")
    assert 'inputmode="numeric"' in html


def test_mfa_sign_in_page(client, signed_in_with_totp):
    client.post(reverse("account_logout"))
    client.post(
        reverse("account_login"), {"login": signed_in_with_totp.email, "password": PASSWORD}
    )
    html = assert_govuk_page(client.get(reverse("mfa_authenticate")), "Enter your security code")
    assert 'autocomplete="one-time-code"' in html
    assert 'inputmode="numeric"' in html
    assert "placeholder=" not in html


FALLBACK_PAGE = """{% extends "allauth/layouts/base.html" %}{% load allauth %}
{% block head_title %}Fallback{% endblock %}
{% block content %}
{% element h1 %}Fallback heading{% endelement %}
{% element form form=form method="post" action="/x/" %}
  {% slot body %}{% element fields form=form %}{% endelement %}{% endslot %}
  {% slot actions %}{% element button type="submit" %}Go{% endelement %}{% endslot %}
{% endelement %}
{% endblock %}
{% block extra_body %}<script>alert(1)</script>{% endblock %}"""


def test_allauth_pages_govhub_does_not_override_still_render_govuk_markup(rf, db):
    """allauth's {% element %} building blocks and layout (e.g. for login by code, if enabled)."""
    from allauth.account.forms import ResetPasswordForm
    from django.contrib.auth.models import AnonymousUser
    from django.template import RequestContext, Template, engines
    from django.template.base import Origin

    request = rf.post("/x/", {"email": "not an address"})
    request.user = AnonymousUser()
    form = ResetPasswordForm(data=request.POST)
    # allauth's {% element %} looks at the template's name to pick a layout.
    template = Template(
        FALLBACK_PAGE,
        origin=Origin(name="fallback", template_name="account/fallback.html"),
        engine=engines["django"].engine,  # type: ignore[attr-defined]
    )
    html = template.render(RequestContext(request, {"form": form}))

    assert '<html lang="en" class="govuk-template">' in html
    assert "<title>Fallback – GovHub</title>" in html
    assert '<h1 class="govuk-heading-l">Fallback heading</h1>' in html
    assert "govuk-error-summary" in html
    assert 'class="govuk-form-group govuk-form-group--error"' in html
    assert 'class="govuk-button"' in html
    assert "alert(1)" not in html  # allauth's inline scripts are dropped
