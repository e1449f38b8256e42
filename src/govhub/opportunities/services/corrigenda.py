"""Applying a corrigendum (F14) to the notice it corrects."""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

from django.utils import timezone

from ..models import ExternalNotice
from ..ted import parse_datetime, parse_decimal
from .rows import _aware


def corrigendum_apply(
    *, corrigendum: ExternalNotice, target: ExternalNotice, cpv: dict[str, int]
) -> list[dict[str, Any]]:
    """Apply what a corrigendum (F14) changes that we hold: title, description, main and
    additional CPV, estimated value, deadline. Records every change, applied or not, on the
    corrigendum. Part of the import's transaction (no audit event of its own)."""
    record: list[dict[str, Any]] = []
    for change in corrigendum.changes:
        section = str(change.get("section", ""))
        new_text = str(change.get("new_text", ""))
        new_cpv = [str(c) for c in change.get("new_cpv") or []]
        old_cpv = [str(c) for c in change.get("old_cpv") or []]
        entry: dict[str, Any] = {"section": section, "label": change.get("label", "")}
        if section == "II.1.1" and new_text:
            entry.update(field="title", old=target.title, new=new_text)
            target.title = new_text
        elif section == "II.1.4" and new_text:
            entry.update(field="short_description", old=target.short_description, new=new_text)
            target.short_description = new_text
        elif section == "II.1.2" and new_cpv and new_cpv[0] in cpv:
            entry.update(field="cpv_main", old=old_cpv, new=new_cpv[:1])
            target.cpv_main_id = cpv[new_cpv[0]]
        elif section == "II.2.2" and new_cpv:
            entry.update(field="cpv_additional", old=old_cpv, new=new_cpv)
            target.cpv_additional.remove(*[cpv[c] for c in old_cpv if c in cpv])
            target.cpv_additional.add(*[cpv[c] for c in new_cpv if c in cpv])
        elif section == "II.1.5" and parse_decimal(_number(new_text)) is not None:
            entry.update(field="estimated_value", old=str(target.estimated_value or ""))
            target.estimated_value = parse_decimal(_number(new_text))
            entry["new"] = str(target.estimated_value)
        elif section == "IV.2.2" and change.get("new_date"):
            deadline = parse_datetime(str(change["new_date"]), str(change.get("new_time", "")))
            entry.update(
                field="tender_deadline",
                old=_iso(target.tender_deadline),
            )
            target.tender_deadline = _aware(deadline)
            entry["new"] = _iso(target.tender_deadline)
        else:
            entry["applied"] = False
        entry.setdefault("applied", True)
        record.append(entry)
    target.save()
    corrigendum.corrects = target
    corrigendum.applied_changes = record
    corrigendum.applied_at = timezone.now()
    corrigendum.save(update_fields=["corrects", "applied_changes", "applied_at", "updated_at"])
    return record


def _iso(value: dt.datetime | None) -> str | None:
    return value.astimezone(dt.UTC).isoformat() if value is not None else None


def _number(text: str) -> str:
    match = re.search(r"\d[\d\s.,]*", text)
    return match.group(0).strip() if match else ""
