"""The public list and page of a challenge, for every persona; query counts; anonymity."""

from __future__ import annotations

import datetime as dt
import re
import uuid
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from govhub.challenges import services
from govhub.challenges.models import Challenge, ChallengeBuyer, ChallengeStatus

from .files import upload
from .fixtures import first_phase

pytestmark = pytest.mark.django_db

PERSONAS = ["anonymous", "outsider", "supplier", "buyer", "cobuyer", "moderator"]


@pytest.fixture
def as_persona(request, client):
    """A client signed in as the named persona (buyers and moderators have two-factor set
    up by their fixtures), or anonymous."""

    def sign_in(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in


def url(name: str, *args) -> str:
    return reverse(f"challenges:{name}", args=args)


# --- list -----------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_list_shows_published_challenges_to_everyone(
    as_persona, persona, published_challenge, make_challenge
):
    make_challenge(title="A secret draft")
    response = as_persona(persona).get(url("list"))
    assert response.status_code == 200
    content = response.content.decode()
    assert published_challenge.title in content
    assert "A secret draft" not in content
    assert "Open for proposals" in content


def _bulk_published(authority, count: int, *, prefix: str = "Bulk") -> None:
    """Published challenges made directly: the list's pagination and query count need many."""
    now = timezone.now()
    for n in range(count):
        challenge = Challenge.objects.create(
            lead_authority=authority,
            title=f"{prefix} {n:02d}",
            summary="s",
            description="d",
            status=ChallengeStatus.PUBLISHED,
            published_at=now - dt.timedelta(minutes=n),
        )
        ChallengeBuyer.objects.create(challenge=challenge, authority=authority, is_lead=True)


def test_list_paginates_and_keeps_filters(client, authority):
    _bulk_published(authority, 23)
    response = client.get(url("list"), {"status": "published"})
    content = response.content.decode()
    assert "Bulk 19" in content
    assert "Bulk 20" not in content
    assert "status=published&amp;page=2" in content
    response = client.get(url("list"), {"status": "published", "page": 2})
    assert "Bulk 22" in response.content.decode()


def test_list_query_count_does_not_grow(client, authority, django_assert_max_num_queries):
    _bulk_published(authority, 3)
    with django_assert_max_num_queries(12) as few:
        client.get(url("list"))
    _bulk_published(authority, 15, prefix="More")
    with django_assert_max_num_queries(len(few.captured_queries)):
        response = client.get(url("list"))
    assert "More 14" in response.content.decode()


def test_list_filters(
    client, published_challenge, make_challenge, buyer, second_authority, org_reference
):
    closed = make_challenge(title="Software only", cpv_codes=[org_reference.software])
    services.cobuyer_add(actor=buyer, challenge=closed, authority=second_authority)
    services.challenge_publish(actor=buyer, challenge=closed)
    services.challenge_cancel(actor=buyer, challenge=closed, reason="Budget cut")

    def titles(**params) -> str:
        return client.get(url("list"), params).content.decode()

    assert "Software only" not in titles(open_now="on")
    assert published_challenge.title in titles(open_now="on")
    only_cancelled = titles(status="cancelled")
    assert "Software only" in only_cancelled
    assert published_challenge.title not in only_cancelled
    by_division = titles(cpv="48")
    assert "Software only" in by_division
    assert published_challenge.title not in by_division
    assert published_challenge.title in titles(country="BEL")
    in_portugal = titles(country="PRT")
    assert "Software only" in in_portugal
    assert published_challenge.title not in in_portugal


def test_cancelled_draft_never_appears(client, buyer, challenge_draft):
    services.challenge_cancel(actor=buyer, challenge=challenge_draft, reason="Dropped")
    assert challenge_draft.title not in client.get(url("list")).content.decode()


# --- detail ---------------------------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_published_page_is_public(as_persona, persona, published_challenge):
    response = as_persona(persona).get(url("detail", published_challenge.public_id))
    assert response.status_code == 200
    content = response.content.decode()
    assert published_challenge.title in content
    assert "Brussels Digital Agency" in content
    assert "Quality of the solution" in content
    assert "50%" in content
    assert "EU Green Public Procurement criteria" in content
    assert "Small and medium-sized enterprises only" in content
    assert "(Brussels" in content
    assert "Published" in content  # history
    assert ("Manage this challenge" in content) == (persona == "buyer")


@pytest.mark.parametrize(
    ("persona", "status"),
    [
        ("anonymous", 403),
        ("outsider", 403),
        ("supplier", 403),
        ("moderator", 403),
        ("buyer", 200),
        ("authority_admin", 200),
        ("cobuyer", 200),
    ],
)
def test_drafts_only_for_the_buying_authorities(
    as_persona, persona, status, buyer, challenge_draft, second_authority
):
    services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=second_authority)
    response = as_persona(persona).get(url("detail", challenge_draft.public_id))
    assert response.status_code == status
    if status == 200:
        assert "This is a draft" in response.content.decode()


