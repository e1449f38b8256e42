"""Documents of a phase (terms, templates, data sets), stored through Django's storage API.

Only open formats and the usual office ones are taken, checked by their content and not only
their name, up to 20 MB each. Files are stored under a random name (the original is kept for
downloads), so a draft's documents cannot be found by guessing their address.
"""

from __future__ import annotations

import hashlib
import io
import os
import uuid
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.core.files.base import ContentFile
from django.db import transaction
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import Conflict, InvalidInput, InvalidTransition

from ..models import ChallengeStatus, Phase, PhaseDocument, PhaseStatus
from ._common import lock_phase, require_draft, require_lead_buyer

MAX_DOCUMENT_BYTES = 20 * 1024 * 1024


@dataclass(frozen=True)
class Format:
    content_type: str
    label: str


FORMATS: dict[str, Format] = {
    ".pdf": Format("application/pdf", "PDF"),
    ".odt": Format("application/vnd.oasis.opendocument.text", "ODT"),
    ".ods": Format("application/vnd.oasis.opendocument.spreadsheet", "ODS"),
    ".docx": Format(
        "application/vnd.openxmlformats-officedocument.wordprocessingml.document", "DOCX"
    ),
    ".xlsx": Format("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "XLSX"),
    ".csv": Format("text/csv", "CSV"),
    ".zip": Format("application/zip", "ZIP"),
}
ALLOWED_LABELS = ", ".join(f.label for f in FORMATS.values())


def _read_all(file: Any) -> bytes:
    if hasattr(file, "seek"):
        file.seek(0)
    chunks = file.chunks() if hasattr(file, "chunks") else iter(lambda: file.read(65536), b"")
    data = io.BytesIO()
    for chunk in chunks:
        data.write(chunk)
        if data.tell() > MAX_DOCUMENT_BYTES:
            break
    if hasattr(file, "seek"):
        file.seek(0)
    return data.getvalue()


def _zip_names(data: bytes) -> tuple[zipfile.ZipFile, set[str]] | None:
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        return archive, set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return None


def _content_matches(ext: str, data: bytes) -> bool:
    """Whether the bytes really are the format the name says (no archive is extracted)."""
    if ext == ".pdf":
        return data.startswith(b"%PDF-")
    if ext == ".csv":
        if b"\x00" in data:
            return False
        try:
            data.decode("utf-8-sig")
        except UnicodeDecodeError:
            return False
        return True
    opened = _zip_names(data)
    if opened is None:
        return False
    archive, names = opened
    with archive:
        if ext == ".zip":
            return True
        if ext in {".odt", ".ods"}:
            if "mimetype" not in names:
                return False
            info = archive.getinfo("mimetype")
            if info.file_size > 200:
                return False
            return archive.read("mimetype").decode("ascii", "replace").strip() == (
                FORMATS[ext].content_type
            )
        if ext == ".docx":
            return "[Content_Types].xml" in names and "word/document.xml" in names
        if ext == ".xlsx":
            return "[Content_Types].xml" in names and "xl/workbook.xml" in names
    return False


def check_upload(file: Any) -> tuple[str, Format, bytes]:
    """The upload's extension, format and bytes; InvalidInput on the ``file`` field else."""

    def refuse(message: str) -> InvalidInput:
        return InvalidInput(message, field_errors={"file": [message]})

    if file is None:
        raise refuse(_("Choose a file to upload."))
    name = os.path.basename(getattr(file, "name", "") or "")
    ext = os.path.splitext(name)[1].lower()
    size = getattr(file, "size", None)
    if size is not None and size > MAX_DOCUMENT_BYTES:
        raise refuse(_("The file must be smaller than 20 MB."))
    if ext not in FORMATS:
        raise refuse(_("The file must be a %(formats)s file.") % {"formats": ALLOWED_LABELS})
    data = _read_all(file)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise refuse(_("The file must be smaller than 20 MB."))
    if not data:
        raise refuse(_("The file is empty."))
    if not _content_matches(ext, data):
        raise refuse(
            _("The file’s content is not a %(format)s file, whatever its name says.")
            % {"format": FORMATS[ext].label}
        )
    return ext, FORMATS[ext], data


def _facts(doc: PhaseDocument) -> dict[str, Any]:
    return {
        "phase": str(doc.phase.public_id),
        "title": doc.title,
        "original_name": doc.original_name,
        "content_type": doc.content_type,
        "size": doc.size,
        "sha256": doc.sha256,
    }


@transaction.atomic
def document_add(*, actor: Any, phase: Phase, title: str, file: IO[bytes] | Any) -> PhaseDocument:
    """Attach a document to a phase: while drafting, or to a published phase not yet closed
    (an addendum everyone sees)."""
    challenge, fresh = lock_phase(phase)
    require_lead_buyer(actor, challenge)
    if challenge.status not in {ChallengeStatus.DRAFT, ChallengeStatus.PUBLISHED} or (
        challenge.status == ChallengeStatus.PUBLISHED
        and fresh.status not in {PhaseStatus.PLANNED, PhaseStatus.OPEN}
    ):
        raise InvalidTransition(
            _("Documents can be added only while the phase has not closed."),
            code="documents_closed",
        )
    original = os.path.basename(getattr(file, "name", "") or "")
    clean_title = (title or "").strip() or os.path.splitext(original)[0]
    if len(clean_title) > 200:
        message = _("Enter no more than 200 characters.")
        raise InvalidInput(message, field_errors={"title": [message]})
    ext, fmt, data = check_upload(file)
    doc = PhaseDocument(
        phase=fresh,
        title=clean_title,
        original_name=get_valid_filename(original)[:255] or f"document{ext}",
        content_type=fmt.content_type,
        size=len(data),
        sha256=hashlib.sha256(data).hexdigest(),
        uploaded_by=actor,
    )
    doc.file.save(f"{uuid.uuid4().hex}{ext}", ContentFile(data), save=False)
    stored = doc.file.name
    storage = doc.file.storage
    # The file is written before the row: if recording it fails, the file goes too.
    try:
        doc.save()
        audit_record(
            actor=actor,
            action="document.add",
            obj=doc,
            organisation_id=challenge.lead_authority.public_id,
            after=_facts(doc),
        )
    except Exception:
        storage.delete(stored)
        raise
    return doc


@transaction.atomic
def document_remove(*, actor: Any, document: PhaseDocument) -> None:
    """Remove a document while the challenge is a draft (published documents stay)."""
    challenge, _phase = lock_phase(document.phase)
    require_lead_buyer(actor, challenge)
    require_draft(challenge)
    doc = PhaseDocument.objects.select_related("phase").filter(pk=document.pk).first()
    if doc is None:
        raise Conflict(_("This document has already been removed."))
    before = _facts(doc)
    audit_record(
        actor=actor,
        action="document.remove",
        obj=doc,
        organisation_id=challenge.lead_authority.public_id,
        before=before,
    )
    name, storage = doc.file.name, doc.file.storage
    doc.delete()
    transaction.on_commit(lambda: storage.delete(name))
