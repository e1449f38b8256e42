from __future__ import annotations

from django.contrib.auth.models import AnonymousUser

from govhub.accounts.selectors import two_factor_missing, two_factor_waived, user_has_totp
from govhub.accounts.tests.fixtures import give_totp


def test_plain_user_does_not_need_two_factor(make_user, django_assert_num_queries):
    user = make_user()
    with django_assert_num_queries(1):
        assert two_factor_missing(user) is False


def test_anonymous_visitor_needs_nothing(db, django_assert_num_queries):
    with django_assert_num_queries(0):
        assert two_factor_missing(AnonymousUser()) is False


def test_member_without_buyer_or_evaluator_role_does_not_need_it(make_user, add_role):
    user = make_user()
    add_role(user, is_admin=True)
    assert two_factor_missing(user) is False


def test_buyer_without_totp_is_missing_it(make_user, add_role, django_assert_num_queries):
    user = make_user()
    add_role(user, is_buyer=True)
    with django_assert_num_queries(2):
        assert two_factor_missing(user) is True


def test_evaluator_without_totp_is_missing_it(make_user, add_role):
    user = make_user()
    add_role(user, is_evaluator=True)
    assert two_factor_missing(user) is True


def test_moderator_without_totp_is_missing_it_in_one_query(make_user, django_assert_num_queries):
    user = make_user(is_moderator=True)
    with django_assert_num_queries(1):
        assert two_factor_missing(user) is True


def test_buyer_with_totp_is_not_missing_it(make_user, add_role):
    user = make_user()
    add_role(user, is_buyer=True)
    give_totp(user)
    assert user_has_totp(user=user) is True
    assert two_factor_missing(user) is False


def test_recovery_codes_alone_are_not_an_authenticator_app(make_user):
    from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes

    user = make_user(is_moderator=True)
    RecoveryCodes.activate(user)
    assert two_factor_missing(user) is True


def test_demo_account_is_waived_only_in_demo_mode(make_user, settings, django_assert_num_queries):
    user = make_user(is_moderator=True, is_demo_account=True)

    settings.GOVHUB_DEMO_MODE = True
    assert two_factor_waived(user=user) is True
    with django_assert_num_queries(0):
        assert two_factor_missing(user) is False

    settings.GOVHUB_DEMO_MODE = False
    assert two_factor_waived(user=user) is False
    assert two_factor_missing(user) is True


def test_demo_mode_does_not_waive_real_accounts(make_user, settings):
    settings.GOVHUB_DEMO_MODE = True
    user = make_user(is_moderator=True)
    assert two_factor_missing(user) is True
