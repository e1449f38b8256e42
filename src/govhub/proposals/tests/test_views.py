"""Proposal pages: the company's edit/submit/receipt/withdraw/history pages and the buyer's
overview and opening pages. Content pages' refusals are in test_annex_iv.py."""

from __future__ import annotations

import datetime as dt
import hashlib
import re

import pytest
import time_machine
from django.urls import reverse

from govhub.challenges.models import AwardCriterion
from govhub.organisations.models import OrganisationKind
from govhub.proposals import services
from govhub.proposals.models import Proposal, ProposalAttachment, ProposalReceipt, ProposalStatus

from .fixtures import PDF_BYTES, answers_for, form_token, pdf
from .helpers import assert_unchanged, upload

pytestmark = pytest.mark.django_db


def edit_url(phase) -> str:
    return reverse("proposals:edit", args=[phase.public_id])


def form_data(phase, *, action="save", version="", token=None, text="Our answer", **extra):
    data = {
        "action": action,
        "version": version,
        "form_token": token or form_token(),
        "title": "Parking made simple",
    }
    for key, value in answers_for(phase, text).items():
        data[f"answer_{key}"] = value
    data.update(extra)
    return data


@pytest.fixture
def as_supplier(client, supplier, company):
    client.force_login(supplier)
    return client


# --- Edit page -----------------------------------------------------------------------------


def test_anonymous_visitors_are_asked_to_sign_in(client, open_phase):
    response = client.get(edit_url(open_phase))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_the_edit_page_shows_each_criterion_with_its_weight_and_the_deadline(
    as_supplier, open_phase
):
    response = as_supplier.get(edit_url(open_phase))
    assert response.status_code == 200
    html = response.content.decode()
    for criterion in AwardCriterion.objects.filter(phase=open_phase):
        assert f"{criterion.name} (weight {criterion.weight}%)" in html
        assert f'name="answer_{criterion.public_id}"' in html
    assert "(Brussels time)" in html
    assert 'value="submit"' in html
    assert 'data-prevent-double-click="true"' in html
    assert re.search(r'<input type="hidden" name="form_token" value="[\w-]{43}">', html)
    assert html.count("<h1") == 1


def test_the_deadline_is_shown_in_brussels_and_in_the_users_own_zone(
    client, supplier, company, open_phase
):
    supplier.time_zone = "Asia/Tokyo"
    supplier.save()
    client.force_login(supplier)
    html = client.get(edit_url(open_phase)).content.decode()
    assert "(Brussels time)" in html
    assert "in your time zone (Asia/Tokyo)" in html
    assert " JST" in html


def test_saving_a_draft_keeps_everything_and_says_it_is_not_submitted(as_supplier, open_phase):
    response = as_supplier.post(edit_url(open_phase), form_data(open_phase), follow=True)
    assert response.status_code == 200
    assert "Your draft is saved. It is not submitted yet." in response.content.decode()
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.title == "Parking made simple"
    assert proposal.answers.count() == 3
    assert "Our answer to “Quality of the solution”." in response.content.decode()


def test_a_draft_with_a_file_uploads_it(as_supplier, open_phase, proposal_files):
    data = form_data(open_phase, attachment=pdf("plan.pdf"))
    as_supplier.post(edit_url(open_phase), data)
    attachment = ProposalAttachment.objects.get()
    assert attachment.original_name == "plan.pdf"
    assert (proposal_files / attachment.file.name).read_bytes() == PDF_BYTES


