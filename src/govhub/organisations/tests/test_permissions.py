from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from govhub.organisations import permissions, services

from .fixtures import membership

pytestmark = pytest.mark.django_db


def test_publish_and_evaluate_need_a_verified_authority_and_the_role(
    authority, buyer, authority_admin, outsider, supplier, moderator
):
    assert permissions.can_publish_for(buyer, authority)
    assert not permissions.can_evaluate_for(buyer, authority)
    # Administering is not buying: the admin has no buyer role.
    assert not permissions.can_publish_for(authority_admin, authority)
    for person in (outsider, supplier, moderator, AnonymousUser()):
        assert not permissions.can_publish_for(person, authority)
        assert not permissions.can_evaluate_for(person, authority)


def test_evaluator_evaluates(authority, authority_admin, buyer):
    services.membership_set_roles(
        actor=authority_admin,
        membership=membership(buyer, authority),
        is_admin=False,
        is_buyer=True,
        is_evaluator=True,
    )
    assert permissions.can_evaluate_for(buyer, authority)


def test_a_suspended_authority_has_no_capabilities(authority, buyer, moderator):
    services.organisation_suspend(actor=moderator, organisation=authority, reason="Audit")
    assert membership(buyer, authority).is_buyer
    assert not permissions.can_publish_for(buyer, authority)
    assert not permissions.can_evaluate_for(buyer, authority)


def test_roles_in_a_company_never_publish(company, supplier):
    assert not permissions.can_publish_for(supplier, company)


def test_an_inactive_buyer_has_no_rights(authority, buyer):
    buyer.is_active = False
    buyer.save()
    assert not permissions.can_publish_for(buyer, authority)


def test_admin_rights(authority, authority_admin, buyer, outsider, moderator):
    assert permissions.can_edit(authority_admin, authority)
    assert permissions.can_manage_members(authority_admin, authority)
    for person in (buyer, outsider, moderator, AnonymousUser()):
        assert not permissions.can_edit(person, authority)
        assert not permissions.can_manage_members(person, authority)


def test_audit_visibility(authority, authority_admin, buyer, moderator, outsider):
    assert permissions.can_view_audit_for(authority_admin, authority)
    assert permissions.can_view_audit_for(moderator, authority)
    assert not permissions.can_view_audit_for(buyer, authority)
    assert not permissions.can_view_audit_for(outsider, authority)


def test_can_moderate(moderator, outsider):
    assert permissions.can_moderate(moderator)
    assert not permissions.can_moderate(outsider)
    assert not permissions.can_moderate(AnonymousUser())
    moderator.is_active = False
    assert not permissions.can_moderate(moderator)


def test_who_may_ask_to_join(authority, buyer, outsider):
    assert permissions.can_request_to_join(outsider, authority)
    assert not permissions.can_request_to_join(buyer, authority)
    assert not permissions.can_request_to_join(AnonymousUser(), authority)
    assert permissions.can_create_organisation(outsider)
    assert not permissions.can_create_organisation(AnonymousUser())
