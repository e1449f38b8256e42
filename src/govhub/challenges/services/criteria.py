"""Weighted award criteria of a phase, typed from the eForms codelists.

Types come from ``award-criterion-type`` (quality, cost, price) and optional green public
procurement criteria from ``gpp-criteria``; a phase's weights total exactly 100.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from django.db import transaction
from django.utils.translation import gettext as _

from govhub.core.errors import InvalidInput
from govhub.reference.models import CodelistEntry

from ..models import AwardCriterion, Phase
from ._common import (
    audit_phase,
    check_version,
    clean_text,
    lock_phase,
    require_draft,
    require_lead_buyer,
    weights_message,
)


@dataclass(frozen=True)
class CriterionSpec:
    """One weighted criterion as the buyer enters it; types are eForms codelist entries."""

    name: str
    weight: int
    criterion_type: CodelistEntry | str
    description: str = ""
    gpp_criteria: tuple[CodelistEntry | str, ...] = field(default_factory=tuple)


def _entry(value: CodelistEntry | str, codelist: str) -> CodelistEntry | None:
    if isinstance(value, CodelistEntry):
        return value if value.codelist == codelist else None
    return CodelistEntry.objects.filter(codelist=codelist, code=str(value)).first()


def _spec(item: CriterionSpec | Mapping[str, Any]) -> CriterionSpec:
    if isinstance(item, CriterionSpec):
        return item
    return CriterionSpec(
        name=item.get("name", ""),
        weight=item.get("weight", 0),
        criterion_type=item.get("criterion_type", ""),
        description=item.get("description", ""),
        gpp_criteria=tuple(item.get("gpp_criteria") or ()),
    )


@transaction.atomic
def criteria_set(
    *,
    actor: Any,
    phase: Phase,
    criteria: Iterable[CriterionSpec | Mapping[str, Any]],
    version: int | None = None,
) -> list[AwardCriterion]:
    """Replace a draft phase's award criteria; their weights must total exactly 100.

    An empty list removes them all (a phase without proposals needs none). Refusals carry
    ``rows``: {index: {field: [messages]}}, and ``total`` when the weights are the problem.
    """
    challenge, fresh = lock_phase(phase)
    require_lead_buyer(actor, challenge)
    require_draft(challenge)
    check_version(fresh, version)
    specs = [_spec(item) for item in criteria]
    rows: dict[int, dict[str, list[str]]] = {}
    resolved: list[tuple[CriterionSpec, str, str, int, CodelistEntry, list[CodelistEntry]]] = []
    for index, spec in enumerate(specs):
        errors: dict[str, list[str]] = {}
        name = clean_text(
            spec.name,
            field="name",
            errors=errors,
            required_message=_("Enter the criterion’s name."),
            max_length=200,
        )
        description = clean_text(spec.description, field="description", errors=errors)
        try:
            weight = int(spec.weight)
        except (TypeError, ValueError):
            weight = 0
        if not 1 <= weight <= 100:
            errors.setdefault("weight", []).append(_("Enter a weight from 1 to 100."))
        ctype = _entry(spec.criterion_type, "award-criterion-type")
        if ctype is None:
            errors.setdefault("criterion_type", []).append(_("Choose the type of criterion."))
        gpp: list[CodelistEntry] = []
        for value in spec.gpp_criteria:
            entry = _entry(value, "gpp-criteria")
            if entry is None or entry.code == "none":
                errors.setdefault("gpp_criteria", []).append(
                    _("Choose green public procurement criteria from the list.")
                )
                break
            gpp.append(entry)
        if errors:
            rows[index] = errors
        elif ctype is not None:
            resolved.append((spec, name, description, weight, ctype, gpp))
    if rows:
        first = next(iter(next(iter(rows.values())).values()))[0]
        raise InvalidInput(first, rows=rows)
    total = sum(item[3] for item in resolved)
    if resolved and total != 100:
        message = weights_message(total)
        raise InvalidInput(message, code="weights_total", total=total, rows={})
    before = _criteria_facts(fresh)
    AwardCriterion.objects.filter(phase=fresh).delete()
    created = []
    for order, (_spec_item, name, description, weight, ctype, gpp) in enumerate(resolved, 1):
        criterion = AwardCriterion.objects.create(
            phase=fresh,
            order=order,
            name=name,
            description=description,
            criterion_type=ctype,
            weight=weight,
        )
        criterion.gpp_criteria.set(gpp)
        created.append(criterion)
    fresh.version += 1
    fresh.save(update_fields=["version", "updated_at"])
    audit_phase(
        actor,
        "phase.criteria_set",
        challenge,
        fresh,
        before={"criteria": before},
        after={"criteria": _criteria_facts(fresh)},
    )
    return created


def _criteria_facts(phase: Phase) -> list[dict[str, Any]]:
    return [
        {
            "name": c.name,
            "weight": c.weight,
            "type": c.criterion_type.code,
            "gpp": sorted(g.code for g in c.gpp_criteria.all()),
        }
        for c in AwardCriterion.objects.filter(phase=phase)
        .select_related("criterion_type")
        .prefetch_related("gpp_criteria")
        .order_by("order")
    ]
