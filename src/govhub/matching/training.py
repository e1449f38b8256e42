"""Examples the CPV suggester learns from: notices, their official titles, the CPV labels."""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from govhub.opportunities.ted import TedNotice

from .suggester import Example

ORIGINAL_WEIGHT = 1.0
TITLE_WEIGHT = 0.5  # each ML_TITLES translation (mostly the main CPV label in that language)
LOT_WEIGHT = 0.5
LABEL_WEIGHT = 0.3  # each CPV label of the reference vocabulary
# Longer descriptions add noise: 1,500 characters scored 0.598 division top-1, 600 0.602.
DESCRIPTION_CHARS = 600

PACKAGED_CPV = Path(__file__).resolve().parent.parent / "reference" / "data" / "cpv.json.gz"


def notice_text(title: str, description: str) -> str:
    """What is matched of a notice, need or solution: the title counts twice."""
    return f"{title}\n{title}\n{(description or '')[:DESCRIPTION_CHARS]}"


def cpv_labels() -> dict[str, dict[str, str]]:
    """{8 digits: {language: label}} from the database, or the packaged file before loading."""
    from govhub.reference.models import CpvCode

    rows = dict(CpvCode.objects.values_list("digits", "labels"))
    if rows:
        return rows
    with gzip.open(PACKAGED_CPV) as handle:
        data = json.load(handle)
    return {row[0][:8]: row[3] for row in data["rows"]}


def label_examples(labels: dict[str, dict[str, str]]) -> Iterator[Example]:
    for digits, by_language in labels.items():
        for text in by_language.values():
            yield Example(text, digits, LABEL_WEIGHT)


def ted_examples(notices: Iterable[TedNotice]) -> Iterator[Example]:
    for notice in notices:
        if not notice.cpv_main:
            continue
        yield Example(
            notice_text(notice.title, notice.short_description), notice.cpv_main, ORIGINAL_WEIGHT
        )
        for title in notice.titles.values():
            yield Example(title, notice.cpv_main, TITLE_WEIGHT)
        for lot in notice.lots:
            if lot.title and lot.cpv_codes:
                yield Example(lot.title, lot.cpv_codes[0], LOT_WEIGHT)


def database_examples() -> Iterator[Example]:
    """The imported notices as stored (what ``govhub matching train`` learns from)."""
    from govhub.opportunities.models import ExternalLot, ExternalNotice

    notices = (
        ExternalNotice.objects.exclude(cpv_main=None)
        .values_list("title", "short_description", "titles", "cpv_main__digits")
        .iterator(chunk_size=500)
    )
    for title, description, titles, digits in notices:
        yield Example(notice_text(title, description), digits, ORIGINAL_WEIGHT)
        for text in (titles or {}).values():
            yield Example(text, digits, TITLE_WEIGHT)
    lots = ExternalLot.objects.exclude(title="").values_list("title", "cpv_codes__digits")
    seen: set[tuple[str, str]] = set()
    for title, digits in lots.iterator(chunk_size=500):
        if digits and (title, digits) not in seen:
            seen.add((title, digits))
            yield Example(title, digits, LOT_WEIGHT)
