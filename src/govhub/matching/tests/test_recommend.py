"""Recommendations on real imported notices: who could answer, what a company could win,
similar needs; each says why, and nothing unpublished is ever recommended."""

from __future__ import annotations

import pytest

from govhub.matching import recommend, selectors
from govhub.opportunities.models import ExternalAwardWinner
from govhub.search.indexing import reindex

pytestmark = pytest.mark.django_db


@pytest.mark.shared_data
def test_companies_for_a_construction_challenge_say_why(indexed_notices: None) -> None:
    recs = recommend.companies_for(
        title="Extension of a student residence",
        body="Construction works for a new student residence building.",
        cpv_codes=["45211340"],
    )
    assert recs
    assert all(r.reasons for r in recs)
    assert any("won" in reason for r in recs for reason in r.reasons)
    assert all(r.kind == "organisation" for r in recs)


@pytest.mark.shared_data
def test_similar_opportunities_give_cpv_reasons(indexed_notices: None) -> None:
    recs = recommend.similar_documents(
        kind="opportunity",
        title="Neubau Studentenwohnhaus",
        body="Trockenbauarbeiten",
        cpv_codes=["45421141"],
    )
    assert recs
    assert any("CPV" in reason for r in recs for reason in r.reasons)


@pytest.mark.shared_data
def test_opportunities_for_a_past_winner(indexed_notices: None) -> None:
    winner = ExternalAwardWinner.objects.exclude(organisation=None).first()
    assert winner is not None
    recs = recommend.opportunities_for_company(winner.organisation)
    assert all(r.kind == "opportunity" for r in recs)


def test_need_panel_recommends_published_needs_only(
    make_need, published_need, cobuyer, second_authority
) -> None:
    # At another authority: the panel lists needs to pool with elsewhere, not the buyer's own.
    twin = make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Real-time occupancy of car parks",
        problem="We do not know how full our car parks are.",
        cpv_codes=["72212000"],
        publish=True,
    )
    make_need(
        actor=cobuyer,
        authority=second_authority,
        title="Draft car parks occupancy",
        cpv_codes=["72212000"],
    )
    reindex()
    panel = selectors.need_panel(published_need)
    items = [item for group in panel.groups for item in group.items]
    titles = [item.title for item in items]
    reasons = [reason for item in items for reason in item.reasons]
    assert twin.title in titles
    assert "Draft car parks occupancy" not in titles
    assert "same CPV class 7221" in reasons
    needs = next(group for group in panel.groups if group.key == "needs")
    assert [item.public_id for item in needs.items] == [str(twin.public_id)]
    assert needs.items[0].url == f"/needs/{twin.public_id}/"
