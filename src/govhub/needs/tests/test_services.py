from __future__ import annotations

from decimal import Decimal

import pytest
from django.contrib.auth.models import AnonymousUser
from django.db import transaction

from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.needs import services
from govhub.needs.models import InnovationNeed, InterestStatus, NeedInterest, NeedStatus
from govhub.organisations import services as org_services

from .fixtures import PARKING_TITLE, cpv
from .helpers import assert_unchanged, last_event

REFUSED_CREATORS = [
    "outsider",
    "supplier",
    "authority_admin",  # an administrator, but not a buyer
    "moderator",
    "cobuyer",  # a buyer of another authority
]


def reload(need: InnovationNeed) -> InnovationNeed:
    return InnovationNeed.objects.get(pk=need.pk)


# --- need_create ---------------------------------------------------------------------------


def test_buyer_drafts_a_need(buyer, authority, org_reference):
    need = services.need_create(
        actor=buyer,
        authority=authority,
        title="  Smarter street lighting  ",
        problem="Lights burn all night in empty streets.",
        cpv_codes=[cpv("34996000"), cpv("72212000"), cpv("34996000")],
        nuts_region=org_reference.brussels,
        currency="eur",
        budget_min="1000",
        budget_max=Decimal("2000.005"),
        open_to_pooling=False,
    )
    need = reload(need)
    assert need.status == NeedStatus.DRAFT
    assert need.title == "Smarter street lighting"
    assert need.created_by == buyer
    assert need.authority == authority
    assert need.currency == "EUR"
    assert need.budget_min == Decimal("1000.00")
    assert need.budget_max == Decimal("2000.01")
    assert need.published_at is None
    assert need.version == 1
    assert sorted(c.code for c in need.cpv_codes.all()) == ["34996000-5", "72212000-4"]
    event = last_event()
    assert event.action == "need.create"
    assert event.object_id == str(need.public_id)
    assert event.organisation_id == authority.public_id
    assert event.actor == buyer
    assert event.after["status"] == "draft"
    assert event.after["cpv_codes"] == ["34996000-5", "72212000-4"]
    assert event.after["nuts_region"] == "BE100"
    assert event.after["budget_max"] == "2000.01"


def test_a_draft_may_be_incomplete(buyer, authority):
    need = services.need_create(actor=buyer, authority=authority, title="Idea")
    assert need.problem == ""
    assert list(need.cpv_codes.all()) == []


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"title": "   "}, "title"),
        ({"title": "x" * 301}, "title"),
        ({"budget_min": 5000, "budget_max": 4000}, "budget_max"),
        ({"budget_min": -1}, "budget_min"),
        ({"budget_max": "lots"}, "budget_max"),
        ({"budget_max": Decimal(10) ** 12}, "budget_max"),
        ({"currency": "XYZ"}, "currency"),
        ({"currency": ""}, "currency"),
        ({"cpv_codes": ["72212000"]}, "cpv_codes"),  # text, not a CpvCode
        ({"nuts_region": "BE100"}, "nuts_region"),
    ],
)
def test_create_refuses_bad_input(buyer, authority, fields, field):
    values = {"title": "A need", **fields}
    with assert_unchanged(), pytest.raises(InvalidInput) as error:
        services.need_create(actor=buyer, authority=authority, **values)
    assert field in error.value.field_errors


@pytest.mark.parametrize("persona", REFUSED_CREATORS)
def test_only_buyers_of_the_authority_create(request, authority, persona):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_create(actor=actor, authority=authority, title="A need")


def test_anonymous_cannot_create(authority):
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_create(actor=AnonymousUser(), authority=authority, title="A need")


def test_buyer_of_unverified_authority_cannot_create(unverified_buyer, unverified_authority):
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_create(actor=unverified_buyer, authority=unverified_authority, title="A need")


def test_buyer_of_suspended_authority_cannot_create(buyer, authority, moderator):
    org_services.organisation_suspend(actor=moderator, organisation=authority, reason="Audit")
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_create(actor=buyer, authority=authority, title="A need")


