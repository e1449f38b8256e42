"""The buyer's pages (create, edit, co-buyers, phases, criteria, documents, publish, run,
cancel) and the company's question page, for every persona."""

from __future__ import annotations

import datetime as dt
import uuid
from decimal import Decimal

import pytest
import time_machine
from django.urls import reverse

from govhub.challenges import services
from govhub.challenges.models import (
    AwardCriterion,
    Challenge,
    ChallengeBuyer,
    ChallengeStatus,
    Clarification,
    Phase,
    PhaseDocument,
    PhaseStatus,
)
from govhub.needs import services as need_services
from govhub.needs.models import NeedStatus

from .files import upload
from .fixtures import deadline_of, first_phase
from .helpers import assert_unchanged

pytestmark = pytest.mark.django_db


def url(name: str, *args) -> str:
    return reverse(f"challenges:{name}", args=args)


@pytest.fixture
def as_persona(request, client):
    def sign_in(name: str):
        if name != "anonymous":
            client.force_login(request.getfixturevalue(name))
        return client

    return sign_in


def _page_names(challenge: Challenge) -> list[str]:
    phase = first_phase(challenge)
    c, p = challenge.public_id, phase.public_id
    return [
        url("manage", c),
        url("edit", c),
        url("buyers", c),
        url("publish", c),
        url("cancel", c),
        url("phase_add", c),
        url("phase_edit", c, p),
        url("criteria", c, p),
        url("documents", c, p),
        url("deadline", c, p),
        url("phase_action", c, p, "open"),
    ]


@pytest.mark.parametrize(
    ("persona", "status"),
    [("cobuyer", 403), ("authority_admin", 403), ("supplier", 403), ("outsider", 403)],
)
def test_buyer_pages_refuse_others(
    as_persona, persona, status, buyer, challenge_draft, second_authority
):
    services.cobuyer_add(actor=buyer, challenge=challenge_draft, authority=second_authority)
    client = as_persona(persona)
    for address in _page_names(challenge_draft):
        assert client.get(address).status_code == status, address


def test_buyer_pages_send_anonymous_visitors_to_sign_in(client, challenge_draft):
    for address in _page_names(challenge_draft):
        response = client.get(address)
        assert response.status_code == 302
        assert reverse("account_login") in response["Location"]


def test_moderators_do_not_run_challenges(as_persona, challenge_draft):
    client = as_persona("moderator")
    assert client.get(url("manage", challenge_draft.public_id)).status_code == 403


def test_lead_buyer_reaches_every_page(as_persona, challenge_draft):
    client = as_persona("buyer")
    for address in _page_names(challenge_draft):
        assert client.get(address).status_code == 200, address


def test_unknown_ids_are_404(as_persona, challenge_draft):
    client = as_persona("buyer")
    c = challenge_draft.public_id
    for address in (
        url("manage", uuid.uuid4()),
        url("phase_edit", c, uuid.uuid4()),
        url("criteria", c, uuid.uuid4()),
        url("buyer_edit", c, uuid.uuid4()),
        url("document", c, uuid.uuid4()),
        url("create_from_need", uuid.uuid4()),
    ):
        assert client.get(address).status_code == 404, address


# --- create and edit ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("persona", "status"), [("buyer", 200), ("supplier", 403), ("outsider", 403)]
)
def test_who_may_create(as_persona, persona, status):
    assert as_persona(persona).get(url("create")).status_code == status


def _challenge_post(**overrides) -> dict:
    return {
        "title": "Open data for bus stops",
        "summary": "Real-time accessible information at every stop.",
        "description": "Many stops have no information at all.",
        "cpv_codes": "72000000-5",
        "nuts_region": "BE100",
        "currency": "EUR",
        "total_budget": "90000",
        **overrides,
    }


