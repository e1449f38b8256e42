"""What a catalogue entry must contain, and the checks its content passes.

Drafts may be incomplete: :func:`validate` only refuses malformed values (an unknown licence,
a code outside its codelist, a TRL outside 1–9). Proposing for publication (and keeping a
published entry) also needs every *mandatory fact* (:data:`MANDATORY`): a buyer must be able
to tell what the solution does, under which licence and delivery model, how mature it is,
where it runs for whom, where the data goes, whether it is accessible, what it costs, and whom
to contact. :func:`publication_problems` lists every missing fact at once, by field.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal, InvalidOperation
from typing import Any

from babel import Locale
from django.core.exceptions import ValidationError
from django.core.validators import EmailValidator, URLValidator
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext

from govhub.core.errors import InvalidInput
from govhub.reference.models import CodelistEntry, Country, CpvCode

from . import spdx
from .models import (
    AccessibilityConformance,
    DataLocation,
    DeliveryModel,
    PricingModel,
    Solution,
    SolutionCategory,
)

ENERGY_LABELS = "energy-efficiency-label"
ENVIRONMENTAL_IMPACT = "environmental-impact"
GPP_CRITERIA = "gpp-criteria"

# Every content field a service accepts, in form order.
TEXT_FIELDS = (
    "language",
    "name",
    "summary",
    "description",
    "licence",
    "delivery_model",
    "website",
    "repository_url",
    "software_version",
    "data_location",
    "data_location_details",
    "sub_processors",
    "accessibility_conformance",
    "accessibility_statement_url",
    "pricing_model",
    "pricing_details",
    "contact_name",
    "contact_email",
    "energy_efficiency_label",
    "hosting_notes",
)
LIST_FIELDS = (
    "problem_domains",
    "supported_languages",
    "standards",
    "integrations",
    "environmental_impacts",
    "gpp_criteria",
)
OTHER_FIELDS = (
    "trl",
    "is_software",
    "dpa_available",
    "hosting_renewable_share",
    "hosting_pue",
    "uses_ai",
)
RELATION_FIELDS = ("categories", "cpv_codes", "supported_countries")
CONTENT_FIELDS = TEXT_FIELDS + LIST_FIELDS + OTHER_FIELDS + RELATION_FIELDS

# The facts an entry needs before it is proposed or while it is published, with the message
# shown next to each missing one.
MANDATORY: dict[str, Any] = {
    "name": gettext_lazy("Enter the solution’s name"),
    "summary": gettext_lazy("Enter a short description"),
    "description": gettext_lazy("Enter a long description"),
    "categories": gettext_lazy("Choose at least one category"),
    "cpv_codes": gettext_lazy("Enter at least one CPV code"),
    "licence": gettext_lazy("Enter the licence as an SPDX identifier"),
    "delivery_model": gettext_lazy("Choose the delivery model"),
    "trl": gettext_lazy("Enter the technology readiness level (1 to 9)"),
    "supported_languages": gettext_lazy("Enter at least one supported language"),
    "supported_countries": gettext_lazy("Choose at least one country where it is offered"),
    "data_location": gettext_lazy("Say where data is stored and processed"),
    "dpa_available": gettext_lazy("Say whether a data processing agreement is available"),
    "accessibility_conformance": gettext_lazy("Choose the accessibility conformance"),
    "pricing_model": gettext_lazy("Choose the pricing model"),
    "contact_email": gettext_lazy("Enter a contact email address"),
}

_LANGUAGE_NAMES = Locale("en").languages


def language_name(code: str, language: str | None = None) -> str:
    try:
        names = Locale.parse((language or "en").replace("-", "_")).languages
    except (ValueError, TypeError):  # pragma: no cover - Django's languages all parse
        names = _LANGUAGE_NAMES
    return str(names.get(code) or _LANGUAGE_NAMES.get(code) or code)


def split_list(value: Any) -> list[str]:
    """A list from a list, or from text separated by commas or new lines; blanks dropped."""
    if value is None:
        return []
    if isinstance(value, str):
        items: Iterable[Any] = value.replace("\r", "\n").replace(",", "\n").split("\n")
    else:
        items = value
    seen: list[str] = []
    for item in items:
        text = " ".join(str(item).split())
        if text and text not in seen:
            seen.append(text)
    return seen


def _processes_personal_data(values: dict[str, Any]) -> bool:
    return values.get("data_location") not in ("", None, DataLocation.NONE, DataLocation.BUYER)


def _codes_in(codelist: str, codes: list[str]) -> list[str]:
    known = set(
        CodelistEntry.objects.filter(codelist=codelist, code__in=codes).values_list(
            "code", flat=True
        )
    )
    return [code for code in codes if code not in known]


def _choice(values: dict[str, Any], errors: dict[str, list[str]], name: str, choices: Any) -> None:
    value = values.get(name) or ""
    values[name] = value
    if value and value not in choices.values:
        errors.setdefault(name, []).append(_("Choose one of the options"))


def validate(values: dict[str, Any]) -> dict[str, Any]:
    """Clean the given content fields (only those present); raise InvalidInput if malformed."""
    errors: dict[str, list[str]] = {}
    out = dict(values)
    unknown = set(out) - set(CONTENT_FIELDS)
    if unknown:
        raise TypeError(f"unknown solution fields: {', '.join(sorted(unknown))}")
    for name in TEXT_FIELDS:
        if name in out:
            text = out[name]
            out[name] = "" if text is None else str(text).strip()
    for name in LIST_FIELDS:
        if name in out:
            out[name] = split_list(out[name])
    limits = {"name": 200, "summary": 500, "software_version": 50, "contact_name": 200}
    for name, limit in limits.items():
        if len(out.get(name, "")) > limit:
            errors.setdefault(name, []).append(
                _("Enter no more than %(limit)d characters") % {"limit": limit}
            )
    if "language" in out:
        out["language"] = (out["language"] or "en").lower()
        if out["language"] not in _LANGUAGE_NAMES:
            errors.setdefault("language", []).append(_("Choose a language"))
    if out.get("licence"):
        canonical = spdx.normalise(out["licence"])
        if canonical is None:
            errors.setdefault("licence", []).append(
                _(
                    "“%(licence)s” is not an SPDX licence identifier. Enter one such as "
                    "EUPL-1.2, MIT or Apache-2.0, or LicenseRef-Proprietary"
                )
                % {"licence": out["licence"]}
            )
        else:
            out["licence"] = canonical
    for name, choices in (
        ("delivery_model", DeliveryModel),
        ("data_location", DataLocation),
        ("accessibility_conformance", AccessibilityConformance),
        ("pricing_model", PricingModel),
    ):
        if name in out:
            _choice(out, errors, name, choices)
    if "trl" in out and out["trl"] not in (None, ""):
        try:
            trl = int(out["trl"])
        except (TypeError, ValueError):
            trl = 0
        if not 1 <= trl <= 9:
            errors.setdefault("trl", []).append(_("Enter a technology readiness level from 1 to 9"))
        out["trl"] = trl
    elif "trl" in out:
        out["trl"] = None
    if "supported_languages" in out:
        langs = [code.lower() for code in out["supported_languages"]]
        wrong = [code for code in langs if code not in _LANGUAGE_NAMES]
        if wrong:
            errors.setdefault("supported_languages", []).append(
                _("Unknown language codes: %(codes)s. Use ISO codes such as en, fr, de")
                % {"codes": ", ".join(wrong)}
            )
        out["supported_languages"] = langs
    for name in ("website", "repository_url", "accessibility_statement_url"):
        if out.get(name):
            try:
                URLValidator(schemes=["http", "https"])(out[name])
            except ValidationError:
                errors.setdefault(name, []).append(_("Enter a web address starting with https://"))
    if out.get("contact_email"):
        try:
            EmailValidator()(out["contact_email"])
        except ValidationError:
            errors.setdefault("contact_email", []).append(
                _("Enter an email address in the correct format, like name@example.eu")
            )
    if out.get("energy_efficiency_label") and _codes_in(
        ENERGY_LABELS, [out["energy_efficiency_label"]]
    ):
        errors.setdefault("energy_efficiency_label", []).append(
            _("Choose an energy efficiency label from the list")
        )
    for name, codelist in (
        ("environmental_impacts", ENVIRONMENTAL_IMPACT),
        ("gpp_criteria", GPP_CRITERIA),
    ):
        if out.get(name):
            wrong = _codes_in(codelist, out[name])
            if wrong:
                errors.setdefault(name, []).append(
                    _("Unknown codes: %(codes)s") % {"codes": ", ".join(wrong)}
                )
    if out.get("hosting_renewable_share") not in (None, ""):
        try:
            share = int(out["hosting_renewable_share"])
        except (TypeError, ValueError):
            share = -1
        if not 0 <= share <= 100:
            errors.setdefault("hosting_renewable_share", []).append(
                _("Enter a percentage from 0 to 100")
            )
        out["hosting_renewable_share"] = share
    elif "hosting_renewable_share" in out:
        out["hosting_renewable_share"] = None
    if out.get("hosting_pue") not in (None, ""):
        try:
            pue = Decimal(str(out["hosting_pue"]))
        except InvalidOperation:
            pue = Decimal(0)
        if not Decimal(1) <= pue < Decimal(100):
            errors.setdefault("hosting_pue", []).append(
                _("Enter a power usage effectiveness of 1.00 or more, such as 1.20")
            )
        out["hosting_pue"] = pue.quantize(Decimal("0.01")) if pue else pue
    elif "hosting_pue" in out:
        out["hosting_pue"] = None
    for name in ("is_software", "uses_ai"):
        if name in out:
            out[name] = bool(out[name])
    if "categories" in out:
        cats = split_list(out["categories"])
        wrong = [c for c in cats if c not in SolutionCategory.values]
        if wrong:
            errors.setdefault("categories", []).append(_("Choose categories from the list"))
        out["categories"] = cats
    if "cpv_codes" in out:
        cpv = list(out["cpv_codes"] or [])
        if any(not isinstance(code, CpvCode) for code in cpv):
            found = {c.code: c for c in CpvCode.objects.filter(code__in=[str(x) for x in cpv])}
            missing = [str(x) for x in cpv if not isinstance(x, CpvCode) and str(x) not in found]
            if missing:
                errors.setdefault("cpv_codes", []).append(
                    _("Unknown CPV codes: %(codes)s") % {"codes": ", ".join(missing)}
                )
            cpv = [x if isinstance(x, CpvCode) else found.get(str(x)) for x in cpv]
        out["cpv_codes"] = [c for c in cpv if c is not None]
    if "supported_countries" in out:
        countries = list(out["supported_countries"] or [])
        if any(not isinstance(c, Country) for c in countries):
            found_c = {
                c.code: c for c in Country.objects.filter(code__in=[str(x) for x in countries])
            }
            missing = [
                str(x) for x in countries if not isinstance(x, Country) and str(x) not in found_c
            ]
            if missing:
                errors.setdefault("supported_countries", []).append(
                    _("Unknown country codes: %(codes)s") % {"codes": ", ".join(missing)}
                )
            countries = [x if isinstance(x, Country) else found_c.get(str(x)) for x in countries]
        out["supported_countries"] = [c for c in countries if c is not None]
    if (
        out.get("delivery_model") == DeliveryModel.OPEN_SOURCE
        and out.get("licence")
        and not errors.get("licence")
        and not spdx.is_open_source(out["licence"])
    ):
        errors.setdefault("licence", []).append(
            _("An open-source delivery needs an open-source licence (OSI-approved or FSF-free)")
        )
    if errors:
        raise InvalidInput(_("Check the highlighted facts and try again."), field_errors=errors)
    return out


def check_combination(values: dict[str, Any]) -> None:
    """Rules across fields, on the whole content an update would leave."""
    if (
        values.get("delivery_model") == DeliveryModel.OPEN_SOURCE
        and values.get("licence")
        and not spdx.is_open_source(values["licence"])
    ):
        raise InvalidInput(
            _("Check the highlighted facts and try again."),
            field_errors={
                "licence": [
                    _(
                        "An open-source delivery needs an open-source licence (OSI-approved or "
                        "FSF-free)"
                    )
                ]
            },
        )


def derive_open_source(licence: str, delivery_model: str) -> bool:
    if licence:
        return spdx.is_open_source(licence)
    return delivery_model == DeliveryModel.OPEN_SOURCE


def content_of(solution: Solution) -> dict[str, Any]:
    """The entry's current content as the services take it (relations as lists)."""
    data: dict[str, Any] = {
        name: getattr(solution, name) for name in TEXT_FIELDS + LIST_FIELDS + OTHER_FIELDS
    }
    data["categories"] = [link.category for link in solution.categories.all()]
    data["cpv_codes"] = list(solution.cpv_codes.all())
    data["supported_countries"] = list(solution.supported_countries.all())
    return data