# --- need_update ---------------------------------------------------------------------------


def test_update_changes_only_what_is_given_and_audits_it(buyer, draft_need):
    services.need_update(
        actor=buyer, need=draft_need, version=1, title="Fewer missed bins", budget_max=900
    )
    need = reload(draft_need)
    assert need.title == "Fewer missed bins"
    assert need.budget_max == Decimal("900.00")
    assert [c.digits for c in need.cpv_codes.all()] == ["90511000"]
    assert need.version == 2
    assert draft_need.version == 2  # the caller's instance follows
    event = last_event()
    assert event.action == "need.update"
    assert event.before == {
        "status": "draft",
        "title": "Fewer missed waste collections",
        "budget_max": None,
    }
    assert event.after == {"status": "draft", "title": "Fewer missed bins", "budget_max": "900.00"}


def test_update_replaces_cpv_codes(buyer, draft_need):
    services.need_update(
        actor=buyer, need=draft_need, version=1, cpv_codes=[cpv("72212000"), cpv("48000000")]
    )
    assert sorted(c.digits for c in reload(draft_need).cpv_codes.all()) == [
        "48000000",
        "72212000",
    ]
    assert last_event().after["cpv_codes"] == ["48000000-8", "72212000-4"]


def test_update_without_a_change_writes_nothing(buyer, draft_need):
    with assert_unchanged():
        services.need_update(actor=buyer, need=draft_need, version=1, title=draft_need.title)


def test_stale_version_is_refused(buyer, draft_need):
    services.need_update(actor=buyer, need=draft_need, version=1, title="First")
    with assert_unchanged(), pytest.raises(Conflict) as error:
        services.need_update(actor=buyer, need=draft_need, version=1, title="Second")
    assert error.value.code == "stale_version"
    assert reload(draft_need).title == "First"


def test_two_buyers_editing_at_once_do_not_overwrite_each_other(buyer, colleague_buyer, draft_need):
    # Both open the edit form on version 1.
    mine = InnovationNeed.objects.get(pk=draft_need.pk)
    theirs = InnovationNeed.objects.get(pk=draft_need.pk)
    services.need_update(
        actor=colleague_buyer, need=theirs, version=1, problem="Their problem text"
    )
    with assert_unchanged(), pytest.raises(Conflict):
        services.need_update(actor=buyer, need=mine, version=1, problem="My problem text")
    assert reload(draft_need).problem == "Their problem text"


def test_published_edit_is_audited_with_before_and_after(buyer, published_need):
    services.need_update(
        actor=buyer, need=published_need, version=published_need.version, budget_max=300000
    )
    event = last_event()
    assert event.action == "need.update"
    assert event.before == {"status": "published", "budget_max": "250000.00"}
    assert event.after == {"status": "published", "budget_max": "300000.00"}
    assert reload(published_need).status == NeedStatus.PUBLISHED


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({"problem": ""}, "problem"),
        ({"cpv_codes": []}, "cpv_codes"),
        ({"budget_min": 300000}, "budget_max"),
        ({"title": ""}, "title"),
    ],
)
def test_a_published_need_stays_publishable(buyer, published_need, fields, field):
    with assert_unchanged(), pytest.raises(InvalidInput) as error:
        services.need_update(
            actor=buyer, need=published_need, version=published_need.version, **fields
        )
    assert field in error.value.field_errors


def test_withdrawn_need_cannot_be_changed(buyer, published_need):
    services.need_withdraw(actor=buyer, need=published_need, reason="Budget cut")
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.need_update(
            actor=buyer, need=published_need, version=published_need.version, title="Again"
        )


def test_converted_need_cannot_be_changed(buyer, published_need):
    with transaction.atomic():
        services.mark_converted(published_need)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.need_update(
            actor=buyer, need=published_need, version=published_need.version, title="Again"
        )