def test_an_invalid_file_is_shown_on_its_field_and_nothing_typed_is_lost(as_supplier, open_phase):
    data = form_data(open_phase, text="Carefully typed", attachment=upload("virus.pdf", b"MZ"))
    with assert_unchanged():
        response = as_supplier.post(edit_url(open_phase), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert 'href="#id_attachment"' in html
    assert "Carefully typed to “Quality of the solution”." in html


def test_removing_a_file_keeps_the_answers_typed(as_supplier, open_phase, supplier, company):
    proposal = services.proposal_save_draft(
        actor=supplier, phase=open_phase, company=company, add_files=[pdf()]
    )
    attachment = ProposalAttachment.objects.get()
    data = form_data(open_phase, version=proposal.version, remove=str(attachment.public_id))
    data.pop("action")
    response = as_supplier.post(edit_url(open_phase), data, follow=True)
    assert "File removed." in response.content.decode()
    assert not ProposalAttachment.objects.exists()
    assert Proposal.objects.get().answers.count() == 3


def test_a_stale_form_is_refused_with_the_input_kept(as_supplier, open_phase, supplier, company):
    proposal = services.proposal_save_draft(actor=supplier, phase=open_phase, company=company)
    stale = proposal.version
    services.proposal_save_draft(
        actor=supplier, phase=open_phase, company=company, version=stale, title="Colleague"
    )
    with assert_unchanged():
        response = as_supplier.post(
            edit_url(open_phase), form_data(open_phase, version=stale, text="Mine")
        )
    html = response.content.decode()
    assert "Someone else changed this proposal since you opened it." in html
    assert "Mine to “Cost”." in html


def test_submitting_leads_to_the_receipt(as_supplier, open_phase):
    response = as_supplier.post(edit_url(open_phase), form_data(open_phase, action="submit"))
    receipt = ProposalReceipt.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("proposals:receipt", args=[receipt.public_id])
    page = as_supplier.get(response["Location"]).content.decode()
    assert receipt.content_sha256 in page
    assert "Your proposal has been received." in page


def test_double_clicking_submit_creates_one_receipt(as_supplier, open_phase):
    data = form_data(open_phase, action="submit", token=form_token())
    first = as_supplier.post(edit_url(open_phase), data)
    second = as_supplier.post(edit_url(open_phase), data)
    assert ProposalReceipt.objects.count() == 1
    assert first["Location"] == second["Location"]


def test_an_incomplete_submission_names_what_is_missing_and_keeps_the_draft(
    as_supplier, open_phase
):
    criteria = list(AwardCriterion.objects.filter(phase=open_phase).order_by("order"))
    data = form_data(open_phase, action="submit", attachment=pdf())
    data[f"answer_{criteria[2].public_id}"] = ""
    response = as_supplier.post(edit_url(open_phase), data)
    assert response.status_code == 200
    html = response.content.decode()
    assert "Answer “Cost” before you submit." in html
    assert f'href="#id_answer_{criteria[2].public_id}"' in html
    proposal = Proposal.objects.get()
    assert proposal.status == ProposalStatus.DRAFT
    assert proposal.answers.exclude(text="").count() == 2
    assert ProposalAttachment.objects.count() == 1  # the file chosen is not lost either
    assert not ProposalReceipt.objects.exists()


def test_a_submission_one_second_late_is_refused_naming_the_deadline(as_supplier, open_phase):
    with time_machine.travel(open_phase.deadline, tick=False):
        response = as_supplier.post(edit_url(open_phase), form_data(open_phase, action="submit"))
    assert not ProposalReceipt.objects.exists()
    html = response.content.decode()
    assert "govuk-error-summary" in html
    assert "The deadline for proposals was" in html
    assert "Our answer to “Cost”." in html  # what was typed is shown again, not lost


def test_the_page_of_a_submitted_proposal_shows_the_receipt_and_withdraw(
    as_supplier, submitted_proposal, open_phase
):
    html = as_supplier.get(edit_url(open_phase)).content.decode()
    receipt = ProposalReceipt.objects.get()
    assert "Proposal received" in html
    assert reverse("proposals:receipt", args=[receipt.public_id]) in html
    assert reverse("proposals:withdraw", args=[submitted_proposal.public_id]) in html
    assert 'name="action"' not in html


def test_a_price_field_appears_when_the_phase_asks_for_one(as_supplier, open_phase):
    open_phase.asks_price = True
    open_phase.save()
    data = form_data(open_phase, action="submit", price="-5")
    response = as_supplier.post(edit_url(open_phase), data)
    html = response.content.decode()
    assert 'name="price"' in html
    assert 'href="#id_price"' in html
    response = as_supplier.post(edit_url(open_phase), form_data(open_phase, action="submit"))
    assert "Enter the price you propose before you submit." in response.content.decode()
    as_supplier.post(edit_url(open_phase), form_data(open_phase, action="submit", price="1500.5"))
    assert ProposalReceipt.objects.get().snapshot["declared_price"] == "1500.50"


def test_people_without_a_company_are_told_how_to_get_one(client, outsider, open_phase):
    client.force_login(outsider)
    response = client.get(edit_url(open_phase))
    assert response.status_code == 403
    assert "Only companies can send proposals" in response.content.decode()


def test_members_of_several_companies_choose_one(
    client, supplier, company, open_phase, make_organisation
):
    other = make_organisation(OrganisationKind.COMPANY, name="Second Venture", admin=supplier)
    client.force_login(supplier)
    html = client.get(edit_url(open_phase)).content.decode()
    assert "Choose the company" in html
    assert "Second Venture" in html
    response = client.get(edit_url(open_phase), {"company": str(other.public_id)})
    assert "Second Venture" in response.content.decode()
    assert 'name="form_token"' in response.content.decode()


def test_another_companys_id_in_the_address_is_forbidden(as_supplier, open_phase, second_company):
    response = as_supplier.get(edit_url(open_phase), {"company": str(second_company.public_id)})
    assert response.status_code == 403


def test_unknown_or_draft_phases_are_not_found(as_supplier, challenge_draft):
    import uuid

    assert as_supplier.get(reverse("proposals:edit", args=[uuid.uuid4()])).status_code == 404
    draft_phase = challenge_draft.phases.get(order=1)
    assert as_supplier.get(edit_url(draft_phase)).status_code == 404


def test_an_ineligible_company_sees_why(client, open_phase, make_organisation, make_user, country):
    founder = make_user()
    make_organisation(OrganisationKind.COMPANY, admin=founder, country=country("US"))
    client.force_login(founder)
    html = client.get(edit_url(open_phase)).content.decode()
    assert "established in the European Union or the European Economic Area" in html
    assert 'value="submit"' not in html


# --- Withdraw, history, list -------------------------------------------------------------


def test_withdrawing_from_the_page(as_supplier, submitted_proposal, open_phase):
    url = reverse("proposals:withdraw", args=[submitted_proposal.public_id])
    assert "Withdraw your proposal?" in as_supplier.get(url).content.decode()
    response = as_supplier.post(url, follow=True)
    assert "Your proposal is withdrawn." in response.content.decode()
    submitted_proposal.refresh_from_db()
    assert submitted_proposal.status == ProposalStatus.WITHDRAWN
    assert 'value="submit"' in response.content.decode()  # it can be submitted again


def test_withdrawing_after_the_deadline_shows_the_refusal(
    as_supplier, submitted_proposal, open_phase
):
    url = reverse("proposals:withdraw", args=[submitted_proposal.public_id])
    with (
        time_machine.travel(open_phase.deadline + dt.timedelta(seconds=1), tick=False),
        assert_unchanged(),
    ):
        response = as_supplier.post(url)
    assert response.status_code == 200
    assert "(Brussels time)" in response.content.decode()


@pytest.mark.parametrize("persona", ["outsider", "buyer", "moderator", "second_supplier"])
def test_only_the_company_withdraws_or_sees_the_history(
    request, client, submitted_proposal, persona
):
    client.force_login(request.getfixturevalue(persona))
    with assert_unchanged():
        assert (
            client.post(
                reverse("proposals:withdraw", args=[submitted_proposal.public_id])
            ).status_code
            == 403
        )
    assert (
        client.get(reverse("proposals:history", args=[submitted_proposal.public_id])).status_code
        == 403
    )


def test_the_history_shows_drafted_submitted_withdrawn_and_opened(
    client, supplier, buyer, open_phase, company, authority
):
    services.proposal_save_draft(
        actor=supplier, phase=open_phase, company=company, answers=answers_for(open_phase)
    )
    services.proposal_submit(
        actor=supplier, phase=open_phase, company=company, idempotency_key=form_token()
    )
    proposal = Proposal.objects.get()
    services.proposal_withdraw(actor=supplier, proposal=proposal)
    services.proposal_submit(
        actor=supplier, phase=open_phase, company=company, idempotency_key=form_token()
    )
    with time_machine.travel(open_phase.deadline + dt.timedelta(hours=1), tick=False):
        services.proposals_open(actor=buyer, phase=open_phase)
        client.force_login(supplier)
        html = client.get(reverse("proposals:history", args=[proposal.public_id])).content.decode()
    labels = re.findall(r'<td class="govuk-table__cell">([^<]+)</td><td', html)
    assert labels == [
        "Draft saved",
        "Submitted",
        "Withdrawn",
        "Submitted",
        "Proposals opened by the buyer",
    ]
    assert "Sofia Supplier" in html
    assert authority.name in html


def test_the_list_of_ones_own_proposals_has_no_n_plus_1(
    client, supplier, make_challenge, make_proposal, django_assert_max_num_queries
):
    for n in range(3):
        phase = make_challenge(title=f"Challenge {n}", open_first=True).phases.get(order=1)
        make_proposal(phase, submit=n % 2 == 0)
    client.force_login(supplier)
    with django_assert_max_num_queries(12):
        response = client.get(reverse("proposals:list"))
    html = response.content.decode()
    for n in range(3):
        assert f"Challenge {n}" in html
    assert html.count(">Receipt</a>") == 2


# --- Buyer's pages -------------------------------------------------------------------------


def phase_url(phase) -> str:
    return reverse("proposals:phase", args=[phase.public_id])


def test_before_the_deadline_the_buyer_sees_a_count_only(
    client, buyer, open_phase, make_proposal, second_company, second_supplier
):
    make_proposal(open_phase)
    make_proposal(open_phase, company=second_company, actor=second_supplier)
    client.force_login(buyer)
    html = client.get(phase_url(open_phase)).content.decode()
    assert "2 proposals received" in html
    assert "CivicTech" not in html
    assert "ParkWise" not in html
    assert "Open proposals" not in html


def test_after_the_deadline_the_lead_buyer_is_offered_to_open(
    client, buyer, submitted_proposal, open_phase
):
    client.force_login(buyer)
    with time_machine.travel(open_phase.deadline + dt.timedelta(minutes=1), tick=False):
        html = client.get(phase_url(open_phase)).content.decode()
        assert "1 proposal received" in html
        assert reverse("proposals:open", args=[open_phase.public_id]) in html
        assert "CivicTech" not in html
        response = client.post(reverse("proposals:open", args=[open_phase.public_id]), follow=True)
    html = response.content.decode()
    assert "The proposals are open." in html
    assert "CivicTech Solutions" in html
    assert reverse("proposals:detail", args=[submitted_proposal.public_id]) in html


def test_opening_from_the_page_before_the_deadline_is_refused_and_changes_nothing(
    client, buyer, submitted_proposal, open_phase
):
    client.force_login(buyer)
    url = reverse("proposals:open", args=[open_phase.public_id])
    assert "can be opened only after the deadline" in client.get(url).content.decode()
    with assert_unchanged():
        response = client.post(url)
    assert response.status_code == 200
    assert "Proposals can only be opened after the deadline" in response.content.decode()


@pytest.mark.parametrize(
    "persona", ["authority_admin", "moderator", "superuser", "supplier", "outsider"]
)
def test_only_the_lead_buyer_reaches_the_opening_page(request, client, opened_phase, persona):
    client.force_login(request.getfixturevalue(persona))
    assert client.get(reverse("proposals:open", args=[opened_phase.public_id])).status_code == 403


def test_the_opened_list_has_no_n_plus_1(
    client,
    buyer,
    open_phase,
    make_proposal,
    make_organisation,
    make_user,
    django_assert_max_num_queries,
):
    for n in range(4):
        founder = make_user()
        firm = make_organisation(OrganisationKind.COMPANY, admin=founder, name=f"Firm {n}")
        make_proposal(open_phase, company=firm, actor=founder)
    with time_machine.travel(open_phase.deadline + dt.timedelta(hours=1), tick=True):
        services.proposals_open(actor=buyer, phase=open_phase)
        client.force_login(buyer)
        with django_assert_max_num_queries(14):
            html = client.get(phase_url(open_phase)).content.decode()
    for n in range(4):
        assert f"Firm {n}" in html


def test_the_receipt_file_hashes_to_the_receipt(as_supplier, submitted_proposal):
    receipt = ProposalReceipt.objects.get()
    response = as_supplier.get(reverse("proposals:receipt_json", args=[receipt.public_id]))
    assert response["Content-Disposition"].startswith("attachment;")
    assert hashlib.sha256(response.content).hexdigest() == receipt.content_sha256


def test_files_download_with_their_checked_type(as_supplier, submitted_proposal):
    attachment = ProposalAttachment.objects.get()
    response = as_supplier.get(reverse("proposals:attachment", args=[attachment.public_id]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    assert b"".join(response.streaming_content) == PDF_BYTES


def test_pages_with_content_are_never_cached(as_supplier, submitted_proposal, open_phase):
    receipt = ProposalReceipt.objects.get()
    attachment = ProposalAttachment.objects.get()
    for url in [
        edit_url(open_phase),
        reverse("proposals:detail", args=[submitted_proposal.public_id]),
        reverse("proposals:receipt", args=[receipt.public_id]),
        reverse("proposals:receipt_json", args=[receipt.public_id]),
        reverse("proposals:attachment", args=[attachment.public_id]),
        reverse("proposals:history", args=[submitted_proposal.public_id]),
    ]:
        response = as_supplier.get(url)
        assert "no-store" in response["Cache-Control"], url
        assert "private" in response["Cache-Control"], url
