"""Catalogue pages: who sees and does what, forms keep input, and list query counts."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govhub.catalogue import services
from govhub.catalogue.models import Adoption, Review, Solution, SolutionStatus

pytestmark = pytest.mark.django_db


def test_list_is_public_and_counts_queries(
    client, make_solution, supplier, company, moderator, django_assert_max_num_queries
):
    for n in range(25):
        make_solution(actor=supplier, provider=company, publish_by=moderator, name=f"S{n:02d}")
    with django_assert_max_num_queries(25):
        response = client.get(reverse("catalogue:list"), {"category": "citizen_services"})
    assert response.status_code == 200
    assert "25 solutions" in response.content.decode()


def test_htmx_gets_the_fragment(client, published_solution):
    response = client.get(reverse("catalogue:list"), HTTP_HX_REQUEST="true")
    body = response.content.decode()
    assert 'id="catalogue"' in body
    assert "<html" not in body


def test_draft_is_hidden_from_outsiders(client, outsider, draft_solution, supplier, moderator):
    url = reverse("catalogue:detail", args=[draft_solution.public_id])
    assert client.get(url).status_code == 404
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    client.force_login(supplier)
    assert client.get(url).status_code == 200
    client.force_login(moderator)
    assert client.get(url).status_code == 200


def test_create_keeps_input_on_errors(client, supplier, company):
    client.force_login(supplier)
    response = client.post(
        reverse("catalogue:create"),
        {"name": "Kept name", "language": "en", "licence": "Nonsense-1.0"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "Kept name" in body
    assert "is not an SPDX licence identifier" in body
    assert not Solution.objects.exists()


def test_create_then_propose_shows_missing_facts(client, supplier, company):
    client.force_login(supplier)
    response = client.post(
        reverse("catalogue:create"), {"name": "Minimal", "language": "en", "is_software": "on"}
    )
    solution = Solution.objects.get()
    assert response.status_code == 302
    page = client.get(reverse("catalogue:propose", args=[solution.public_id])).content.decode()
    assert "Enter a contact email address" in page
    assert "Choose at least one category" in page
    response = client.post(reverse("catalogue:propose", args=[solution.public_id]), {})
    assert Solution.objects.get().status == SolutionStatus.DRAFT


def test_outsider_and_buyer_cannot_edit_a_company_entry(client, outsider, buyer, draft_solution):
    url = reverse("catalogue:edit", args=[draft_solution.public_id])
    client.force_login(outsider)
    assert client.get(url).status_code == 404
    services.solution_propose(actor=draft_solution.created_by, solution=draft_solution)
    services.solution_publish(
        actor=_moderator(draft_solution), solution=draft_solution, reason="Fine."
    )
    client.force_login(buyer)
    assert client.get(url).status_code == 403
    assert client.post(url, {"name": "Hijack", "version": 3}).status_code == 403
    assert Solution.objects.get().name == "Queue Buster"


def _moderator(solution):
    from govhub.accounts.models import User

    return User.objects.filter(is_moderator=True).first()


def test_supplier_cannot_moderate(client, supplier, draft_solution, moderator):
    services.solution_propose(actor=supplier, solution=draft_solution)
    client.force_login(supplier)
    url = reverse("catalogue:moderate", args=[draft_solution.public_id])
    assert client.get(url).status_code == 403
    assert client.get(reverse("catalogue:moderation")).status_code == 403
    client.force_login(moderator)
    assert draft_solution.name in client.get(reverse("catalogue:moderation")).content.decode()
    response = client.post(url, {"decision": "publish", "reason": ""})
    assert "Give the reason" in response.content.decode()
    response = client.post(url, {"decision": "publish", "reason": "Checked."})
    assert response.status_code == 302
    assert Solution.objects.get().status == SolutionStatus.PUBLISHED


def test_adopt_and_review_pages(client, buyer, authority, published_solution, supplier):
    client.force_login(supplier)
    adopt = reverse("catalogue:adopt", args=[published_solution.public_id])
    assert client.get(adopt).status_code == 403
    client.force_login(buyer)
    response = client.post(adopt, {"outcome": "Shorter queues.", "scale": "organisation"})
    assert response.status_code == 302
    adoption = Adoption.objects.get()
    detail = client.get(reverse("catalogue:detail", args=[published_solution.public_id]))
    assert "In use at 1 authority in 1 country" in detail.content.decode()
    review_url = reverse(
        "catalogue:review", args=[published_solution.public_id, adoption.public_id]
    )
    response = client.post(review_url, {"rating": "5", "title": "Great", "body": "Works."})
    assert response.status_code == 302
    assert Review.objects.get().rating == 5
    client.force_login(supplier)
    assert client.get(review_url).status_code == 403


def test_translations_page(client, supplier, draft_solution, outsider):
    url = reverse("catalogue:translations", args=[draft_solution.public_id])
    client.force_login(supplier)
    response = client.post(
        url, {"language": "fr", "name": "Anti-file", "summary": "Rendez-vous en ligne."}
    )
    assert response.status_code == 302
    assert draft_solution.translations.get().language == "fr"
    client.force_login(outsider)
    assert client.get(url).status_code == 404


def test_my_solutions(client, supplier, draft_solution):
    client.force_login(supplier)
    body = client.get(reverse("catalogue:mine")).content.decode()
    assert draft_solution.name in body


def test_adopt_from_challenge_view(
    client, evaluation_world, buyer, supplier, company, moderator, make_solution
):
    from django.utils import timezone

    from govhub.evaluation.models import Outcome

    solution = make_solution(actor=supplier, provider=company, publish_by=moderator)
    url = reverse("catalogue:adopt-from-challenge", args=[evaluation_world.challenge.public_id])
    client.force_login(supplier)
    assert client.get(url).status_code == 403
    client.force_login(buyer)
    assert "no award" in client.get(url).content.decode()
    outcome = Outcome.objects.create(
        challenge=evaluation_world.challenge,
        kind="awarded",
        reasons="Best.",
        published_at=timezone.now(),
        published_by=buyer,
        becomes_final_at=timezone.now(),
    )
    outcome.awarded_proposals.add(evaluation_world.proposals["company"])
    assert solution.name in client.get(url).content.decode()
    response = client.post(url, {"solution": str(solution.public_id)})
    assert response.status_code == 302
    assert Adoption.objects.get().challenge == evaluation_world.challenge


def test_stale_edit_keeps_what_was_typed(client, supplier, draft_solution):
    services.solution_update(
        actor=supplier, solution=draft_solution, version=1, name="Changed meanwhile"
    )
    client.force_login(supplier)
    response = client.post(
        reverse("catalogue:edit", args=[draft_solution.public_id]),
        {"name": "My own edit", "language": "en", "version": "1"},
    )
    body = response.content.decode()
    assert response.status_code == 200
    assert "My own edit" in body
    assert "Someone else changed this entry" in body
    assert Solution.objects.get().name == "Changed meanwhile"


def test_text_search_finds_translations(client, published_solution, supplier):
    services.solution_update(
        actor=supplier, solution=published_solution, version=published_solution.version
    )
    services.translation_add(
        actor=supplier,
        solution=published_solution,
        language="fr",
        name="Fini les files",
        summary="Rendez-vous.",
    )
    body = client.get(reverse("catalogue:list"), {"q": "fini les"}).content.decode()
    assert published_solution.name in body
    assert "1 solution" in body


def test_detail_shows_the_readers_language_first(client, published_solution, supplier):
    services.translation_add(
        actor=supplier,
        solution=published_solution,
        language="fr",
        name="Fini les files",
        summary="Prise de rendez-vous en mairie.",
    )
    from django.utils import translation

    url = reverse("catalogue:detail", args=[published_solution.public_id])
    with translation.override("fr"):
        french_url = reverse("catalogue:detail", args=[published_solution.public_id])
    assert french_url.startswith("/fr/")
    french = client.get(french_url).content.decode()
    assert '<h1 class="govuk-heading-l">Fini les files</h1>' in french
    english = client.get(url).content.decode()
    assert '<h1 class="govuk-heading-l">Queue Buster</h1>' in english
    assert "Fini les files" in english  # the other version, folded away
