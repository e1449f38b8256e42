"""Demo step: train the CPV suggester (when notices are imported) and build the search index."""

from __future__ import annotations

from govhub.matching.store import suggester_train
from govhub.search.indexing import reindex


def build_demo() -> list[str]:
    """Idempotent: a new model replaces the old one; reindexing rewrites every row."""
    from govhub.reference.models import CpvCode

    lines = []
    if CpvCode.objects.exists():
        row = suggester_train()
        lines.append(f"CPV suggester trained: {row.examples} examples from {row.notices} notices")
    counts = reindex()
    lines.append(
        "Search index: " + ", ".join(f"{kind} {n}" for kind, n in counts.items() if n)
        if any(counts.values())
        else "Search index: empty"
    )
    return lines
