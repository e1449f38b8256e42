from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .models import DocumentKind
from .selectors import Filters


class SearchForm(forms.Form):
    q = forms.CharField(label=_("Search words"), required=False, max_length=300)
    kind = forms.ChoiceField(
        label=_("Type"), required=False, choices=[("", _("Any")), *DocumentKind.choices]
    )
    cpv_division = forms.CharField(label=_("CPV division"), required=False, max_length=2)
    country = forms.CharField(label=_("Country"), required=False, max_length=2)
    nuts = forms.CharField(label=_("NUTS region"), required=False, max_length=5)
    status = forms.CharField(label=_("Status"), required=False, max_length=30)
    deadline_within = forms.ChoiceField(
        label=_("Deadline"),
        required=False,
        choices=[
            ("", _("Any")),
            ("7", _("Within 7 days")),
            ("30", _("Within 30 days")),
            ("90", _("Within 90 days")),
        ],
    )
    value_band = forms.ChoiceField(
        label=_("Value"),
        required=False,
        choices=[
            ("", _("Any")),
            ("lt100k", _("Under 100,000")),
            ("100k-1m", _("100,000 to 1 million")),
            ("1m-10m", _("1 to 10 million")),
            ("gt10m", _("Over 10 million")),
        ],
    )
    sort = forms.ChoiceField(
        label=_("Sort by"),
        required=False,
        choices=[
            ("relevance", _("Relevance")),
            ("newest", _("Newest")),
            ("deadline", _("Closing soonest")),
            ("value", _("Highest value")),
        ],
    )

    def filters(self) -> Filters:
        data: dict[str, Any] = self.cleaned_data if self.is_bound and self.is_valid() else {}
        return Filters(**{name: str(data.get(name) or "") for name in Filters.__dataclass_fields__})


class SavedSearchForm(forms.Form):
    name = forms.CharField(label=_("Name of this search"), required=False, max_length=200)
    alerts = forms.BooleanField(label=_("Email me new matches"), required=False, initial=True)