def test_create_a_draft(as_persona, authority):
    response = as_persona("buyer").post(
        url("create"), _challenge_post(lead_authority=str(authority.public_id))
    )
    challenge = Challenge.objects.get(title="Open data for bus stops")
    assert response.status_code == 302
    assert response["Location"] == url("manage", challenge.public_id)
    assert challenge.total_budget == Decimal("90000")
    assert challenge.nuts_region is not None
    assert challenge.nuts_region.code == "BE100"


def test_create_errors_keep_the_input(as_persona, authority):
    client = as_persona("buyer")
    with assert_unchanged():
        response = client.post(
            url("create"),
            _challenge_post(title="", lead_authority=str(authority.public_id), total_budget="-1"),
        )
    content = response.content.decode()
    assert response.status_code == 200
    assert "Enter a title" in content
    assert "Real-time accessible information at every stop." in content
    assert "govuk-error-summary" in content


def test_edit_with_a_stale_version_shows_the_conflict(as_persona, buyer, challenge_draft):
    stale = challenge_draft.version
    services.challenge_update(actor=buyer, challenge=challenge_draft, version=stale, title="Theirs")
    with assert_unchanged():
        response = as_persona("buyer").post(
            url("edit", challenge_draft.public_id), _challenge_post(title="Mine", version=stale)
        )
    content = response.content.decode()
    assert "Someone else changed this since you opened it" in content
    assert 'value="Mine"' in content
    assert Challenge.objects.get(pk=challenge_draft.pk).title == "Theirs"


def test_published_challenge_edit_page_redirects(as_persona, published_challenge):
    response = as_persona("buyer").get(url("edit", published_challenge.public_id))
    assert response.status_code == 302
    assert response["Location"] == url("manage", published_challenge.public_id)


# --- from a need ----------------------------------------------------------------------------


def test_need_becomes_a_joint_challenge_from_its_page(
    as_persona, published_need, second_authority, cobuyer
):
    need_services.need_express_interest(
        actor=cobuyer,
        need=published_need,
        authority=second_authority,
        quantity="2 car parks",
        budget_share=Decimal("50000"),
    )
    client = as_persona("buyer")
    page = client.get(url("create_from_need", published_need.public_id)).content.decode()
    assert "Lisbon City Council" in page
    assert "2 car parks" in page
    response = client.post(url("create_from_need", published_need.public_id))
    challenge = Challenge.objects.get(need=published_need)
    assert response["Location"] == url("manage", challenge.public_id)
    assert challenge.buyers.count() == 2
    published_need.refresh_from_db()
    assert published_need.status == NeedStatus.CONVERTED
    again = client.post(url("create_from_need", published_need.public_id))
    assert again.status_code == 200
    assert Challenge.objects.filter(need=published_need).count() == 1


@pytest.mark.parametrize("persona", ["cobuyer", "supplier", "outsider"])
def test_only_the_needs_buyers_convert_it(as_persona, persona, published_need):
    assert (
        as_persona(persona).get(url("create_from_need", published_need.public_id)).status_code
        == 403
    )


# --- co-buyers ------------------------------------------------------------------------------


def test_add_change_and_remove_a_cobuyer(as_persona, challenge_draft, second_authority):
    client = as_persona("buyer")
    c = challenge_draft.public_id
    response = client.post(
        url("buyers", c),
        {"authority": str(second_authority.public_id), "quantity": "3", "budget_share": "1000"},
    )
    assert response.status_code == 302
    row = ChallengeBuyer.objects.get(challenge=challenge_draft, authority=second_authority)
    client.post(url("buyer_edit", c, row.public_id), {"quantity": "5", "budget_share": "2000"})
    row.refresh_from_db()
    assert (row.quantity, row.budget_share) == ("5", Decimal("2000"))
    client.post(url("buyer_remove", c, row.public_id))
    assert not ChallengeBuyer.objects.filter(pk=row.pk).exists()


