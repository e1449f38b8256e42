from __future__ import annotations

import pytest

from govhub.challenges import services
from govhub.challenges.models import AwardCriterion
from govhub.challenges.services import CriterionSpec
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed

from .fixtures import first_phase
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db


def _criteria(*weights: int) -> list[dict]:
    return [
        {"name": f"Criterion {n}", "weight": w, "criterion_type": "quality"}
        for n, w in enumerate(weights, 1)
    ]


def test_set_replaces_the_criteria_in_order(buyer, challenge_draft, codelist_entry):
    phase = first_phase(challenge_draft)
    created = services.criteria_set(
        actor=buyer,
        phase=phase,
        criteria=[
            CriterionSpec(
                name="Quality",
                weight=60,
                criterion_type=codelist_entry("award-criterion-type", "quality"),
                gpp_criteria=(codelist_entry("gpp-criteria", "eu"), "national"),
            ),
            {"name": "Price", "weight": 40, "criterion_type": "price"},
        ],
    )
    assert [(c.order, c.name, c.weight) for c in created] == [(1, "Quality", 60), (2, "Price", 40)]
    assert AwardCriterion.objects.filter(phase=phase).count() == 2
    assert sorted(created[0].gpp_criteria.values_list("code", flat=True)) == ["eu", "national"]
    event = last_event()
    assert event.action == "phase.criteria_set"
    assert [c["weight"] for c in event.before["criteria"]] == [50, 30, 20]
    assert [c["type"] for c in event.after["criteria"]] == ["quality", "price"]
    phase.refresh_from_db()
    assert phase.version == 3  # added, criteria set by the fixture, set again here


@pytest.mark.parametrize(("weights", "total"), [((50, 30, 10), 90), ((60, 50), 110), ((99,), 99)])
def test_weights_must_total_exactly_100(buyer, challenge_draft, weights, total):
    phase = first_phase(challenge_draft)
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.criteria_set(actor=buyer, phase=phase, criteria=_criteria(*weights))
    assert caught.value.details["total"] == total
    assert f"add up to {total}%" in caught.value.message
    assert "exactly 100%" in caught.value.message


def test_each_row_is_checked(buyer, challenge_draft):
    phase = first_phase(challenge_draft)
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.criteria_set(
            actor=buyer,
            phase=phase,
            criteria=[
                {"name": "", "weight": 0, "criterion_type": "beauty"},
                {"name": "Ok", "weight": 100, "criterion_type": "quality", "gpp_criteria": ["x"]},
            ],
        )
    rows = caught.value.details["rows"]
    assert set(rows[0]) == {"name", "weight", "criterion_type"}
    assert set(rows[1]) == {"gpp_criteria"}


def test_gpp_none_is_not_a_criterion(buyer, challenge_draft):
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.criteria_set(
            actor=buyer,
            phase=first_phase(challenge_draft),
            criteria=[
                {"name": "A", "weight": 100, "criterion_type": "quality", "gpp_criteria": ["none"]}
            ],
        )


def test_type_from_another_codelist_is_refused(buyer, challenge_draft, codelist_entry):
    with assert_unchanged(), pytest.raises(InvalidInput):
        services.criteria_set(
            actor=buyer,
            phase=first_phase(challenge_draft),
            criteria=[
                {
                    "name": "A",
                    "weight": 100,
                    "criterion_type": codelist_entry("gpp-criteria", "eu"),
                }
            ],
        )


def test_empty_list_removes_the_criteria(buyer, challenge_draft):
    phase = challenge_draft.phases.get(order=2)
    services.criteria_set(actor=buyer, phase=phase, criteria=_criteria(100))
    services.criteria_set(actor=buyer, phase=phase, criteria=[])
    assert not AwardCriterion.objects.filter(phase=phase).exists()


def test_criteria_frozen_once_published(buyer, published_challenge):
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.criteria_set(
            actor=buyer, phase=first_phase(published_challenge), criteria=_criteria(100)
        )


def test_stale_criteria_edit_is_refused(buyer, challenge_draft):
    phase = first_phase(challenge_draft)
    seen = phase.version
    services.criteria_set(actor=buyer, phase=phase, criteria=_criteria(100), version=seen)
    with assert_unchanged(), pytest.raises(Conflict):
        services.criteria_set(actor=buyer, phase=phase, criteria=_criteria(50, 50), version=seen)


@pytest.mark.parametrize("persona", ["cobuyer", "supplier", "outsider"])
def test_only_lead_buyers_set_criteria(request, persona, challenge_draft):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.criteria_set(
            actor=actor, phase=first_phase(challenge_draft), criteria=_criteria(100)
        )
