"""The pure predicates: who runs, moderates, may take part, edit, answer."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govhub.organisations.models import OrganisationKind
from govhub.participation import permissions, services
from govhub.participation.models import Eligibility

pytestmark = pytest.mark.django_db


def test_roles(open_process, buyer, moderator, cleo, cobuyer, authority_admin):
    assert permissions.can_manage(buyer, open_process)
    assert not permissions.can_manage(authority_admin, open_process)  # member, not buyer
    assert not permissions.can_manage(cobuyer, open_process)
    assert permissions.can_moderate(moderator, open_process)
    assert permissions.can_moderate(buyer, open_process)
    assert not permissions.can_moderate(cleo, open_process)
    assert permissions.can_close(buyer, open_process)
    assert not permissions.can_open(buyer, open_process)


def test_anonymous_may_read_but_not_take_part(open_process, cleo, make_idea):
    from django.contrib.auth.models import AnonymousUser

    anonymous = AnonymousUser()
    idea = make_idea(cleo, open_process)
    assert permissions.can_view(anonymous, open_process)
    assert not permissions.is_eligible(anonymous, open_process)
    assert not permissions.can_comment(anonymous, idea)
    assert not permissions.can_support(anonymous, idea)
    assert not permissions.can_report(anonymous, idea)


def test_phase_windows(make_process):
    today = timezone.localdate()
    process = make_process(
        phases=[
            ("ideas", today - dt.timedelta(days=10), today - dt.timedelta(days=1)),
            ("support", today, today + dt.timedelta(days=5)),
        ]
    )
    assert not permissions.accepts_ideas(process)
    assert permissions.accepts_comments(process)
    assert permissions.accepts_supports(process)


def test_residents_nest_by_prefix(make_process, cleo, reference_data):
    from govhub.reference.models import NutsRegion

    belgium_region = NutsRegion.objects.get(code="BE100")
    process = make_process(
        eligibility=Eligibility.RESIDENTS,
        nuts_regions=[NutsRegion.objects.get(code="BE10")],
    )
    assert not permissions.is_eligible(cleo, process)
    services.profile_save(actor=cleo, pseudonym="Cleo", nuts_region=belgium_region)
    cleo.refresh_from_db()
    assert permissions.is_eligible(cleo, process)


def test_author_edit_and_support_rules(open_process, cleo, nico, buyer, make_idea):
    idea = make_idea(cleo, open_process)
    assert permissions.can_edit_idea(cleo, idea)
    assert not permissions.can_edit_idea(nico, idea)
    assert not permissions.can_support(cleo, idea)
    assert permissions.can_support(nico, idea)
    services.idea_answer(actor=buyer, idea=idea, state="rejected", text="No")
    assert not permissions.can_edit_idea(cleo, idea)
    assert permissions.can_answer(buyer, idea)
    assert not permissions.can_merge(buyer, idea)  # answered ideas are not merged


def test_intermediary_must_be_verified(authority, buyer, make_organisation, make_user):
    staff = make_user("lab2@example.eu")
    lab = make_organisation(OrganisationKind.INTERMEDIARY, admin=staff)  # not verified
    process = services.process_create(
        actor=buyer,
        authority=authority,
        title="T",
        scope="S",
        goals="G",
        commitment="C",
        phases=[("ideas", timezone.localdate(), timezone.localdate())],
    )
    process.intermediary = lab
    assert not permissions.can_manage(staff, process)
