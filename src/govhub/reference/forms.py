"""Form fields for the reference vocabularies, for every app's forms.

``CpvCodesField`` and ``NutsRegionField`` render a plain text input (people can type codes
without JavaScript) that ``static/reference/picker.mjs`` turns into a type-ahead combobox.
The widget's template adds the module's ``<script type="module" src=…>`` itself: the CSP's
``script-src 'self'`` allows a same-origin file without a nonce (widgets do not see the
request), and a browser runs a module once however many pickers a page has. Render the
fields with ``{% govuk_field form.cpv %}`` like any other.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.db.models import Model, QuerySet
from django.forms.models import ModelChoiceIterator, ModelChoiceIteratorValue
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from . import selectors
from .models import CodelistEntry, Country, CpvCode, NutsRegion

_SEPARATORS = re.compile(r"[\s,;]+")


def _tokens(text: str) -> list[str]:
    return [t for t in _SEPARATORS.split(text) if t]


class PickerInput(forms.TextInput):
    """A text input with what the picker script needs: the suggest URL and the chosen codes."""

    template_name = "reference/widgets/picker.html"

    def __init__(
        self,
        *,
        kind: str,
        multiple: bool = False,
        country: str | None = None,
        attrs: dict[str, Any] | None = None,
    ) -> None:
        base = {"autocomplete": "off", "spellcheck": "false"}
        super().__init__(attrs={**base, **(attrs or {})})
        self.kind = kind
        self.multiple = multiple
        self.country = country

    def _selected(self, value: str) -> list[dict[str, str]]:
        tokens = _tokens(value or "")
        if not tokens:
            return []
        if self.kind == "cpv":
            items: list[CpvCode | NutsRegion] = list(selectors.cpv_by_codes(tokens))
        else:
            regions = selectors.nuts_by_codes(tokens[:1])
            items = list(regions.values())
        return [{"code": item.code, "label": item.label} for item in items]

    def get_context(self, name: str, value: Any, attrs: dict[str, Any] | None) -> dict[str, Any]:
        context = super().get_context(name, value, attrs)
        context["widget"]["picker"] = {
            "kind": self.kind,
            "url": reverse(f"reference:{self.kind}_suggest"),
            "multiple": self.multiple,
            "country": self.country or "",
            "selected": self._selected(context["widget"]["value"] or ""),
        }
        return context


class CpvCodesField(forms.Field):
    """One or more CPV codes, typed or picked; cleans to ``list[CpvCode]`` in the order given.

    Accepts codes with or without their check digit (``45215140-0`` or ``45215140``),
    separated by commas, semicolons or spaces.
    """

    default_error_messages = {
        "too_many": _("Enter no more than %(max)d CPV codes"),
    }

    def __init__(self, *, required: bool = False, max_codes: int = 50, **kwargs: Any) -> None:
        self.max_codes = max_codes
        kwargs.setdefault("widget", PickerInput(kind="cpv", multiple=True))
        kwargs.setdefault(
            "help_text",
            _(
                "Type a code such as 45215140-0 or words such as ‘road works’, "
                "then pick from the list"
            ),
        )
        super().__init__(required=required, **kwargs)

    def prepare_value(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, str):
            return value
        return ", ".join(v.code if isinstance(v, CpvCode) else str(v) for v in value)

    def to_python(self, value: Any) -> list[CpvCode]:
        tokens = _tokens(self.prepare_value(value))
        if not tokens:
            return []
        found, unknown = selectors.cpv_lookup(tokens)
        if unknown:
            raise ValidationError(
                ngettext(
                    "%(codes)s is not a CPV code. Enter codes such as 45215140-0, "
                    "or pick them from the list",
                    "%(codes)s are not CPV codes. Enter codes such as 45215140-0, "
                    "or pick them from the list",
                    len(unknown),
                )
                % {"codes": ", ".join(unknown)},
                code="unknown",
                params={"codes": ", ".join(unknown)},
            )
        if len(found) > self.max_codes:
            raise ValidationError(
                self.error_messages["too_many"], code="too_many", params={"max": self.max_codes}
            )
        return found

    def has_changed(self, initial: Any, data: Any) -> bool:
        def digits(value: Any) -> list[str]:
            return [t.split("-")[0] for t in _tokens(self.prepare_value(value))]

        return digits(initial) != digits(data)


class NutsRegionField(forms.Field):
    """One NUTS region, typed or picked; cleans to ``NutsRegion | None``."""

    def __init__(
        self, *, required: bool = False, country: str | None = None, **kwargs: Any
    ) -> None:
        kwargs.setdefault("widget", PickerInput(kind="nuts", country=country))
        kwargs.setdefault(
            "help_text",
            _("Type a NUTS code such as PT11 or a region’s name, then pick from the list"),
        )
        super().__init__(required=required, **kwargs)

    def prepare_value(self, value: Any) -> str:
        if value is None:
            return ""
        if isinstance(value, NutsRegion):
            return value.code
        return str(value)

    def to_python(self, value: Any) -> NutsRegion | None:
        tokens = _tokens(self.prepare_value(value))
        if not tokens:
            return None
        region = selectors.nuts_by_code(tokens[0])
        if region is None:
            raise ValidationError(
                _(
                    "%(code)s is not a NUTS region code. Enter a code such as PT11, or pick one "
                    "from the list"
                ),
                code="unknown",
                params={"code": tokens[0]},
            )
        return region

    def has_changed(self, initial: Any, data: Any) -> bool:
        return (
            self.prepare_value(initial).upper()
            != (self.prepare_value(data).split() or [""])[0].upper()
        )


class _ByLabelIterator(ModelChoiceIterator):
    """Choices sorted by their label in the current language (labels live in JSON)."""

    def __iter__(self) -> Iterator[tuple[ModelChoiceIteratorValue | str, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        queryset = self.queryset
        objs = sorted(queryset, key=lambda obj: selectors.fold(self.field.label_from_instance(obj)))
        for obj in objs:
            yield self.choice(obj)


class _LabelledChoiceField(forms.ModelChoiceField):
    iterator = _ByLabelIterator

    def label_from_instance(self, obj: Model) -> str:
        return str(getattr(obj, "label", obj))


class CountryChoiceField(_LabelledChoiceField):
    """A country (eForms alpha-3 code), listed by name in the current language."""

    def __init__(
        self, queryset: QuerySet[Country] | None = None, *, eu_only: bool = False, **kwargs: Any
    ) -> None:
        if queryset is None:
            queryset = selectors.countries(eu_only=eu_only)
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("empty_label", "")
        super().__init__(queryset=queryset, **kwargs)


class CodelistChoiceField(_LabelledChoiceField):
    """One value of an eForms codelist: ``CodelistChoiceField(codelist="buyer-legal-type")``."""

    def __init__(self, codelist: str = "buyer-legal-type", **kwargs: Any) -> None:
        self.codelist = codelist
        kwargs.setdefault("to_field_name", "code")
        kwargs.setdefault("empty_label", "")
        queryset: QuerySet[CodelistEntry] = kwargs.pop(
            "queryset", selectors.codelist_entries(codelist)
        )
        super().__init__(queryset=queryset, **kwargs)


class LookupForm(forms.Form):
    cpv = CpvCodesField(label=_("CPV codes"))
    nuts = NutsRegionField(label=_("NUTS region"))