@pytest.mark.parametrize("persona", [*REFUSED_CREATORS, "unverified_buyer"])
def test_only_buyers_of_the_authority_update(request, draft_need, persona):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_update(actor=actor, need=draft_need, version=1, title="Mine now")


# --- need_publish --------------------------------------------------------------------------


def test_publish(buyer, draft_need, authority):
    services.need_publish(actor=buyer, need=draft_need, version=1)
    need = reload(draft_need)
    assert need.status == NeedStatus.PUBLISHED
    assert need.published_at is not None
    assert need.version == 2
    assert draft_need.status == NeedStatus.PUBLISHED
    event = last_event()
    assert event.action == "need.publish"
    assert event.organisation_id == authority.public_id
    assert event.before == {"status": "draft"}
    assert event.after["status"] == "published"
    assert event.after["cpv_codes"] == ["90511000-2"]


@pytest.mark.parametrize(
    ("fields", "missing"),
    [
        ({"problem": ""}, {"problem"}),
        ({"cpv_codes": ()}, {"cpv_codes"}),
        ({"problem": "", "cpv_codes": ()}, {"problem", "cpv_codes"}),
    ],
)
def test_publish_needs_a_problem_and_a_cpv_code(buyer, make_need, fields, missing):
    need = make_need(**fields)
    with assert_unchanged(), pytest.raises(InvalidInput) as error:
        services.need_publish(actor=buyer, need=need)
    assert set(error.value.field_errors) == missing
    assert reload(need).status == NeedStatus.DRAFT


def test_publish_checks_the_currency_again(buyer, draft_need):
    # A currency that left the codelist after the draft was saved.
    InnovationNeed.objects.filter(pk=draft_need.pk).update(currency="XEU")
    with assert_unchanged(), pytest.raises(InvalidInput) as error:
        services.need_publish(actor=buyer, need=draft_need)
    assert "currency" in error.value.field_errors


def test_publish_twice_is_refused(buyer, published_need):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.need_publish(actor=buyer, need=published_need)


def test_publish_refuses_a_stale_version(buyer, draft_need):
    services.need_update(actor=buyer, need=draft_need, version=1, title="Changed")
    with assert_unchanged(), pytest.raises(Conflict):
        services.need_publish(actor=buyer, need=draft_need, version=1)


def test_suspended_authority_cannot_publish(buyer, draft_need, authority, moderator):
    org_services.organisation_suspend(actor=moderator, organisation=authority, reason="Audit")
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_publish(actor=buyer, need=draft_need)


@pytest.mark.parametrize("persona", [*REFUSED_CREATORS, "unverified_buyer"])
def test_only_buyers_of_the_authority_publish(request, draft_need, persona):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_publish(actor=actor, need=draft_need)


# --- need_withdraw -------------------------------------------------------------------------


def test_withdraw_a_published_need_needs_a_reason(buyer, published_need):
    with assert_unchanged(), pytest.raises(InvalidInput) as error:
        services.need_withdraw(actor=buyer, need=published_need, reason="  ")
    assert "reason" in error.value.field_errors


def test_withdraw_a_published_need(buyer, published_need):
    services.need_withdraw(actor=buyer, need=published_need, reason=" The budget was cut. ")
    need = reload(published_need)
    assert need.status == NeedStatus.WITHDRAWN
    assert need.withdrawal_reason == "The budget was cut."
    assert need.withdrawn_at is not None
    event = last_event()
    assert event.action == "need.withdraw"
    assert event.before == {"status": "published"}
    assert event.after == {"status": "withdrawn", "reason": "The budget was cut."}


def test_withdraw_a_draft_without_reason(buyer, draft_need):
    services.need_withdraw(actor=buyer, need=draft_need)
    assert reload(draft_need).status == NeedStatus.WITHDRAWN


def test_withdraw_twice_is_refused(buyer, draft_need):
    services.need_withdraw(actor=buyer, need=draft_need)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.need_withdraw(actor=buyer, need=draft_need, reason="Again")


