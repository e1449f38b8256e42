from __future__ import annotations

import pytest
from django.urls import reverse

from govhub.accounts.middleware import request_two_factor_missing
from govhub.accounts.tests.fixtures import give_totp

ACTIVATE = "/accounts/2fa/totp/activate/"


@pytest.fixture
def unprotected_buyer(make_user, add_role):
    user = make_user("buyer-without-2fa@example.eu")
    add_role(user, is_buyer=True)
    return user


def test_buyer_without_totp_is_sent_to_set_it_up(client, unprotected_buyer):
    client.force_login(unprotected_buyer)

    response = client.get(reverse("web:dashboard"), follow=False)

    assert response.status_code == 302
    assert response["Location"] == ACTIVATE
    followed = client.get(response["Location"], follow=True)
    messages = [str(m) for m in followed.context["messages"]]
    assert any("requires two-factor authentication" in m for m in messages)


def test_evaluator_without_totp_is_sent_to_set_it_up(client, make_user, add_role):
    user = make_user()
    add_role(user, is_evaluator=True)
    client.force_login(user)
    assert client.get(reverse("web:home"))["Location"] == ACTIVATE


def test_moderator_without_totp_is_sent_to_set_it_up(client, make_user):
    user = make_user(is_moderator=True)
    client.force_login(user)
    assert client.get(reverse("web:dashboard"))["Location"] == ACTIVATE


def test_plain_user_is_not_redirected(client, make_user):
    client.force_login(make_user())
    assert client.get(reverse("web:dashboard")).status_code == 200


def test_anonymous_visitor_is_not_redirected(client, db):
    assert client.get(reverse("web:home")).status_code == 200


def test_demo_account_in_demo_mode_is_waived_and_told_so(client, make_user, settings):
    settings.GOVHUB_DEMO_MODE = True
    user = make_user(is_moderator=True, is_demo_account=True)
    client.force_login(user)

    response = client.get(reverse("web:dashboard"))

    assert response.status_code == 200
    assert "two-factor authentication is waived for demo accounts" in response.content.decode()


def test_demo_account_outside_demo_mode_is_not_waived(client, make_user, settings):
    settings.GOVHUB_DEMO_MODE = False
    user = make_user(is_moderator=True, is_demo_account=True)
    client.force_login(user)
    assert client.get(reverse("web:dashboard"))["Location"] == ACTIVATE


def test_buyer_gets_through_once_totp_is_on(client, unprotected_buyer):
    client.force_login(unprotected_buyer)
    assert client.get(reverse("web:dashboard")).status_code == 302

    give_totp(unprotected_buyer)

    response = client.get(reverse("web:dashboard"))
    assert response.status_code == 200
    assert response.context["has_two_factor"] is True


@pytest.mark.parametrize(
    "path",
    [
        "/accounts/2fa/",
        "/accounts/2fa/totp/activate/",
        "/accounts/logout/",
        "/accounts/reauthenticate/",
        "/health/",
        "/fr/accounts/2fa/",
        "/de/accounts/logout/",
    ],
)
def test_two_factor_pages_sign_out_and_health_stay_reachable(client, unprotected_buyer, path):
    client.force_login(unprotected_buyer)
    response = client.get(path)
    assert not (response.status_code == 302 and response["Location"].endswith(ACTIVATE))


def test_signing_out_works_without_totp(client, unprotected_buyer):
    client.force_login(unprotected_buyer)
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    assert "_auth_user_id" not in client.session


def test_static_files_are_not_redirected(client, unprotected_buyer):
    client.force_login(unprotected_buyer)
    response = client.get("/static/web/govhub.mjs")
    assert not (response.status_code == 302 and ACTIVATE in response.get("Location", ""))


def test_language_prefixed_pages_redirect_to_the_same_language(client, unprotected_buyer):
    client.force_login(unprotected_buyer)
    response = client.get("/fr/dashboard/")
    assert response.status_code == 302
    assert response["Location"] == "/fr" + ACTIVATE


def test_htmx_request_gets_a_client_side_redirect(client, unprotected_buyer):
    client.force_login(unprotected_buyer)

    response = client.get(reverse("web:dashboard"), headers={"HX-Request": "true"})

    assert response.status_code == 200
    assert response["HX-Redirect"] == ACTIVATE


def test_answer_is_computed_once_per_request(rf, make_user, add_role, django_assert_num_queries):
    user = make_user()
    add_role(user, is_buyer=True)
    request = rf.get("/")
    request.user = user

    with django_assert_num_queries(2):  # the role, then the authenticator app
        assert request_two_factor_missing(request) is True
    with django_assert_num_queries(0):
        assert request_two_factor_missing(request) is True
