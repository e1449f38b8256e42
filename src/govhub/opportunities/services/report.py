"""What one TED import run did: its counts, skipped files and timings."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any


@dataclass
class ImportReport:
    files_read: int = 0
    notices_created: int = 0
    notices_updated: int = 0
    notices_unchanged: int = 0
    lots: int = 0
    awards: int = 0
    winners: int = 0
    organisations_created: int = 0
    corrigenda_applied: int = 0
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (file name, reason)
    # Where the time went (seconds), for ``govhub bench import``.
    parse_seconds: float = 0.0  # summed over the worker processes when there are several
    write_seconds: float = 0.0
    workers: int = 1

    @property
    def changed(self) -> bool:
        return bool(self.notices_created or self.notices_updated or self.organisations_created)

    def as_dict(self) -> dict[str, Any]:
        return {
            "files_read": self.files_read,
            "notices_created": self.notices_created,
            "notices_updated": self.notices_updated,
            "notices_unchanged": self.notices_unchanged,
            "lots": self.lots,
            "awards": self.awards,
            "winners": self.winners,
            "organisations_created": self.organisations_created,
            "corrigenda_applied": self.corrigenda_applied,
            "skipped": [{"file": f, "reason": r} for f, r in self.skipped],
        }
