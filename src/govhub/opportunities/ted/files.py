"""Reading notice files: hashed, and parsed unless already imported; in worker processes too."""

from __future__ import annotations

import hashlib
import time
from collections.abc import Container
from dataclasses import dataclass
from pathlib import Path

from lxml import etree

from .notice import TedNotice
from .parse import TedFormatError, parse_notice


@dataclass
class ReadResult:
    """One file read, hashed and (unless already known) parsed; what the importer needs."""

    path: Path
    digest: str = ""
    notice: TedNotice | None = None
    error: str = ""  # why the file is skipped
    known: bool = False  # same bytes as a notice already imported
    seconds: float = 0.0  # spent parsing


def read_notice_file(path: Path, known: Container[str] = ()) -> ReadResult:
    """Read, hash and parse one file. No database: runs in worker processes too."""
    try:
        data = path.read_bytes()
    except OSError as exc:
        return ReadResult(path, error=f"cannot read: {exc.strerror or exc}")
    digest = hashlib.sha256(data).hexdigest()
    if digest in known:
        return ReadResult(path, digest, known=True)
    started = time.perf_counter()
    try:
        notice = parse_notice(data)
    except etree.XMLSyntaxError as exc:
        return ReadResult(path, digest, error=f"malformed XML: {exc}")
    except TedFormatError as exc:
        return ReadResult(path, digest, error=str(exc))
    return ReadResult(path, digest, notice, seconds=time.perf_counter() - started)


# Worker processes get the digests already imported once, when they start.
_known_in_worker: frozenset[str] = frozenset()


def init_worker(known: frozenset[str]) -> None:
    global _known_in_worker
    _known_in_worker = known


def read_in_worker(path: Path) -> ReadResult:
    return read_notice_file(path, _known_in_worker)
