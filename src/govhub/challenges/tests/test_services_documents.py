from __future__ import annotations

import hashlib

import pytest
from django.core.files.storage import default_storage

from govhub.challenges import services
from govhub.challenges.models import Phase, PhaseDocument
from govhub.core.errors import InvalidInput, InvalidTransition, NotAllowed

from .files import PDF, SAMPLES, odf, upload
from .fixtures import first_phase
from .helpers import assert_unchanged, last_event

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.mark.parametrize("name", sorted(SAMPLES))
def test_each_accepted_format_is_stored(buyer, challenge_draft, name):
    phase = first_phase(challenge_draft)
    doc = services.document_add(actor=buyer, phase=phase, title="", file=upload(name))
    assert doc.title == name.rsplit(".", 1)[0]
    assert doc.original_name == name
    assert doc.size == len(SAMPLES[name])
    assert doc.sha256 == hashlib.sha256(SAMPLES[name]).hexdigest()
    # Stored under a random name through the storage API, not under the uploaded name.
    assert name not in doc.file.name
    with default_storage.open(doc.file.name) as stored:
        assert stored.read() == SAMPLES[name]
    event = last_event()
    assert (event.action, event.after["sha256"]) == ("document.add", doc.sha256)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("virus.exe", b"MZ\x90\x00"),
        ("script.js", b"alert(1)"),
        ("fake.pdf", b"MZ\x90\x00 not a pdf"),
        ("fake.docx", PDF),
        ("fake.odt", odf("application/vnd.oasis.opendocument.spreadsheet")),
        ("fake.xlsx", SAMPLES["template.docx"]),
        ("fake.zip", b"PK but not really"),
        ("binary.csv", b"a,b\x00\x01"),
        ("latin1.csv", "café".encode("latin-1")),
        ("empty.pdf", b""),
    ],
)
def test_other_formats_and_impostors_are_refused(buyer, challenge_draft, tmp_path, name, data):
    phase = first_phase(challenge_draft)
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.document_add(actor=buyer, phase=phase, title="Doc", file=upload(name, data))
    assert "file" in caught.value.field_errors
    assert list(tmp_path.rglob("*.*")) == []


def test_files_over_20_mb_are_refused(buyer, challenge_draft, tmp_path):
    big = PDF + b"0" * (20 * 1024 * 1024)
    with assert_unchanged(), pytest.raises(InvalidInput) as caught:
        services.document_add(
            actor=buyer, phase=first_phase(challenge_draft), title="Big", file=upload("b.pdf", big)
        )
    assert "20 MB" in caught.value.message
    assert list(tmp_path.rglob("*.*")) == []


def test_exactly_20_mb_is_accepted(buyer, challenge_draft):
    data = PDF + b"0" * (20 * 1024 * 1024 - len(PDF))
    doc = services.document_add(
        actor=buyer, phase=first_phase(challenge_draft), title="Max", file=upload("m.pdf", data)
    )
    assert doc.size == 20 * 1024 * 1024


@pytest.mark.parametrize("persona", ["cobuyer", "supplier", "outsider"])
def test_only_lead_buyers_add_documents(request, persona, challenge_draft):
    actor = request.getfixturevalue(persona)
    with assert_unchanged(), pytest.raises(NotAllowed):
        services.document_add(
            actor=actor, phase=first_phase(challenge_draft), title="D", file=upload("terms.pdf")
        )


def test_addendum_to_an_open_phase(buyer, open_phase):
    doc = services.document_add(
        actor=buyer, phase=open_phase, title="Addendum", file=upload("terms.pdf")
    )
    assert doc.phase == open_phase


def test_no_documents_once_the_phase_closed(buyer, open_phase):
    Phase.objects.filter(pk=open_phase.pk).update(status="closed")
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.document_add(actor=buyer, phase=open_phase, title="Late", file=upload("terms.pdf"))


def test_remove_a_draft_document(buyer, challenge_draft, django_capture_on_commit_callbacks):
    doc = services.document_add(
        actor=buyer, phase=first_phase(challenge_draft), title="D", file=upload("terms.pdf")
    )
    name = doc.file.name
    with django_capture_on_commit_callbacks(execute=True):
        services.document_remove(actor=buyer, document=doc)
    assert not PhaseDocument.objects.filter(pk=doc.pk).exists()
    assert not default_storage.exists(name)
    assert last_event().action == "document.remove"


def test_published_documents_stay(buyer, open_phase):
    doc = services.document_add(actor=buyer, phase=open_phase, title="D", file=upload("terms.pdf"))
    with assert_unchanged(), pytest.raises(InvalidTransition):
        services.document_remove(actor=buyer, document=doc)