def test_unverified_authorities_are_not_offered(
    as_persona, challenge_draft, unverified_authority, second_authority
):
    content = as_persona("buyer").get(url("buyers", challenge_draft.public_id)).content.decode()
    assert "Lisbon City Council" in content
    assert "Liège Municipality" not in content


# --- phases and criteria --------------------------------------------------------------------


def test_add_a_phase_in_brussels_time(as_persona, challenge_draft):
    response = as_persona("buyer").post(
        url("phase_add", challenge_draft.public_id),
        {
            "kind": "shortlist",
            "title": "Demo day",
            "opens_at": "2030-01-10T09:00",
            "deadline": "2030-01-20T12:00",
            "ends_at": "2030-02-01T17:00",
            "budget": "5000",
            "max_selected": "3",
            "sme_only": "on",
        },
    )
    phase = Phase.objects.get(challenge=challenge_draft, title="Demo day")
    assert response["Location"] == url("criteria", challenge_draft.public_id, phase.public_id)
    assert phase.deadline == dt.datetime(2030, 1, 20, 11, 0, tzinfo=dt.UTC)
    assert phase.sme_only
    assert not phase.eu_eea_only


def test_phase_dates_out_of_order_show_errors(as_persona, challenge_draft):
    with assert_unchanged():
        response = as_persona("buyer").post(
            url("phase_add", challenge_draft.public_id),
            {
                "kind": "shortlist",
                "title": "Demo day",
                "opens_at": "2030-01-20T09:00",
                "deadline": "2030-01-10T12:00",
            },
        )
    content = response.content.decode()
    assert "The deadline must be after the date the phase opens." in content
    assert 'value="2030-01-20T09:00"' in content


def test_move_and_remove_phases(as_persona, challenge_draft):
    client = as_persona("buyer")
    pilot = challenge_draft.phases.get(order=2)
    client.post(url("phase_move", challenge_draft.public_id, pilot.public_id), {"direction": "up"})
    pilot.refresh_from_db()
    assert pilot.order == 1
    client.post(url("phase_remove", challenge_draft.public_id, pilot.public_id))
    assert list(challenge_draft.phases.values_list("order", "kind")) == [(1, "open_call")]


def _criteria_post(rows: list[tuple[str, str, str]], *, initial: int = 0, version: int) -> dict:
    data = {
        "criteria-TOTAL_FORMS": str(len(rows)),
        "criteria-INITIAL_FORMS": str(initial),
        "criteria-MIN_NUM_FORMS": "0",
        "criteria-MAX_NUM_FORMS": "20",
        "version": str(version),
    }
    for n, (name, kind, weight) in enumerate(rows):
        data.update(
            {
                f"criteria-{n}-name": name,
                f"criteria-{n}-criterion_type": kind,
                f"criteria-{n}-weight": weight,
            }
        )
    return data


def test_criteria_not_totalling_100_keep_the_input(as_persona, challenge_draft):
    phase = first_phase(challenge_draft)
    with assert_unchanged():
        response = as_persona("buyer").post(
            url("criteria", challenge_draft.public_id, phase.public_id),
            _criteria_post(
                [("Usefulness", "quality", "60"), ("Running cost", "cost", "30")],
                version=phase.version,
            ),
        )
    content = response.content.decode()
    assert response.status_code == 200
    assert "The weights add up to 90%" in content
    assert "exactly 100%" in content
    assert "data-criteria-total>90<" in content
    assert 'value="Usefulness"' in content
    assert 'value="Running cost"' in content


def test_criteria_totalling_100_are_saved(as_persona, challenge_draft):
    """Two rows typed over the three existing ones; the third, emptied, is removed."""
    phase = first_phase(challenge_draft)
    response = as_persona("buyer").post(
        url("criteria", challenge_draft.public_id, phase.public_id),
        {
            **_criteria_post(
                [("Quality", "quality", "70"), ("Price", "price", "30"), ("", "", "")],
                initial=0,
                version=phase.version,
            ),
            "criteria-0-gpp_criteria": ["eu", "national"],
        },
    )
    assert response.status_code == 302, response.context["errors"]
    saved = list(AwardCriterion.objects.filter(phase=phase).order_by("order"))
    assert [(c.name, c.weight) for c in saved] == [("Quality", 70), ("Price", 30)]
    assert sorted(saved[0].gpp_criteria.values_list("code", flat=True)) == ["eu", "national"]


