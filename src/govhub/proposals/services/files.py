"""Attachment checks: allowed types by extension AND by their first bytes, size limits, hash.

A file whose content does not match its extension is refused: a renamed executable must not
reach an evaluator's computer dressed as a PDF.
"""

from __future__ import annotations

import codecs
import hashlib
import os
import unicodedata
import zipfile
from dataclasses import dataclass
from typing import IO, Any

from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from govhub.core.errors import InvalidInput

MAX_FILE_BYTES = 20 * 1024 * 1024
MAX_PROPOSAL_BYTES = 100 * 1024 * 1024
HEAD_BYTES = 8192

ODF_TEXT = "application/vnd.oasis.opendocument.text"
ODF_SHEET = "application/vnd.oasis.opendocument.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

# Extension → the content type stored and served (never the browser's claim).
CONTENT_TYPES: dict[str, str] = {
    ".pdf": "application/pdf",
    ".odt": ODF_TEXT,
    ".ods": ODF_SHEET,
    ".docx": DOCX,
    ".xlsx": XLSX,
    ".csv": "text/csv",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".zip": "application/zip",
}
ALLOWED_TYPES_LABEL = gettext_lazy("PDF, ODT, DOCX, XLSX, ODS, CSV, PNG, JPEG or ZIP")

FIELD = "attachment"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    extension: str
    content_type: str
    size: int
    sha256: str


def _refuse(message: str) -> InvalidInput:
    return InvalidInput(message, field_errors={FIELD: [message]})


def clean_name(raw: str) -> str:
    """The name shown to people: no folders, no control characters, at most 255 characters."""
    name = os.path.basename((raw or "").replace("\\", "/"))
    name = "".join(ch for ch in name if unicodedata.category(ch)[0] != "C").strip()
    if len(name) > 255:
        stem, ext = os.path.splitext(name)
        name = stem[: 255 - len(ext)] + ext
    return name


def _head(stream: IO[bytes]) -> bytes:
    stream.seek(0)
    head = stream.read(HEAD_BYTES)
    stream.seek(0)
    return head


def _zip_names(stream: IO[bytes]) -> list[str] | None:
    stream.seek(0)
    try:
        with zipfile.ZipFile(stream) as archive:
            names = archive.namelist()
    except (zipfile.BadZipFile, OSError, ValueError):
        names = None
    stream.seek(0)
    return names


def _is_zip(head: bytes) -> bool:
    return head[:4] in (b"PK\x03\x04", b"PK\x05\x06")


def _odf_mimetype(head: bytes) -> str:
    """OpenDocument puts an uncompressed ``mimetype`` entry first in the archive."""
    if not head.startswith(b"PK\x03\x04") or len(head) < 30:
        return ""
    if int.from_bytes(head[8:10], "little") != 0:  # stored, not deflated
        return ""
    name_len = int.from_bytes(head[26:28], "little")
    extra_len = int.from_bytes(head[28:30], "little")
    size = int.from_bytes(head[18:22], "little")
    if head[30 : 30 + name_len] != b"mimetype":
        return ""
    start = 30 + name_len + extra_len
    return head[start : start + size].decode("ascii", errors="replace")


def _is_text(head: bytes) -> bool:
    if b"\x00" in head:
        return False
    decoder = codecs.getincrementaldecoder("utf-8")()
    try:
        # final=False: the 8 KiB cut may fall inside a multi-byte character.
        decoder.decode(head, final=False)
    except UnicodeDecodeError:
        return False
    return True


def content_matches(extension: str, stream: IO[bytes]) -> bool:
    """Whether the file's first bytes (and, for office formats, its parts) fit its type."""
    head = _head(stream)
    if extension == ".pdf":
        return head.startswith(b"%PDF-")
    if extension == ".png":
        return head.startswith(b"\x89PNG\r\n\x1a\n")
    if extension in {".jpg", ".jpeg"}:
        return head.startswith(b"\xff\xd8\xff")
    if extension == ".csv":
        return bool(head) and _is_text(head)
    if not _is_zip(head):
        return False
    if extension in {".odt", ".ods"}:
        return _odf_mimetype(head) == CONTENT_TYPES[extension]
    names = _zip_names(stream)
    if names is None:
        return False
    if extension == ".docx":
        return "[Content_Types].xml" in names and any(n.startswith("word/") for n in names)
    if extension == ".xlsx":
        return "[Content_Types].xml" in names and any(n.startswith("xl/") for n in names)
    return True  # .zip: any readable archive


def hash_stream(stream: Any) -> tuple[str, int]:
    """SHA-256 and length of everything in the stream, read in chunks."""
    digest = hashlib.sha256()
    size = 0
    if hasattr(stream, "chunks"):
        chunks = stream.chunks()
    else:
        stream.seek(0)
        chunks = iter(lambda: stream.read(1024 * 1024), b"")
    for chunk in chunks:
        digest.update(chunk)
        size += len(chunk)
    return digest.hexdigest(), size


def check_upload(upload: Any, *, already_stored: int) -> CheckedFile:
    """Refuse a file of the wrong type, too big, or that would take the proposal over its total."""
    name = clean_name(getattr(upload, "name", "") or "")
    extension = os.path.splitext(name)[1].lower()
    if not name or extension not in CONTENT_TYPES:
        raise _refuse(_("The file must be a %(types)s file.") % {"types": ALLOWED_TYPES_LABEL})
    size = int(getattr(upload, "size", 0) or 0)
    if size == 0:
        raise _refuse(_("The file “%(name)s” is empty.") % {"name": name})
    if size > MAX_FILE_BYTES:
        raise _refuse(_("The file “%(name)s” is larger than 20 MB.") % {"name": name})
    if already_stored + size > MAX_PROPOSAL_BYTES:
        raise _refuse(
            _(
                "Adding “%(name)s” would take the proposal’s files over 100 MB in total. "
                "Remove a file or make this one smaller."
            )
            % {"name": name}
        )
    if not content_matches(extension, upload):
        raise _refuse(
            _(
                "The file “%(name)s” is not a real %(ext)s file: its content does not match "
                "its name."
            )
            % {"name": name, "ext": extension.lstrip(".").upper()}
        )
    sha256, counted = hash_stream(upload)
    upload.seek(0)
    if counted != size:  # the claimed size was wrong: judge by what was really read
        if (
            counted == 0
            or counted > MAX_FILE_BYTES
            or already_stored + counted > MAX_PROPOSAL_BYTES
        ):
            raise _refuse(_("The file “%(name)s” could not be read.") % {"name": name})
        size = counted
    return CheckedFile(
        name=name,
        extension=extension,
        content_type=CONTENT_TYPES[extension],
        size=size,
        sha256=sha256,
    )
