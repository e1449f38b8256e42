"""Helpers for the proposals tests: proving a refused action changed nothing."""

from __future__ import annotations

import io
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from django.core.files.uploadedfile import SimpleUploadedFile

from govhub.challenges.models import Phase
from govhub.core.models import AuditEvent
from govhub.proposals.models import Proposal, ProposalAnswer, ProposalAttachment, ProposalReceipt


def stored_files(root: Path) -> list[str]:
    return sorted(str(p.relative_to(root)) for p in root.rglob("*") if p.is_file())


def db_state(root: Path | None = None) -> dict[str, Any]:
    """Everything the proposals services may write, the audit log's length and the files."""
    return {
        "proposals": list(
            Proposal.objects.order_by("pk").values_list(
                "pk",
                "status",
                "title",
                "declared_price",
                "submitted_at",
                "withdrawn_at",
                "version",
                "updated_at",
            )
        ),
        "answers": list(
            ProposalAnswer.objects.order_by("pk").values_list("pk", "criterion_id", "text")
        ),
        "attachments": list(
            ProposalAttachment.objects.order_by("pk").values_list("pk", "sha256", "file")
        ),
        "receipts": list(
            ProposalReceipt.objects.order_by("pk").values_list(
                "pk", "is_current", "content_sha256", "idempotency_key"
            )
        ),
        "phases": list(
            Phase.objects.order_by("pk").values_list(
                "pk", "proposals_opened_at", "proposals_opened_by_id", "deadline", "status"
            )
        ),
        "audit_events": AuditEvent.objects.count(),
        "files": stored_files(root) if root is not None and root.exists() else [],
    }


@contextmanager
def assert_unchanged(root: Path | None = None) -> Iterator[None]:
    """Wrap a refused action: the database, the audit log and the stored files stay as they
    were."""
    before = db_state(root)
    yield
    assert db_state(root) == before


def last_event() -> Any:
    event = AuditEvent.objects.order_by("-pk").first()
    assert event is not None
    return event


def events(action: str) -> list[Any]:
    return list(AuditEvent.objects.filter(action=action).order_by("pk"))


def upload(name: str, data: bytes, content_type: str = "application/octet-stream") -> Any:
    return SimpleUploadedFile(name, data, content_type=content_type)


def zip_bytes(entries: dict[str, bytes], *, first_stored: str | None = None) -> bytes:
    """A real ZIP archive; ``first_stored`` names an entry written first, uncompressed (as
    OpenDocument requires for its ``mimetype``)."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        if first_stored is not None:
            archive.writestr(
                zipfile.ZipInfo(first_stored), entries[first_stored], zipfile.ZIP_STORED
            )
        for name, data in entries.items():
            if name != first_stored:
                archive.writestr(name, data)
    return buffer.getvalue()


def odt_bytes(mimetype: str = "application/vnd.oasis.opendocument.text") -> bytes:
    return zip_bytes(
        {"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>"},
        first_stored="mimetype",
    )


def docx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w:document/>"})


def xlsx_bytes() -> bytes:
    return zip_bytes({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<workbook/>"})