def test_criteria_editor_shows_existing_rows_and_total(as_persona, challenge_draft):
    phase = first_phase(challenge_draft)
    content = (
        as_persona("buyer")
        .get(url("criteria", challenge_draft.public_id, phase.public_id))
        .content.decode()
    )
    assert 'value="Impact and sustainability"' in content
    assert "data-criteria-total>100<" in content
    assert "criteria.mjs" in content
    assert "Remove this criterion" in content


def test_removing_a_criterion_row(as_persona, challenge_draft):
    phase = first_phase(challenge_draft)
    data = _criteria_post(
        [("Quality", "quality", "80"), ("Cost", "cost", "20"), ("Gone", "quality", "30")],
        initial=3,
        version=phase.version,
    )
    data["criteria-2-DELETE"] = "on"
    response = as_persona("buyer").post(
        url("criteria", challenge_draft.public_id, phase.public_id), data
    )
    assert response.status_code == 302
    assert list(phase.criteria.values_list("name", flat=True)) == ["Quality", "Cost"]


# --- documents ------------------------------------------------------------------------------


@pytest.fixture
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def test_upload_and_refuse_documents(as_persona, challenge_draft, media):
    phase = first_phase(challenge_draft)
    address = url("documents", challenge_draft.public_id, phase.public_id)
    client = as_persona("buyer")
    ok = client.post(address, {"title": "Terms", "file": upload("terms.pdf")})
    assert ok.status_code == 302
    assert PhaseDocument.objects.filter(phase=phase, title="Terms").exists()
    with assert_unchanged():
        refused = client.post(address, {"title": "Tool", "file": upload("tool.exe", b"MZ")})
    content = refused.content.decode()
    assert "The file must be a PDF, ODT, ODS, DOCX, XLSX, CSV, ZIP file." in content
    assert 'value="Tool"' in content


def test_remove_a_draft_document(as_persona, buyer, challenge_draft, media):
    phase = first_phase(challenge_draft)
    doc = services.document_add(actor=buyer, phase=phase, title="D", file=upload("terms.pdf"))
    as_persona("buyer").post(
        url("document_remove", challenge_draft.public_id, phase.public_id, doc.public_id)
    )
    assert not PhaseDocument.objects.filter(pk=doc.pk).exists()


# --- publish, run, cancel -------------------------------------------------------------------


def test_publish_page_lists_what_is_missing(as_persona, make_challenge):
    challenge = make_challenge(criteria=[])
    client = as_persona("buyer")
    content = client.get(url("publish", challenge.public_id)).content.decode()
    assert "total 0%" in content
    with assert_unchanged():
        refused = client.post(url("publish", challenge.public_id))
    assert "total 0%" in refused.content.decode()


def test_publish_then_open_then_close_after_the_deadline(as_persona, challenge_draft):
    client = as_persona("buyer")
    c = challenge_draft.public_id
    assert client.post(url("publish", c)).status_code == 302
    phase = first_phase(challenge_draft)
    client.post(url("phase_action", c, phase.public_id, "open"))
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.OPEN
    manage = client.get(url("manage", c)).content.decode()
    assert "Close phase" in manage
    with time_machine.travel(deadline_of(phase) - dt.timedelta(seconds=1), tick=False):
        early = client.post(url("phase_action", c, phase.public_id, "close"))
    assert "can be closed only after" in early.content.decode()
    with time_machine.travel(deadline_of(phase) + dt.timedelta(seconds=1), tick=False):
        client.post(url("phase_action", c, phase.public_id, "close"))
    phase.refresh_from_db()
    assert phase.status == PhaseStatus.CLOSED


