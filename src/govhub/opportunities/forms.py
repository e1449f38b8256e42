from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from . import selectors


class NoticeFilterForm(forms.Form):
    cpv = forms.ChoiceField(label=_("What is bought (CPV division)"), required=False)
    country = forms.ChoiceField(label=_("Country"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cpv"].choices = [("", _("Any"))] + [  # type: ignore[attr-defined]
            (code.division, f"{code.division} – {code.label}") for code in selectors.cpv_divisions()
        ]
        self.fields["country"].choices = [("", _("Any"))] + [  # type: ignore[attr-defined]
            (country.alpha2, country.label) for country in selectors.notice_countries()
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        return {
            "cpv_division": self.cleaned_data["cpv"] or None,
            "country": self.cleaned_data["country"] or None,
        }
