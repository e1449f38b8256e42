"""Attachments: allowed types by extension and content, size limits, SHA-256, private storage."""

from __future__ import annotations

import hashlib
from unittest import mock

import pytest
from django.db.models import F

from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed
from govhub.proposals import services
from govhub.proposals.models import Proposal, ProposalAttachment
from govhub.proposals.services import files

from .fixtures import PDF_BYTES, PNG_BYTES, pdf
from .helpers import (
    assert_unchanged,
    docx_bytes,
    last_event,
    odt_bytes,
    stored_files,
    upload,
    xlsx_bytes,
    zip_bytes,
)

pytestmark = pytest.mark.django_db

MB = 1024 * 1024

GOOD = {
    "report.pdf": PDF_BYTES,
    "plan.odt": odt_bytes(),
    "budget.ods": odt_bytes("application/vnd.oasis.opendocument.spreadsheet"),
    "plan.docx": docx_bytes(),
    "budget.xlsx": xlsx_bytes(),
    "data.csv": "site;spaces\nGare du Midi;120\nFlagey;80 – €\n".encode(),
    "diagram.png": PNG_BYTES,
    "photo.jpg": b"\xff\xd8\xff\xe0" + b"\x00" * 16,
    "photo.JPEG": b"\xff\xd8\xff\xe1" + b"\x00" * 16,
    "sources.zip": zip_bytes({"README.txt": b"hello"}),
}

BAD = {
    "setup.exe": b"MZ\x90\x00",  # not an allowed type
    "no-extension": PDF_BYTES,
    "invoice.pdf": b"MZ\x90\x00 renamed executable",
    "diagram.png": b"GIF89a",
    "photo.jpg": PNG_BYTES,
    "plan.docx": zip_bytes({"README.txt": b"a zip, not a document"}),
    "budget.xlsx": docx_bytes(),
    "plan.odt": odt_bytes("application/vnd.oasis.opendocument.spreadsheet"),
    "plan.ods": zip_bytes({"mimetype": b"application/vnd.oasis.opendocument.spreadsheet"}),
    "data.csv": b"\x00\x01binary\xff\xfe",
    "latin1.csv": "caf\xe9;1\n".encode("latin-1"),
    "fake.zip": b"PK\x03\x04 but truncated",
    "empty.pdf": b"",
}


@pytest.fixture
def draft(open_phase, company, supplier):
    return services.proposal_save_draft(actor=supplier, phase=open_phase, company=company)


@pytest.mark.parametrize("name", list(GOOD))
def test_allowed_types_are_accepted_and_hashed(draft, supplier, proposal_files, name):
    data = GOOD[name]
    attachment = services.proposal_attachment_add(
        actor=supplier, proposal=draft, upload=upload(name, data, "text/html")
    )
    assert attachment.original_name == name
    assert attachment.size == len(data)
    assert attachment.sha256 == hashlib.sha256(data).hexdigest()
    # The stored type comes from the checked extension, never from the browser's claim.
    assert attachment.content_type == files.CONTENT_TYPES[name[name.rindex(".") :].lower()]
    stored = proposal_files / attachment.file.name
    assert stored.read_bytes() == data
    # A random stored name: the original name (sealed content) is not on the disk path.
    assert name.split(".")[0] not in attachment.file.name
    event = last_event()
    assert event.action == "proposal.attachment_add"
    assert event.after == {"attachment": str(attachment.public_id), "sha256": attachment.sha256}


@pytest.mark.parametrize("name", list(BAD))
def test_wrong_types_and_disguised_files_are_refused(draft, supplier, proposal_files, name):
    with assert_unchanged(proposal_files), pytest.raises(InvalidInput) as refused:
        services.proposal_attachment_add(
            actor=supplier, proposal=draft, upload=upload(name, BAD[name])
        )
    assert list(refused.value.field_errors) == ["attachment"]


def test_files_over_20_mb_are_refused(draft, supplier, proposal_files):
    big = PDF_BYTES + b"\x00" * (20 * MB + 1 - len(PDF_BYTES))
    with assert_unchanged(proposal_files), pytest.raises(InvalidInput) as refused:
        services.proposal_attachment_add(
            actor=supplier, proposal=draft, upload=pdf("big.pdf", big[len(PDF_BYTES) :])
        )
    assert "20 MB" in refused.value.message


def test_a_file_of_exactly_20_mb_is_accepted(draft, supplier):
    body = b"\x00" * (20 * MB - len(PDF_BYTES))
    attachment = services.proposal_attachment_add(
        actor=supplier, proposal=draft, upload=pdf("exact.pdf", body)
    )
    assert attachment.size == 20 * MB