def test_unknown_phase_action_is_404(as_persona, open_phase):
    address = url("phase_action", open_phase.challenge.public_id, open_phase.public_id, "explode")
    assert as_persona("buyer").get(address).status_code == 404


def test_cancel_needs_a_reason_then_publishes_it(as_persona, published_challenge):
    client = as_persona("buyer")
    with assert_unchanged():
        refused = client.post(url("cancel", published_challenge.public_id), {"reason": ""})
    assert "Give the reason for cancelling" in refused.content.decode()
    client.post(url("cancel", published_challenge.public_id), {"reason": "Budget withdrawn."})
    published_challenge.refresh_from_db()
    assert published_challenge.status == ChallengeStatus.CANCELLED
    page = client.get(url("detail", published_challenge.public_id)).content.decode()
    assert "Budget withdrawn." in page


def test_complete_once_every_phase_is_decided(as_persona, published_challenge):
    Phase.objects.filter(challenge=published_challenge).update(status=PhaseStatus.DECIDED)
    client = as_persona("buyer")
    assert (
        "Complete the challenge"
        in client.get(url("manage", published_challenge.public_id)).content.decode()
    )
    client.post(url("complete", published_challenge.public_id))
    published_challenge.refresh_from_db()
    assert published_challenge.status == ChallengeStatus.COMPLETED


def test_my_challenges(
    as_persona, challenge_draft, published_challenge, django_assert_max_num_queries
):
    client = as_persona("buyer")
    with django_assert_max_num_queries(15):
        content = client.get(url("mine")).content.decode()
    assert content.count(challenge_draft.title) == 2
    assert "Create a challenge" in content


# --- clarifications -------------------------------------------------------------------------


def test_company_asks_and_buyer_answers(client, supplier, company, buyer, open_phase):
    challenge = open_phase.challenge
    client.force_login(supplier)
    ask = url("ask", challenge.public_id, open_phase.public_id)
    assert "Ask a question" in client.get(url("detail", challenge.public_id)).content.decode()
    with assert_unchanged():
        empty = client.post(ask, {"question": ""})
    assert "Enter your question" in empty.content.decode()
    client.post(ask, {"question": "Is the API documented?"})
    clarification = Clarification.objects.get()
    page = client.get(url("detail", challenge.public_id)).content.decode()
    assert "Waiting for an answer" in page

    client.force_login(buyer)
    answer = url("clarification_answer", challenge.public_id, clarification.public_id)
    client.post(answer, {"answer": "Yes, in OpenAPI 3."})
    clarification.refresh_from_db()
    assert clarification.answer == "Yes, in OpenAPI 3."
    client.logout()
    assert "Yes, in OpenAPI 3." in client.get(url("detail", challenge.public_id)).content.decode()


@pytest.mark.parametrize("persona", ["buyer", "outsider", "cobuyer"])
def test_only_company_members_get_the_question_page(as_persona, persona, open_phase):
    address = url("ask", open_phase.challenge.public_id, open_phase.public_id)
    assert as_persona(persona).get(address).status_code == 403


@pytest.mark.parametrize("persona", ["supplier", "outsider", "moderator"])
def test_only_buyers_see_the_queue(as_persona, persona, open_phase):
    assert (
        as_persona(persona).get(url("clarifications", open_phase.challenge.public_id)).status_code
        == 403
    )


def test_question_page_after_the_deadline_says_so(client, supplier, company, open_phase):
    client.force_login(supplier)
    address = url("ask", open_phase.challenge.public_id, open_phase.public_id)
    with time_machine.travel(deadline_of(open_phase), tick=False):
        page = client.get(address).content.decode()
        assert "only while the phase is open" in page
        with assert_unchanged():
            client.post(address, {"question": "Late?"})
