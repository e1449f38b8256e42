"""The business rules of a need's content, shared by the services and the pages that warn
a buyer what is still missing before publishing."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from typing import Any

from django.utils.translation import gettext as _

from govhub.core.errors import InvalidInput
from govhub.reference.models import CodelistEntry, CpvCode, NutsRegion

from .models import InnovationNeed

CURRENCY_CODELIST = "currency"
# DecimalField(max_digits=14, decimal_places=2) holds up to twelve digits before the point.
BUDGET_LIMIT = Decimal(10) ** 12
CENT = Decimal("0.01")

TEXT_FIELDS = (
    "title",
    "problem",
    "affected",
    "expected_outcomes",
    "outcome_measures",
    "timeline",
    "constraints_data",
    "constraints_interoperability",
    "constraints_accessibility",
    "constraints_security",
)
# What a buyer writes; status, dates and version are the lifecycle's.
CONTENT_FIELDS = (
    *TEXT_FIELDS,
    "cpv_codes",
    "nuts_region",
    "currency",
    "budget_min",
    "budget_max",
    "expected_start",
    "open_to_pooling",
)


def clean_amount(value: Any, field: str, errors: dict[str, list[str]]) -> Decimal | None:
    if value is None or value == "":
        return None
    try:
        amount = Decimal(str(value))
    except InvalidOperation:
        errors.setdefault(field, []).append(_("Enter an amount, such as 250000"))
        return None
    if not amount.is_finite() or amount < 0:
        errors.setdefault(field, []).append(_("Enter an amount of zero or more"))
        return None
    if amount >= BUDGET_LIMIT:
        errors.setdefault(field, []).append(_("Enter an amount below one thousand billion"))
        return None
    return amount.quantize(CENT, rounding=ROUND_HALF_UP)


def _currency_code(value: Any) -> str:
    if isinstance(value, CodelistEntry):
        return value.code if value.codelist == CURRENCY_CODELIST else ""
    return str(value or "").strip().upper()


def validate(values: dict[str, Any], *, for_publication: bool) -> dict[str, Any]:
    """Check a need's content and return it normalised; raise InvalidInput naming each field.

    A draft may be incomplete, but never wrong; a published need (or one being published)
    must also say what the problem is and what is being bought (CPV).
    """
    values = dict(values)
    errors: dict[str, list[str]] = {}
    for name in TEXT_FIELDS:
        values[name] = str(values.get(name) or "").strip()
    if not values["title"]:
        errors.setdefault("title", []).append(_("Enter a title for the need"))
    elif len(values["title"]) > 300:
        errors.setdefault("title", []).append(_("Enter a title of 300 characters or fewer"))
    if for_publication and not values["problem"]:
        errors.setdefault("problem", []).append(_("Describe the problem the need is about"))

    cpv = list(values.get("cpv_codes") or [])
    if any(not isinstance(code, CpvCode) for code in cpv):
        errors.setdefault("cpv_codes", []).append(_("Choose CPV codes from the list"))
    elif for_publication and not cpv:
        errors.setdefault("cpv_codes", []).append(
            _("Choose at least one CPV code saying what is being bought")
        )
    # Keep the buyer's order, drop repeats.
    values["cpv_codes"] = list(dict.fromkeys(cpv))

    region = values.get("nuts_region")
    if region is not None and not isinstance(region, NutsRegion):
        errors.setdefault("nuts_region", []).append(_("Choose a NUTS region from the list"))

    currency = _currency_code(values.get("currency"))
    if (
        not currency
        or not CodelistEntry.objects.filter(codelist=CURRENCY_CODELIST, code=currency).exists()
    ):
        errors.setdefault("currency", []).append(_("Choose a currency from the list"))
    values["currency"] = currency

    low = clean_amount(values.get("budget_min"), "budget_min", errors)
    high = clean_amount(values.get("budget_max"), "budget_max", errors)
    if low is not None and high is not None and low > high:
        errors.setdefault("budget_max", []).append(
            _("The budget’s upper end must be at least its lower end")
        )
    values["budget_min"], values["budget_max"] = low, high

    start = values.get("expected_start")
    if start is not None and not isinstance(start, dt.date):
        errors.setdefault("expected_start", []).append(_("Enter a real date"))
    values["open_to_pooling"] = bool(values.get("open_to_pooling"))

    if errors:
        raise InvalidInput(
            " ".join(messages[0] for messages in errors.values()), field_errors=errors
        )
    return values


def need_facts(need: InnovationNeed, cpv: Iterable[CpvCode] | None = None) -> dict[str, Any]:
    """The need's content as the audit log records it: reference values by their codes."""
    codes = cpv if cpv is not None else need.cpv_codes.all()
    return {
        **{name: getattr(need, name) for name in TEXT_FIELDS},
        "cpv_codes": sorted(code.code for code in codes),
        "nuts_region": need.nuts_region.code if need.nuts_region else None,
        "currency": need.currency,
        "budget_min": None if need.budget_min is None else str(need.budget_min),
        "budget_max": None if need.budget_max is None else str(need.budget_max),
        "expected_start": need.expected_start.isoformat() if need.expected_start else None,
        "open_to_pooling": need.open_to_pooling,
    }


def content_of(need: InnovationNeed, cpv: list[CpvCode] | None = None) -> dict[str, Any]:
    values = {name: getattr(need, name) for name in CONTENT_FIELDS if name != "cpv_codes"}
    values["cpv_codes"] = list(need.cpv_codes.all()) if cpv is None else cpv
    return values


def publication_problems(need: InnovationNeed) -> dict[str, list[str]]:
    """What stops the need from being published, by field (empty when it is ready)."""
    try:
        validate(content_of(need), for_publication=True)
    except InvalidInput as error:
        return error.field_errors
    return {}