def test_a_proposal_holds_at_most_100_mb_of_files(draft, supplier, proposal_files):
    first = services.proposal_attachment_add(actor=supplier, proposal=draft, upload=pdf("a.pdf"))
    # Pretend the files already stored total just under 100 MB (cheaper than writing them).
    ProposalAttachment.objects.filter(pk=first.pk).update(size=100 * MB - 10)
    with assert_unchanged(proposal_files), pytest.raises(InvalidInput) as refused:
        services.proposal_attachment_add(actor=supplier, proposal=draft, upload=pdf("b.pdf"))
    assert "100 MB" in refused.value.message
    ProposalAttachment.objects.filter(pk=first.pk).update(size=F("size") - 100)
    services.proposal_attachment_add(actor=supplier, proposal=draft, upload=pdf("c.pdf"))


def test_the_same_file_twice_is_attached_once(draft, supplier):
    first = services.proposal_attachment_add(actor=supplier, proposal=draft, upload=pdf())
    with assert_unchanged():
        again = services.proposal_attachment_add(actor=supplier, proposal=draft, upload=pdf())
    assert again.pk == first.pk


def test_removing_deletes_the_row_then_the_file_once_committed(
    draft, supplier, proposal_files, django_capture_on_commit_callbacks
):
    attachment = services.proposal_attachment_add(actor=supplier, proposal=draft, upload=pdf())
    path = proposal_files / attachment.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.proposal_attachment_remove(actor=supplier, attachment=attachment)
    assert not ProposalAttachment.objects.filter(pk=attachment.pk).exists()
    assert not path.exists()
    assert last_event().action == "proposal.attachment_remove"


def test_a_crash_while_storing_leaves_no_stray_file(draft, supplier, proposal_files):
    before = stored_files(proposal_files) if proposal_files.exists() else []
    with (
        assert_unchanged(),
        mock.patch(
            "govhub.proposals.services.drafts.audit_record", side_effect=RuntimeError("crash")
        ),
        pytest.raises(RuntimeError),
    ):
        services.proposal_attachment_add(actor=supplier, proposal=draft, upload=pdf())
    assert stored_files(proposal_files) == before


@pytest.mark.parametrize("persona", ["outsider", "buyer", "moderator", "second_supplier"])
def test_only_the_company_attaches_or_removes(request, draft, supplier, proposal_files, persona):
    attachment = services.proposal_attachment_add(actor=supplier, proposal=draft, upload=pdf())
    actor = request.getfixturevalue(persona)
    with assert_unchanged(proposal_files):
        with pytest.raises(NotAllowed):
            services.proposal_attachment_add(actor=actor, proposal=draft, upload=pdf("x.pdf"))
        with pytest.raises(NotAllowed):
            services.proposal_attachment_remove(actor=actor, attachment=attachment)


def test_files_of_a_submitted_proposal_cannot_change(submitted_proposal, supplier, proposal_files):
    attachment = ProposalAttachment.objects.get(proposal=submitted_proposal)
    with assert_unchanged(proposal_files):
        with pytest.raises(InvalidTransition):
            services.proposal_attachment_add(
                actor=supplier, proposal=submitted_proposal, upload=pdf("late.pdf")
            )
        with pytest.raises(InvalidTransition):
            services.proposal_attachment_remove(actor=supplier, attachment=attachment)


def test_names_are_cleaned_of_folders_and_control_characters():
    assert files.clean_name("../../etc/passwd\x00.pdf") == "passwd.pdf"
    assert files.clean_name("C:\\Users\\me\\plan.odt") == "plan.odt"
    long = "a" * 300 + ".pdf"
    assert files.clean_name(long).endswith(".pdf")
    assert len(files.clean_name(long)) == 255


def test_drafts_add_and_remove_files_with_the_answers(open_phase, company, supplier):
    proposal = services.proposal_save_draft(
        actor=supplier,
        phase=open_phase,
        company=company,
        add_files=[pdf("a.pdf"), pdf("b.pdf", b"2")],
    )
    names = sorted(
        ProposalAttachment.objects.filter(proposal=proposal).values_list("original_name", flat=True)
    )
    assert names == ["a.pdf", "b.pdf"]
    a = ProposalAttachment.objects.get(proposal=proposal, original_name="a.pdf")
    proposal = services.proposal_save_draft(
        actor=supplier,
        phase=open_phase,
        company=company,
        version=proposal.version,
        remove_attachments=[a.public_id],
    )
    assert list(
        Proposal.objects.get(pk=proposal.pk).attachments.values_list("original_name", flat=True)
    ) == ["b.pdf"]
    assert last_event().after["attachments_removed"] == [str(a.public_id)]
