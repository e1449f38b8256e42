from __future__ import annotations

import datetime as dt
from typing import Any

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import Scope


class TokenForm(forms.Form):
    name = forms.CharField(
        label=_("Name"),
        max_length=100,
        help_text=_("What the token is for, for example: “Proposal upload from our ERP”"),
        error_messages={"required": _("Enter a name for the token")},
    )
    scopes = forms.MultipleChoiceField(
        label=_("What may the token do?"),
        choices=Scope.choices,
        widget=forms.CheckboxSelectMultiple,
        error_messages={"required": _("Choose at least one thing the token may do")},
    )
    expires_on = forms.DateField(
        label=_("Expires on (optional)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example, 2027-01-31. The token stops working at the start of that day."),
        error_messages={"invalid": _("Enter a real date, for example 2027-01-31")},
    )

    def expires_at(self) -> dt.datetime | None:
        day: dt.date | None = self.cleaned_data.get("expires_on")
        if day is None:
            return None
        return timezone.make_aware(dt.datetime.combine(day, dt.time.min))

    def service_fields(self) -> dict[str, Any]:
        return {
            "name": self.cleaned_data["name"],
            "scopes": self.cleaned_data["scopes"],
            "expires_at": self.expires_at(),
        }
