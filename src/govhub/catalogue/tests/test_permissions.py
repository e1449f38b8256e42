"""The catalogue's pure predicates, persona by persona."""

from __future__ import annotations

import pytest

from govhub.catalogue import permissions, services
from govhub.organisations import services as org_services

pytestmark = pytest.mark.django_db


def test_provider_members_manage_and_moderators_moderate(
    draft_solution, supplier, outsider, moderator, buyer
):
    assert permissions.can_manage(supplier, draft_solution)
    assert permissions.can_edit(supplier, draft_solution)
    assert permissions.can_propose(supplier, draft_solution)
    for user in (outsider, buyer, moderator):
        assert not permissions.can_manage(user, draft_solution)
    assert not permissions.can_view(outsider, draft_solution)
    assert permissions.can_view(moderator, draft_solution)
    assert not permissions.can_publish(moderator, draft_solution)
    services.solution_propose(actor=supplier, solution=draft_solution)
    assert permissions.can_publish(moderator, draft_solution)
    assert not permissions.can_publish(supplier, draft_solution)
    assert not permissions.can_edit(supplier, draft_solution)
    assert permissions.can_withdraw_proposal(supplier, draft_solution)


def test_suspension_removes_the_provider_rights(draft_solution, supplier, company, moderator):
    org_services.organisation_suspend(actor=moderator, organisation=company, reason="Check.")
    draft_solution.provider.refresh_from_db()
    assert not permissions.can_manage(supplier, draft_solution)


def test_adopters_and_reviewers(published_solution, buyer, authority, supplier, cobuyer):
    assert permissions.can_adopt_for(buyer, authority)
    assert not permissions.can_adopt_for(supplier, authority)
    assert not permissions.can_adopt_for(cobuyer, authority)
    adoption = services.adoption_record(
        actor=buyer, solution=published_solution, authority=authority
    )
    assert permissions.can_review(buyer, adoption)
    assert not permissions.can_review(supplier, adoption)
    assert not permissions.can_review(cobuyer, adoption)
    assert permissions.is_public(published_solution)
