"""Small real files of each accepted format, and a few impostors, for upload tests."""

from __future__ import annotations

import io
import zipfile

from django.core.files.uploadedfile import SimpleUploadedFile

PDF = b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n"


def _zip(members: dict[str, bytes]) -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buffer.getvalue()


def odf(mimetype: str) -> bytes:
    return _zip({"mimetype": mimetype.encode(), "content.xml": b"<office:document-content/>"})


SAMPLES: dict[str, bytes] = {
    "terms.pdf": PDF,
    "template.odt": odf("application/vnd.oasis.opendocument.text"),
    "budget.ods": odf("application/vnd.oasis.opendocument.spreadsheet"),
    "template.docx": _zip({"[Content_Types].xml": b"<Types/>", "word/document.xml": b"<w/>"}),
    "budget.xlsx": _zip({"[Content_Types].xml": b"<Types/>", "xl/workbook.xml": b"<wb/>"}),
    "car-parks.csv": "name,spaces\nGrand-Place,420\nMidi,310\nÉtangs,95\n".encode(),
    "maps.zip": _zip({"map.geojson": b"{}"}),
}


def upload(name: str, data: bytes | None = None) -> SimpleUploadedFile:
    return SimpleUploadedFile(name, SAMPLES[name] if data is None else data)