def test_unknown_challenge_is_404(client):
    assert client.get(url("detail", uuid.uuid4())).status_code == 404


def test_joint_challenge_lists_cobuyers_with_shares(
    client, buyer, make_challenge, second_authority
):
    challenge = make_challenge()
    services.cobuyer_add(
        actor=buyer,
        challenge=challenge,
        authority=second_authority,
        quantity="4 car parks",
        budget_share=Decimal("80000"),
    )
    services.challenge_publish(actor=buyer, challenge=challenge)
    content = client.get(url("detail", challenge.public_id)).content.decode()
    assert "Buyers (joint challenge)" in content
    assert "Lisbon City Council" in content
    assert "Co-buyer" in content
    assert "4 car parks" in content
    assert "EUR 80,000" in content


def test_detail_query_count(
    client, buyer, published_challenge, open_phase, supplier, company, django_assert_max_num_queries
):
    for n in range(3):
        question = services.clarification_ask(
            actor=supplier, phase=open_phase, organisation=company, question=f"Question {n}?"
        )
        services.clarification_answer(actor=buyer, clarification=question, answer=f"Answer {n}")
    with django_assert_max_num_queries(20):
        response = client.get(url("detail", published_challenge.public_id))
    assert "Answer 2" in response.content.decode()


def test_cancelled_challenge_shows_its_reason(client, buyer, published_challenge):
    services.challenge_cancel(
        actor=buyer, challenge=published_challenge, reason="The regional budget was withdrawn."
    )
    content = client.get(url("detail", published_challenge.public_id)).content.decode()
    assert "was cancelled on" in content
    assert content.count("The regional budget was withdrawn.") == 2  # reason and history


def test_history_shows_public_steps_without_people(client, buyer, open_phase, published_challenge):
    services.phase_change_deadline(
        actor=buyer,
        phase=open_phase,
        deadline=open_phase.deadline + dt.timedelta(days=2),
        reason="More time for consortia.",
    )
    content = client.get(url("detail", published_challenge.public_id)).content.decode()
    history = content.split('id="history"')[1]
    for label in ("Published", "Phase opened", "Deadline changed", "More time"):
        assert label in history
    assert "Bruno Buyer" not in content
    assert buyer.email not in content
    assert str(buyer.public_id) not in content


def test_documents_are_listed_and_downloadable(client, buyer, open_phase, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = services.document_add(
        actor=buyer, phase=open_phase, title="Terms of reference", file=upload("terms.pdf")
    )
    challenge = open_phase.challenge
    content = client.get(url("detail", challenge.public_id)).content.decode()
    assert "Terms of reference" in content
    assert "(PDF," in content
    assert "Document added" in content  # an addendum after publication shows in the history
    response = client.get(url("document", challenge.public_id, doc.public_id))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert 'attachment; filename="terms.pdf"' in response["Content-Disposition"]
    assert b"".join(response.streaming_content).startswith(b"%PDF-")


def test_draft_documents_are_not_public(client, buyer, challenge_draft, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    doc = services.document_add(
        actor=buyer, phase=first_phase(challenge_draft), title="Draft", file=upload("terms.pdf")
    )
    response = client.get(url("document", challenge_draft.public_id, doc.public_id))
    assert response.status_code == 403
    client.force_login(buyer)
    assert client.get(url("document", challenge_draft.public_id, doc.public_id)).status_code == 200


# --- clarification anonymity ----------------------------------------------------------------


@pytest.mark.parametrize("persona", PERSONAS)
def test_asker_never_appears_on_the_public_page(
    as_persona, persona, buyer, supplier, company, open_phase, published_challenge
):
    question = services.clarification_ask(
        actor=supplier,
        phase=open_phase,
        organisation=company,
        question="Can two SMEs apply as a consortium?",
    )
    services.clarification_answer(
        actor=buyer, clarification=question, answer="Yes, with a lead company."
    )
    content = as_persona(persona).get(url("detail", published_challenge.public_id)).content
    # The viewer's own controls (e.g. "Follow for <their organisation>") are not what the
    # page publishes about the asker: leave forms out of the check.
    text = re.sub(r"<form\b.*?</form>", "", content.decode(), flags=re.S)
    assert "Can two SMEs apply as a consortium?" in text
    assert "Yes, with a lead company." in text
    assert "Clarification published" in text
    for identity in (
        "Sofia Supplier",
        supplier.email,
        str(supplier.public_id),
        "CivicTech Solutions",
        str(company.public_id),
    ):
        assert identity not in text


def test_buyer_queue_does_not_name_the_asker(client, buyer, supplier, company, open_phase):
    services.clarification_ask(
        actor=supplier, phase=open_phase, organisation=company, question="What data is open?"
    )
    client.force_login(buyer)
    content = client.get(url("clarifications", open_phase.challenge.public_id)).content.decode()
    assert "What data is open?" in content
    assert "CivicTech Solutions" not in content
    assert "Sofia Supplier" not in content