def test_withdraw_refuses_a_stale_version(buyer, published_need):
    with assert_unchanged(), pytest.raises(Conflict):
        services.need_withdraw(actor=buyer, need=published_need, reason="Cut", version=1)


def test_converted_need_cannot_be_withdrawn(buyer, published_need):
    with transaction.atomic():
        services.mark_converted(published_need)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.need_withdraw(actor=buyer, need=published_need, reason="Too late")


@pytest.mark.parametrize("persona", [*REFUSED_CREATORS, "unverified_buyer"])
def test_only_buyers_of_the_authority_withdraw(request, published_need, persona):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_withdraw(actor=actor, need=published_need, reason="Not mine")


# --- mark_converted ------------------------------------------------------------------------


def test_mark_converted_moves_a_published_need_without_its_own_audit_event(published_need):
    events_before = last_event().pk
    with transaction.atomic():
        services.mark_converted(published_need)
    need = reload(published_need)
    assert need.status == NeedStatus.CONVERTED
    assert need.converted_at is not None
    assert need.version == published_need.version == 3
    assert published_need.status == NeedStatus.CONVERTED
    # The challenges service that calls it writes the one event for the whole step.
    assert last_event().pk == events_before


def test_mark_converted_refuses_a_draft(draft_need):
    with assert_unchanged(), pytest.raises(InvalidTransition), transaction.atomic():
        services.mark_converted(draft_need)


def test_mark_converted_outside_a_transaction_is_a_programming_error():
    # No database here: the guard fires before any query.
    with pytest.raises(RuntimeError):
        services.mark_converted(InnovationNeed())


# --- pooling: need_express_interest / need_withdraw_interest -------------------------------


def test_cobuyer_expresses_interest(cobuyer, second_authority, published_need):
    interest = services.need_express_interest(
        actor=cobuyer,
        need=published_need,
        authority=second_authority,
        quantity=" 40 car parks ",
        budget_share="80000",
        note="Lisbon would join.",
    )
    interest.refresh_from_db()
    assert interest.status == InterestStatus.ACTIVE
    assert interest.quantity == "40 car parks"
    assert interest.budget_share == Decimal("80000.00")
    assert interest.expressed_by == cobuyer
    event = last_event()
    assert event.action == "need.interest_express"
    assert event.organisation_id == second_authority.public_id
    assert event.before is None
    assert event.after == {
        "need": str(published_need.public_id),
        "authority": str(second_authority.public_id),
        "status": "active",
        "quantity": "40 car parks",
        "budget_share": "80000.00",
        "note": "Lisbon would join.",
    }


@pytest.mark.parametrize(
    ("fields", "field"),
    [
        ({}, "quantity"),
        ({"quantity": "   "}, "quantity"),
        ({"budget_share": -5}, "budget_share"),
        ({"budget_share": "much"}, "budget_share"),
        ({"quantity": "x" * 201}, "quantity"),
    ],
)
def test_interest_refuses_bad_input(cobuyer, second_authority, published_need, fields, field):
    with assert_unchanged(), pytest.raises(InvalidInput) as error:
        services.need_express_interest(
            actor=cobuyer, need=published_need, authority=second_authority, **fields
        )
    assert field in error.value.field_errors


def test_interest_with_only_a_budget_share(cobuyer, second_authority, published_need):
    interest = services.need_express_interest(
        actor=cobuyer, need=published_need, authority=second_authority, budget_share=0
    )
    assert interest.budget_share == Decimal("0.00")


def test_own_authority_cannot_express_interest(buyer, authority, published_need):
    with assert_unchanged(), pytest.raises(NotAllowed) as error:
        services.need_express_interest(
            actor=buyer, need=published_need, authority=authority, quantity="10"
        )
    assert error.value.code == "own_need"


