"""Training, storing and loading the CPV suggester (one loaded copy cached per process)."""

from __future__ import annotations

import threading

from django.db import transaction

from .models import TrainedModel
from .suggester import CpvSuggester
from .training import cpv_labels, database_examples, label_examples

NAME = "cpv-suggester"
KEEP = 2  # older models are deleted after a new one is stored

_lock = threading.Lock()
_cache: dict[str, tuple[int, CpvSuggester]] = {}


def suggester_train() -> TrainedModel:
    """Learn from the imported notices and the CPV labels; store the model in the database."""
    from govhub.opportunities.models import ExternalNotice

    suggester = CpvSuggester.fit([*database_examples(), *label_examples(cpv_labels())])
    with transaction.atomic():
        row = TrainedModel.objects.create(
            name=NAME,
            data=suggester.to_bytes(),
            examples=suggester.size,
            notices=ExternalNotice.objects.exclude(cpv_main=None).count(),
        )
        old = TrainedModel.objects.filter(name=NAME).values_list("id", flat=True)[KEEP:]
        TrainedModel.objects.filter(id__in=list(old)).delete()
    with _lock:
        _cache[NAME] = (row.id, suggester)
    return row


def current_suggester() -> CpvSuggester | None:
    """The newest stored model (loaded once per process and whenever a newer one appears)."""
    newest = TrainedModel.objects.filter(name=NAME).values_list("id", flat=True).first()
    if newest is None:
        return None
    with _lock:
        cached = _cache.get(NAME)
        if cached and cached[0] == newest:
            return cached[1]
    data = TrainedModel.objects.filter(id=newest).values_list("data", flat=True).first()
    if data is None:
        return None
    suggester = CpvSuggester.from_bytes(bytes(data))
    with _lock:
        _cache[NAME] = (newest, suggester)
    return suggester


def forget_cached() -> None:
    with _lock:
        _cache.clear()
