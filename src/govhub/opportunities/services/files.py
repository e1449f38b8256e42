"""Which files a TED import reads."""

from __future__ import annotations

from collections.abc import Iterable
from pathlib import Path


def ted_files(paths: Iterable[Path | str]) -> list[Path]:
    """The XML files named, and those under the directories named, in name order."""
    found: list[Path] = []
    for raw in paths:
        path = Path(raw)
        if path.is_dir():
            found.extend(sorted(p for p in path.rglob("*.xml") if p.is_file()))
        else:
            found.append(path)
    return found
