from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhub.core.forms import show_domain_error
from govhub.organisations.models import Organisation
from govhub.reference.forms import (
    CodelistChoiceField,
    CountryChoiceField,
    CpvCodesField,
    NutsRegionField,
)

from . import selectors
from .models import InnovationNeed

__all__ = [
    "InterestForm",
    "NeedFilterForm",
    "NeedForm",
    "PublishForm",
    "WithdrawForm",
    "show_domain_error",
]

_AMOUNT_ERRORS = {
    "invalid": _("Enter an amount in numbers, such as 250000"),
    "min_value": _("Enter an amount of zero or more"),
    "max_digits": _("Enter an amount below one thousand billion"),
    "max_whole_digits": _("Enter an amount below one thousand billion"),
    "max_decimal_places": _("Enter an amount with no more than 2 decimals"),
}


def _amount(label: Any, help_text: Any = "") -> forms.DecimalField:
    return forms.DecimalField(
        label=label,
        required=False,
        help_text=help_text,
        min_value=0,
        max_digits=14,
        decimal_places=2,
        error_messages=_AMOUNT_ERRORS,
        # The design system asks for a text input: number inputs misread some typed amounts.
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
    )


def _text(label: Any, help_text: Any = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


class AuthorityChoiceField(forms.ModelChoiceField):
    """One of the authorities the user may act for, by public id."""

    def __init__(self, authorities: list[Organisation], **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault("to_field_name", "public_id")
        super().__init__(
            queryset=Organisation.objects.filter(pk__in=[org.pk for org in authorities]).order_by(
                "name"
            ),
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class NeedForm(forms.Form):
    """A need's content. The service checks the business rules (stricter once published)."""

    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        help_text=_(
            "Say what the need is about in a few words, for example ‘Fewer missed bin collections’"
        ),
        error_messages={"required": _("Enter a title for the need")},
    )
    problem = _text(
        _("The problem"),
        _("What goes wrong today, and why it matters. Needed before publishing."),
        rows=6,
    )
    affected = _text(_("Who suffers it"), _("Residents, staff or businesses, and how many"))
    expected_outcomes = _text(_("Expected outcomes"), _("What will be better once it is solved"))
    outcome_measures = _text(
        _("How the outcomes will be measured"),
        _("Indicators and targets, for example ‘-30% missed collections in a year’"),
    )
    cpv_codes = CpvCodesField(
        label=_("What is being bought (CPV codes)"),
        help_text=_(
            "At least one code before publishing. Type a code such as 72212000-4 or words such "
            "as ‘software’, then pick from the list"
        ),
    )
    nuts_region = NutsRegionField(label=_("Place of performance (NUTS region)"))
    currency = CodelistChoiceField(
        codelist="currency",
        label=_("Currency"),
        error_messages={"required": _("Choose the currency of the budget")},
    )
    budget_min = _amount(_("Indicative budget from"))
    budget_max = _amount(_("Indicative budget to"))
    timeline = _text(_("Timeline"), _("When you would like to procure, pilot and deploy"), 3)
    expected_start = forms.DateField(
        label=_("Expected start"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example, 2026-09-01"),
        error_messages={"invalid": _("Enter a real date, for example 2026-09-01")},
    )
    constraints_data = _text(
        _("Data constraints"), _("Personal data, data location, data you can share"), 3
    )
    constraints_interoperability = _text(
        _("Interoperability constraints"), _("Systems and standards it must work with"), 3
    )
    constraints_accessibility = _text(
        _("Accessibility constraints"), _("For example, EN 301 549 for digital services"), 3
    )
    constraints_security = _text(_("Security constraints"), rows=3)
    open_to_pooling = forms.BooleanField(
        label=_("Other authorities may join this need (pooling)"),
        required=False,
        help_text=_(
            "They state their own quantity and budget share, and buy with you in one "
            "joint challenge"
        ),
    )
    version = forms.IntegerField(
        widget=forms.HiddenInput,
        required=False,
        error_messages={"required": _("Open the need again and make your changes there")},
    )

    CONTENT = (
        "title",
        "problem",
        "affected",
        "expected_outcomes",
        "outcome_measures",
        "cpv_codes",
        "nuts_region",
        "currency",
        "budget_min",
        "budget_max",
        "timeline",
        "expected_start",
        "constraints_data",
        "constraints_interoperability",
        "constraints_accessibility",
        "constraints_security",
        "open_to_pooling",
    )

    def __init__(
        self,
        *args: Any,
        authorities: list[Organisation] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        # An edit must say which version it started from (optimistic concurrency).
        self.fields["version"].required = editing
        # Someone buying for several authorities says which one the need is for.
        if authorities is not None and len(authorities) > 1:
            self.fields["authority"] = AuthorityChoiceField(
                authorities,
                label=_("Which authority is the need for?"),
                error_messages={"required": _("Choose the authority the need is for")},
            )
            self.order_fields(["authority"])

    @classmethod
    def initial_for(cls, need: InnovationNeed) -> dict[str, Any]:
        initial = {name: getattr(need, name) for name in cls.CONTENT if name != "cpv_codes"}
        initial["cpv_codes"] = list(need.cpv_codes.all())
        initial["version"] = need.version
        return initial

    def content(self) -> dict[str, Any]:
        """The cleaned content, as the services take it."""
        data = {name: self.cleaned_data[name] for name in self.CONTENT}
        data["currency"] = getattr(data["currency"], "code", data["currency"])
        return data


class NeedFilterForm(forms.Form):
    q = forms.CharField(label=_("Search"), required=False, max_length=200)
    division = forms.ChoiceField(label=_("What is being bought (CPV division)"), required=False)
    country = CountryChoiceField(
        label=_("Country of the authority"), required=False, empty_label=_("Any country")
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["division"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            ("", _("Any division")),
            *(
                (code.division, f"{code.division} – {code.label}")
                for code in selectors.cpv_divisions()
            ),
        ]


class PublishForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class WithdrawForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the need withdrawn?"),
        required=False,
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required for a published need. It is shown publicly with the need."),
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class InterestForm(forms.Form):
    quantity = forms.CharField(
        label=_("Quantity your authority would buy"),
        required=False,
        max_length=200,
        help_text=_("For example, ‘120 sensors’ or ‘3 district offices’"),
    )
    budget_share = _amount(_("Your budget share"))
    note = forms.CharField(
        label=_("Note to the lead authority"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Shown publicly with your interest"),
    )

    def __init__(
        self, *args: Any, authorities: list[Organisation], currency: str = "", **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if currency:
            self.fields["budget_share"].help_text = _("In %(currency)s") % {"currency": currency}
        if len(authorities) > 1:
            self.fields["authority"] = AuthorityChoiceField(
                authorities,
                label=_("Which authority is interested?"),
                error_messages={"required": _("Choose the authority that is interested")},
            )
            self.order_fields(["authority"])