@pytest.mark.parametrize(
    "persona", ["outsider", "supplier", "moderator", "buyer", "second_authority_admin"]
)
def test_only_buyers_of_the_other_authority_express_interest(
    request, second_authority, published_need, persona
):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_express_interest(
            actor=actor, need=published_need, authority=second_authority, quantity="10"
        )


def test_unverified_authority_cannot_express_interest(
    unverified_buyer, unverified_authority, published_need
):
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_express_interest(
            actor=unverified_buyer,
            need=published_need,
            authority=unverified_authority,
            quantity="10",
        )


def test_interest_only_in_a_published_need(cobuyer, second_authority, draft_need, buyer):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.need_express_interest(
            actor=cobuyer, need=draft_need, authority=second_authority, quantity="10"
        )
    services.need_withdraw(actor=buyer, need=draft_need)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.need_express_interest(
            actor=cobuyer, need=draft_need, authority=second_authority, quantity="10"
        )


def test_interest_only_when_open_to_pooling(cobuyer, second_authority, make_need):
    need = make_need(title="Alone", open_to_pooling=False, publish=True)
    with assert_unchanged(), pytest.raises(NotAllowed) as error:
        services.need_express_interest(
            actor=cobuyer, need=need, authority=second_authority, quantity="10"
        )
    assert error.value.code == "not_open_to_pooling"


def test_one_active_interest_per_authority(cobuyer, second_authority, published_need):
    services.need_express_interest(
        actor=cobuyer, need=published_need, authority=second_authority, quantity="10"
    )
    with assert_unchanged(), pytest.raises(Conflict):
        services.need_express_interest(
            actor=cobuyer, need=published_need, authority=second_authority, quantity="20"
        )


def test_withdraw_interest_then_express_it_again(cobuyer, second_authority, published_need):
    interest = services.need_express_interest(
        actor=cobuyer, need=published_need, authority=second_authority, quantity="10"
    )
    services.need_withdraw_interest(actor=cobuyer, interest=interest)
    interest.refresh_from_db()
    assert interest.status == InterestStatus.WITHDRAWN
    assert interest.withdrawn_at is not None
    event = last_event()
    assert event.action == "need.interest_withdraw"
    assert event.before["status"] == "active"
    assert event.after["status"] == "withdrawn"

    again = services.need_express_interest(
        actor=cobuyer, need=published_need, authority=second_authority, budget_share=5000
    )
    assert again.pk == interest.pk
    again.refresh_from_db()
    assert again.status == InterestStatus.ACTIVE
    assert again.withdrawn_at is None
    assert again.quantity == ""
    assert again.budget_share == Decimal("5000.00")
    event = last_event()
    assert event.before["status"] == "withdrawn"
    assert event.after["status"] == "active"
    assert NeedInterest.objects.count() == 1


@pytest.mark.parametrize("persona", ["buyer", "outsider", "supplier", "moderator"])
def test_only_buyers_of_the_interested_authority_withdraw_it(
    request, cobuyer, second_authority, published_need, persona
):
    interest = services.need_express_interest(
        actor=cobuyer, need=published_need, authority=second_authority, quantity="10"
    )
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.need_withdraw_interest(actor=actor, interest=interest)


def test_withdraw_interest_twice_is_refused(cobuyer, second_authority, published_need):
    interest = services.need_express_interest(
        actor=cobuyer, need=published_need, authority=second_authority, quantity="10"
    )
    services.need_withdraw_interest(actor=cobuyer, interest=interest)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.need_withdraw_interest(actor=cobuyer, interest=interest)


def test_interest_is_bound_once_the_need_is_a_challenge(cobuyer, second_authority, published_need):
    interest = services.need_express_interest(
        actor=cobuyer, need=published_need, authority=second_authority, quantity="10"
    )
    with transaction.atomic():
        services.mark_converted(published_need)
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.need_withdraw_interest(actor=cobuyer, interest=interest)


def test_fixture_need_is_published(published_need):
    assert published_need.status == NeedStatus.PUBLISHED
    assert published_need.title == PARKING_TITLE