def facts(values: dict[str, Any]) -> dict[str, Any]:
    """JSON-safe content for the audit log."""
    out: dict[str, Any] = {}
    for name, value in values.items():
        if name == "cpv_codes" or name == "supported_countries":
            out[name] = [c.code for c in value]
        elif isinstance(value, Decimal):
            out[name] = str(value)
        else:
            out[name] = value
    return out


def missing_facts(values: dict[str, Any]) -> dict[str, list[str]]:
    """Each mandatory fact the content lacks, with its message."""
    problems: dict[str, list[str]] = {}
    for name, message in MANDATORY.items():
        value = values.get(name)
        if name == "dpa_available":
            if value is None and _processes_personal_data(values):
                problems[name] = [str(message)]
            continue
        if value is None or value == "" or value == [] or value == ():
            problems[name] = [str(message)]
    return problems


def publication_problems(solution: Solution) -> dict[str, list[str]]:
    return missing_facts(content_of(solution))


def missing_refusal(problems: dict[str, list[str]]) -> InvalidInput:
    return InvalidInput(
        ngettext(
            "The entry cannot be published yet: %(count)d mandatory fact is missing.",
            "The entry cannot be published yet: %(count)d mandatory facts are missing.",
            len(problems),
        )
        % {"count": len(problems)},
        code="missing_facts",
        field_errors=problems,
    )
