"""Service rules of the catalogue: each rule, each refusal, and nothing changed on refusal."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from govhub.catalogue import services, spdx
from govhub.catalogue.models import (
    Adoption,
    AdoptionStatus,
    ModerationStep,
    Review,
    Solution,
    SolutionStatus,
    SolutionTranslation,
)
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition, NotAllowed
from govhub.core.models import AuditEvent
from govhub.organisations import services as org_services
from govhub.organisations.models import OrganisationKind
from govhub.reference.models import NutsRegion

pytestmark = pytest.mark.django_db


def _events(action: str) -> int:
    return AuditEvent.objects.filter(action=action).count()


# SPDX ----------------------------------------------------------------------------------------


def test_spdx_ids_are_normalised_and_open_source_is_derived():
    assert spdx.normalise("mit") == "MIT"
    assert spdx.normalise("GPL-3.0-or-later WITH Classpath-exception-2.0")
    assert spdx.is_open_source("EUPL-1.2")
    assert spdx.is_open_source("MIT OR BUSL-1.1")
    assert not spdx.is_open_source("MIT AND BUSL-1.1")
    assert not spdx.is_open_source("LicenseRef-Proprietary")
    assert spdx.normalise("Not-A-Licence") is None


# Entries -------------------------------------------------------------------------------------


def test_member_drafts_an_incomplete_entry(supplier, company):
    solution = services.solution_create(actor=supplier, provider=company, name="Just a name")
    assert solution.status == SolutionStatus.DRAFT
    assert solution.created_by == supplier
    assert _events("solution.create") == 1


def test_draft_licence_derives_open_source(supplier, company, org_reference):
    solution = services.solution_create(
        actor=supplier, provider=company, name="Open", licence="eupl-1.2"
    )
    assert solution.licence == "EUPL-1.2"
    assert solution.is_open_source
    closed = services.solution_create(
        actor=supplier, provider=company, name="Closed", licence="LicenseRef-Proprietary"
    )
    assert not closed.is_open_source


@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("licence", "Not-A-Licence"),
        ("trl", 12),
        ("energy_efficiency_label", "NOPE"),
        ("environmental_impacts", ["nope"]),
        ("gpp_criteria", ["nope"]),
        ("supported_languages", ["xx-yy"]),
        ("hosting_renewable_share", 140),
        ("hosting_pue", "0.5"),
        ("contact_email", "not-an-email"),
        ("categories", ["nope"]),
        ("delivery_model", "rental"),
    ],
)
def test_malformed_facts_are_refused_even_in_drafts(supplier, company, field, value):
    with pytest.raises(InvalidInput) as caught:
        services.solution_create(actor=supplier, provider=company, name="X", **{field: value})
    assert field in caught.value.field_errors
    assert not Solution.objects.exists()


def test_sustainability_codes_come_from_the_eforms_codelists(supplier, company):
    solution = services.solution_create(
        actor=supplier,
        provider=company,
        name="Green",
        energy_efficiency_label="ENERA",
        environmental_impacts=["biodiv-eco"],
        gpp_criteria=["eu"],
        hosting_renewable_share=100,
        hosting_pue="1.2",
    )
    assert solution.energy_efficiency_label == "ENERA"
    assert str(solution.hosting_pue) == "1.20"


def test_open_source_delivery_needs_an_open_source_licence(supplier, company):
    with pytest.raises(InvalidInput) as caught:
        services.solution_create(
            actor=supplier,
            provider=company,
            name="X",
            delivery_model="open_source",
            licence="LicenseRef-Proprietary",
        )
    assert "licence" in caught.value.field_errors


def test_outsider_cannot_create_for_an_organisation(outsider, company):
    with pytest.raises(NotAllowed):
        services.solution_create(actor=outsider, provider=company, name="X")
    assert not Solution.objects.exists()


def test_research_and_civil_society_do_not_publish_solutions(make_organisation, make_user):
    admin = make_user()
    org = make_organisation(OrganisationKind.CIVIL_SOCIETY, admin=admin)
    with pytest.raises(NotAllowed):
        services.solution_create(actor=admin, provider=org, name="X")


def test_suspended_provider_cannot_edit(draft_solution, supplier, company, moderator):
    org_services.organisation_suspend(actor=moderator, organisation=company, reason="Fraud.")
    with pytest.raises(NotAllowed):
        services.solution_update(
            actor=supplier, solution=draft_solution, version=draft_solution.version, name="New"
        )
    draft_solution.refresh_from_db()
    assert draft_solution.name == "Queue Buster"


def test_update_checks_the_version(draft_solution, supplier):
    services.solution_update(
        actor=supplier, solution=draft_solution, version=1, name="Queue Buster 2"
    )
    assert draft_solution.version == 2
    with pytest.raises(Conflict):
        services.solution_update(actor=supplier, solution=draft_solution, version=1, name="Old")
    draft_solution.refresh_from_db()
    assert draft_solution.name == "Queue Buster 2"
    event = AuditEvent.objects.filter(action="solution.update").get()
    assert event.before == {"name": "Queue Buster"}
    assert event.after == {"name": "Queue Buster 2"}


def test_update_relations(draft_solution, supplier, org_reference):
    services.solution_update(
        actor=supplier,
        solution=draft_solution,
        version=1,
        categories=["health", "data"],
        supported_countries=["FRA"],
        cpv_codes=["72000000-5"],
    )
    assert sorted(c.category for c in draft_solution.categories.all()) == ["data", "health"]
    assert [c.code for c in draft_solution.supported_countries.all()] == ["FRA"]
    assert [c.code for c in draft_solution.cpv_codes.all()] == ["72000000-5"]


def test_propose_lists_every_missing_fact_at_once(supplier, company):
    solution = services.solution_create(actor=supplier, provider=company, name="Bare")
    with pytest.raises(InvalidInput) as caught:
        services.solution_propose(actor=supplier, solution=solution)
    missing = set(caught.value.field_errors)
    assert {
        "summary",
        "description",
        "categories",
        "cpv_codes",
        "licence",
        "delivery_model",
        "trl",
        "supported_languages",
        "supported_countries",
        "data_location",
        "accessibility_conformance",
        "pricing_model",
        "contact_email",
    } <= missing
    solution.refresh_from_db()
    assert solution.status == SolutionStatus.DRAFT
    assert not ModerationStep.objects.exists()


def test_dpa_is_mandatory_only_when_personal_data_is_processed(make_solution, supplier, company):
    solution = make_solution(actor=supplier, provider=company, dpa_available=None)
    with pytest.raises(InvalidInput) as caught:
        services.solution_propose(actor=supplier, solution=solution)
    assert list(caught.value.field_errors) == ["dpa_available"]
    services.solution_update(
        actor=supplier, solution=solution, version=solution.version, data_location="none"
    )
    services.solution_propose(actor=supplier, solution=solution)
    assert solution.status == SolutionStatus.PROPOSED


def test_moderation_workflow_with_reasons(draft_solution, supplier, moderator):
    services.solution_propose(actor=supplier, solution=draft_solution, note="Please review")
    assert draft_solution.status == SolutionStatus.PROPOSED
    assert draft_solution.proposed_at is not None
    with pytest.raises(InvalidInput):
        services.solution_publish(actor=moderator, solution=draft_solution, reason=" ")
    assert Solution.objects.get().status == SolutionStatus.PROPOSED
    services.solution_request_update(
        actor=moderator, solution=draft_solution, reason="Add the sub-processors."
    )
    assert draft_solution.status == SolutionStatus.NEEDS_UPDATE
    services.solution_propose(actor=supplier, solution=draft_solution)
    services.solution_publish(actor=moderator, solution=draft_solution, reason="Complete.")
    assert draft_solution.status == SolutionStatus.PUBLISHED
    assert draft_solution.published_at is not None
    services.solution_archive(actor=moderator, solution=draft_solution, reason="Discontinued.")
    assert draft_solution.status == SolutionStatus.ARCHIVED
    services.solution_reopen(actor=supplier, solution=draft_solution)
    assert draft_solution.status == SolutionStatus.DRAFT
    steps = list(ModerationStep.objects.order_by("created_at", "id"))
    assert [(s.from_status, s.to_status) for s in steps] == [
        ("draft", "proposed"),
        ("proposed", "needs_update"),
        ("needs_update", "proposed"),
        ("proposed", "published"),
        ("published", "archived"),
        ("archived", "draft"),
    ]
    assert steps[1].reason == "Add the sub-processors."
    assert steps[1].actor == moderator
    assert _events("solution.publish") == 1


def test_supplier_cannot_moderate(draft_solution, supplier):
    services.solution_propose(actor=supplier, solution=draft_solution)
    for action in (services.solution_publish, services.solution_request_update):
        with pytest.raises(NotAllowed):
            action(actor=supplier, solution=draft_solution, reason="Me.")
    assert Solution.objects.get().status == SolutionStatus.PROPOSED


def test_moderator_archiving_needs_a_reason(published_solution, moderator):
    with pytest.raises(InvalidInput):
        services.solution_archive(actor=moderator, solution=published_solution, reason="")
    assert Solution.objects.get().status == SolutionStatus.PUBLISHED


def test_publish_only_from_proposed(draft_solution, moderator):
    with pytest.raises(InvalidTransition):
        services.solution_publish(actor=moderator, solution=draft_solution, reason="Go.")
    assert Solution.objects.get().status == SolutionStatus.DRAFT


def test_proposed_entry_is_locked_and_can_be_taken_back(draft_solution, supplier):
    services.solution_propose(actor=supplier, solution=draft_solution)
    with pytest.raises(InvalidTransition):
        services.solution_update(
            actor=supplier, solution=draft_solution, version=draft_solution.version, name="N"
        )
    services.solution_withdraw_proposal(actor=supplier, solution=draft_solution)
    assert draft_solution.status == SolutionStatus.DRAFT


def test_published_entry_keeps_its_mandatory_facts(published_solution, supplier):
    with pytest.raises(InvalidInput) as caught:
        services.solution_update(
            actor=supplier,
            solution=published_solution,
            version=published_solution.version,
            contact_email="",
        )
    assert "contact_email" in caught.value.field_errors
    assert Solution.objects.get().contact_email == "sales@civictech.example.eu"


def test_translations(draft_solution, supplier, outsider):
    translation = services.translation_add(
        actor=supplier,
        solution=draft_solution,
        language="fr",
        name="Anti-file",
        summary="Prise de rendez-vous.",
    )
    with pytest.raises(Conflict):
        services.translation_add(
            actor=supplier, solution=draft_solution, language="fr", name="B", summary="C"
        )
    with pytest.raises(InvalidInput):
        services.translation_add(
            actor=supplier, solution=draft_solution, language="en", name="B", summary="C"
        )
    with pytest.raises(NotAllowed):
        services.translation_update(
            actor=outsider, translation=translation, name="Hacked", summary="x"
        )
    services.translation_update(
        actor=supplier, translation=translation, name="Fini les files", summary="Rendez-vous."
    )
    assert SolutionTranslation.objects.get().name == "Fini les files"
    services.translation_remove(actor=supplier, translation=translation)
    assert not SolutionTranslation.objects.exists()


# Adoptions and reviews -----------------------------------------------------------------------


def test_buyer_records_an_adoption(published_solution, buyer, authority):
    adoption = services.adoption_record(
        actor=buyer,
        solution=published_solution,
        authority=authority,
        since=dt.date(2025, 3, 1),
        scale="organisation",
        outcome="Waiting times halved.",
        cost_band="under_10k",
    )
    assert adoption.nuts_region == authority.nuts_region
    assert adoption.recorded_by == buyer
    with pytest.raises(Conflict):
        services.adoption_record(actor=buyer, solution=published_solution, authority=authority)
    assert Adoption.objects.count() == 1


def test_adoption_refusals(
    published_solution, draft_solution, buyer, authority, supplier, unverified_authority
):
    with pytest.raises(NotAllowed):
        services.adoption_record(actor=supplier, solution=published_solution, authority=authority)
    with pytest.raises(NotAllowed):
        services.adoption_record(
            actor=buyer, solution=published_solution, authority=unverified_authority
        )
    with pytest.raises(InvalidTransition):
        services.adoption_record(actor=buyer, solution=draft_solution, authority=authority)
    with pytest.raises(InvalidInput):
        services.adoption_record(
            actor=buyer,
            solution=published_solution,
            authority=authority,
            nuts_region=NutsRegion.objects.get(code="FR101"),
        )
    with pytest.raises(InvalidInput):
        services.adoption_record(
            actor=buyer,
            solution=published_solution,
            authority=authority,
            since=timezone.localdate() + dt.timedelta(days=3),
        )
    assert not Adoption.objects.exists()


def test_adoption_update_and_end(published_solution, buyer, authority, supplier):
    adoption = services.adoption_record(
        actor=buyer, solution=published_solution, authority=authority
    )
    with pytest.raises(NotAllowed):
        services.adoption_update(actor=supplier, adoption=adoption, outcome="Great")
    services.adoption_update(actor=buyer, adoption=adoption, outcome="Fewer queues.")
    assert Adoption.objects.get().outcome == "Fewer queues."
    services.adoption_end(actor=buyer, adoption=adoption, lessons_learnt="Train staff first.")
    assert adoption.status == AdoptionStatus.ENDED
    with pytest.raises(InvalidTransition):
        services.adoption_end(actor=buyer, adoption=adoption)


def test_only_adopting_authority_reviews(published_solution, buyer, authority, supplier, cobuyer):
    adoption = services.adoption_record(
        actor=buyer, solution=published_solution, authority=authority
    )
    for actor in (supplier, cobuyer):
        with pytest.raises(NotAllowed):
            services.review_create(
                actor=actor, adoption=adoption, rating=5, title="Great", body="Really."
            )
    with pytest.raises(InvalidInput) as caught:
        services.review_create(actor=buyer, adoption=adoption, rating=6, title="", body="")
    assert set(caught.value.field_errors) == {"rating", "title", "body"}
    assert not Review.objects.exists()
    review = services.review_create(
        actor=buyer, adoption=adoption, rating=4, title="Solid", body="Works well."
    )
    with pytest.raises(Conflict):
        services.review_create(actor=buyer, adoption=adoption, rating=3, title="B", body="C")
    services.review_update(actor=buyer, review=review, rating=5, title="Great", body="Better.")
    assert Review.objects.get().rating == 5


# From a challenge ----------------------------------------------------------------------------


def _award(world, buyer, proposal):
    from govhub.evaluation.models import Outcome

    outcome = Outcome.objects.create(
        challenge=world.challenge,
        kind="awarded",
        reasons="Best value.",
        published_at=timezone.now(),
        published_by=buyer,
        becomes_final_at=timezone.now(),
    )
    outcome.awarded_proposals.add(proposal)
    return outcome


def test_adoption_from_an_award(
    evaluation_world,
    buyer,
    authority,
    second_authority,
    company,
    supplier,
    moderator,
    make_solution,
    rival_company,
    rival_supplier,
):
    solution = make_solution(actor=supplier, provider=company, publish_by=moderator)
    rival = make_solution(
        actor=rival_supplier, provider=rival_company, publish_by=moderator, name="Rival"
    )
    with pytest.raises(InvalidInput):
        services.adoption_from_challenge(
            actor=buyer, challenge=evaluation_world.challenge, solution=solution
        )
    _award(evaluation_world, buyer, evaluation_world.proposals["company"])
    with pytest.raises(InvalidInput):
        services.adoption_from_challenge(
            actor=buyer, challenge=evaluation_world.challenge, solution=rival
        )
    with pytest.raises(NotAllowed):
        services.adoption_from_challenge(
            actor=supplier, challenge=evaluation_world.challenge, solution=solution
        )
    assert not Adoption.objects.exists()
    made = services.adoption_from_challenge(
        actor=buyer,
        challenge=evaluation_world.challenge,
        solution=solution,
        include_cobuyers=True,
    )
    assert {a.authority for a in made} == {authority, second_authority}
    assert all(a.challenge == evaluation_world.challenge for a in made)
    with pytest.raises(Conflict):
        services.adoption_from_challenge(
            actor=buyer, challenge=evaluation_world.challenge, solution=solution
        )


def test_adoption_from_an_agreed_pilot(
    evaluation_world, buyer, authority, company, supplier, moderator, make_solution
):
    from govhub.evaluation.models import PilotPlan

    solution = make_solution(actor=supplier, provider=company, publish_by=moderator)
    plan = PilotPlan.objects.create(
        phase=evaluation_world.pilot,
        proposal=evaluation_world.proposals["company"],
        plan="Pilot in one town hall.",
        agreed_by_buyer_at=timezone.now(),
        agreed_by_buyer=buyer,
        agreed_by_company_at=timezone.now(),
        agreed_by_company=supplier,
    )
    (adoption,) = services.adoption_from_challenge(
        actor=buyer, challenge=evaluation_world.challenge, solution=solution
    )
    assert adoption.pilot == plan
    assert adoption.scale == "pilot"
    assert adoption.authority == authority


def test_update_checks_rules_across_the_whole_entry(draft_solution, supplier):
    services.solution_update(
        actor=supplier, solution=draft_solution, version=1, delivery_model="open_source"
    )
    with pytest.raises(InvalidInput) as caught:
        services.solution_update(
            actor=supplier,
            solution=draft_solution,
            version=2,
            licence="LicenseRef-Proprietary",
        )
    assert "licence" in caught.value.field_errors
    assert Solution.objects.get().licence == "EUPL-1.2"
