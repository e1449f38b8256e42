"""Forms for the challenge pages. They check shapes; the services apply the business rules."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.forms import formset_factory
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govhub.core.errors import DomainError, InvalidInput
from govhub.core.forms import show_domain_error
from govhub.organisations.models import Organisation, OrganisationKind, VerificationStatus
from govhub.reference.forms import CodelistChoiceField, CpvCodesField, NutsRegionField
from govhub.reference.selectors import codelist_entries

from . import selectors
from .models import Challenge, ChallengeStatus, PhaseKind
from .services import ALLOWED_LABELS

__all__ = [
    "AnswerForm",
    "BuyerShareForm",
    "CancelForm",
    "ChallengeFilterForm",
    "ChallengeForm",
    "ClarificationForm",
    "CobuyerForm",
    "CriteriaFormSet",
    "CriteriaVersionForm",
    "CriterionForm",
    "DeadlineForm",
    "DocumentForm",
    "PhaseForm",
    "error_list",
    "show_domain_error",
    "show_formset_error",
]

BRUSSELS = zoneinfo.ZoneInfo("Europe/Brussels")

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


class BrusselsDateTimeField(forms.Field):
    """A date and time typed in Brussels time (the procurement's reference), stored in UTC.

    Times that do not exist in Brussels (the hour skipped when clocks go forward, e.g.
    02:30 on 28 March 2027) are refused rather than silently shifted.
    """

    widget = forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M")
    input_formats = ("%Y-%m-%dT%H:%M", "%Y-%m-%dT%H:%M:%S", "%Y-%m-%d %H:%M")
    default_error_messages = {
        "invalid": _("Enter a date and time, such as 17/03/2027 12:00"),
        "nonexistent": _(
            "This time does not exist in Brussels on that day: the clocks go forward an hour. "
            "Choose another time"
        ),
    }

    def prepare_value(self, value: Any) -> Any:
        if isinstance(value, dt.datetime):
            if timezone.is_aware(value):
                value = value.astimezone(BRUSSELS).replace(tzinfo=None)
            return value.strftime("%Y-%m-%dT%H:%M")
        return value

    def to_python(self, value: Any) -> dt.datetime | None:
        if value in self.empty_values:
            return None
        if isinstance(value, dt.datetime):
            return value if timezone.is_aware(value) else self._in_brussels(value)
        text = str(value).strip()
        for fmt in self.input_formats:
            try:
                naive = dt.datetime.strptime(text, fmt)
            except ValueError:
                continue
            return self._in_brussels(naive)
        raise ValidationError(self.error_messages["invalid"], code="invalid")

    def _in_brussels(self, naive: dt.datetime) -> dt.datetime:
        aware = naive.replace(tzinfo=BRUSSELS)
        if aware.astimezone(dt.UTC).astimezone(BRUSSELS).replace(tzinfo=None) != naive:
            raise ValidationError(self.error_messages["nonexistent"], code="nonexistent")
        return aware.astimezone(dt.UTC)

    def has_changed(self, initial: Any, data: Any) -> bool:
        return self.prepare_value(initial) != data


_BRUSSELS_HINT = _("In Brussels time (CET in winter, CEST in summer)")


class ChallengeFilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        required=False,
        choices=[("", _("Any status"))]
        + [(s.value, s.label) for s in ChallengeStatus if s != ChallengeStatus.DRAFT],
    )
    cpv = forms.ChoiceField(label=_("What is bought (CPV division)"), required=False)
    country = forms.ChoiceField(label=_("Country of a buying authority"), required=False)
    open_now = forms.BooleanField(label=_("Open for proposals now"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["cpv"].choices = [("", _("Any"))] + [  # type: ignore[attr-defined]
            (code.division, f"{code.division} – {code.label}") for code in selectors.cpv_divisions()
        ]
        self.fields["country"].choices = [("", _("Any"))] + [  # type: ignore[attr-defined]
            (country.code, country.label) for country in selectors.buyer_countries()
        ]

    def filters(self) -> dict[str, Any]:
        if not self.is_bound or not self.is_valid():
            return {}
        data = self.cleaned_data
        return {
            "status": data["status"] or None,
            "cpv_division": data["cpv"] or None,
            "country": data["country"] or None,
            "open_now": bool(data["open_now"]),
        }


class ChallengeForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=300,
        error_messages={"required": _("Enter a title")},
    )
    summary = forms.CharField(
        label=_("Summary"),
        max_length=600,
        help_text=_("One or two sentences shown in lists of challenges"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Enter a short summary")},
    )
    description = forms.CharField(
        label=_("Description"),
        help_text=_("The problem, who suffers it, the outcomes you expect and your constraints"),
        widget=forms.Textarea(attrs={"rows": 10}),
        error_messages={"required": _("Describe the challenge")},
    )
    cpv_codes = CpvCodesField(label=_("What is bought (CPV codes)"))
    nuts_region = NutsRegionField(label=_("Place of performance (NUTS region)"))
    currency = CodelistChoiceField(
        codelist="currency",
        label=_("Currency"),
        error_messages={"required": _("Choose a currency")},
    )
    total_budget = _amount(_("Total budget"), _("For every phase and every buyer together"))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args: Any, authorities: list[Organisation] | None = None, **kwargs: Any):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("currency", "EUR")
        if authorities is not None:
            self.fields["lead_authority"] = forms.ModelChoiceField(
                label=_("Lead authority"),
                help_text=_("The authority running the challenge; you are one of its buyers"),
                queryset=Organisation.objects.filter(pk__in=[a.pk for a in authorities]),
                to_field_name="public_id",
                empty_label=None,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose the lead authority")},
            )
            if len(authorities) == 1:
                self.initial.setdefault("lead_authority", authorities[0].public_id)
            self.order_fields(["lead_authority"])

    @staticmethod
    def initial_for(challenge: Challenge) -> dict[str, Any]:
        return {
            "title": challenge.title,
            "summary": challenge.summary,
            "description": challenge.description,
            "cpv_codes": list(challenge.cpv_codes.all()),
            "nuts_region": challenge.nuts_region,
            "currency": challenge.currency,
            "total_budget": challenge.total_budget,
            "version": challenge.version,
        }

    def values(self) -> dict[str, Any]:
        data = dict(self.cleaned_data)
        data.pop("version", None)
        data.pop("lead_authority", None)
        currency = data.get("currency")
        data["currency"] = getattr(currency, "code", currency) or "EUR"
        return data


class CobuyerForm(forms.Form):
    authority = forms.ModelChoiceField(
        label=_("Authority"),
        help_text=_("A verified public authority buying the same solution"),
        queryset=Organisation.objects.none(),
        to_field_name="public_id",
        error_messages={"required": _("Choose the authority")},
    )
    quantity = forms.CharField(
        label=_("Quantity"),
        max_length=200,
        required=False,
        help_text=_("What this authority buys, such as ‘4 car parks’"),
    )
    budget_share = _amount(_("Budget share"))

    def __init__(self, *args: Any, challenge: Challenge, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["authority"]
        field.queryset = (  # type: ignore[attr-defined]
            Organisation.objects.filter(
                kind=OrganisationKind.AUTHORITY, status=VerificationStatus.VERIFIED
            )
            .exclude(challenge_buyers__challenge=challenge)
            .select_related("country")
            .order_by("name")
        )
        field.label_from_instance = lambda org: f"{org.name} ({org.country.label})"  # type: ignore[attr-defined]


class BuyerShareForm(forms.Form):
    quantity = forms.CharField(label=_("Quantity"), max_length=200, required=False)
    budget_share = _amount(_("Budget share"))


class PhaseForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("Kind of phase"),
        choices=PhaseKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of phase it is")},
    )
    title = forms.CharField(
        label=_("Title"), max_length=200, error_messages={"required": _("Enter the title")}
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 5})
    )
    opens_at = BrusselsDateTimeField(label=_("Opens"), required=False, help_text=_BRUSSELS_HINT)
    deadline = BrusselsDateTimeField(
        label=_("Deadline for proposals"),
        required=False,
        help_text=_(
            "In Brussels time (CET in winter, CEST in summer). Needed for open calls and "
            "shortlists; proposals are refused from this second on"
        ),
    )
    ends_at = BrusselsDateTimeField(label=_("Phase ends"), required=False, help_text=_BRUSSELS_HINT)
    sme_only = forms.BooleanField(label=_("Open to SMEs only"), required=False)
    eu_eea_only = forms.BooleanField(
        label=_("Open to companies established in the EU or EEA only"), required=False
    )
    eligibility_notes = forms.CharField(
        label=_("Other eligibility conditions"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
    budget = _amount(_("Prize or budget for this phase"))
    max_selected = forms.IntegerField(
        label=_("How many companies go on"),
        required=False,
        min_value=1,
        max_value=1000,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a whole number, such as 3")},
    )
    asks_price = forms.BooleanField(label=_("Proposals declare a price"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    FIELDS = (
        "kind",
        "title",
        "description",
        "opens_at",
        "deadline",
        "ends_at",
        "sme_only",
        "eu_eea_only",
        "eligibility_notes",
        "budget",
        "max_selected",
        "asks_price",
    )

    @classmethod
    def initial_for(cls, phase: Any) -> dict[str, Any]:
        return {name: getattr(phase, name) for name in (*cls.FIELDS, "version")}

    def values(self) -> dict[str, Any]:
        return {name: self.cleaned_data[name] for name in self.FIELDS}


class CriterionForm(forms.Form):
    name = forms.CharField(
        label=_("Criterion"), max_length=200, error_messages={"required": _("Enter the name")}
    )
    description = forms.CharField(
        label=_("What is assessed"), required=False, widget=forms.Textarea(attrs={"rows": 2})
    )
    criterion_type = CodelistChoiceField(
        codelist="award-criterion-type",
        label=_("Type"),
        error_messages={"required": _("Choose the type")},
    )
    weight = forms.IntegerField(
        label=_("Weight (%)"),
        min_value=1,
        max_value=100,
        widget=forms.TextInput(attrs={"inputmode": "numeric", "data-criteria-weight": ""}),
        error_messages={
            "required": _("Enter the weight"),
            "invalid": _("Enter the weight as a whole number"),
            "min_value": _("Enter a weight from 1 to 100"),
            "max_value": _("Enter a weight from 1 to 100"),
        },
    )
    gpp_criteria = forms.ModelMultipleChoiceField(
        label=_("Green public procurement criteria"),
        queryset=codelist_entries("gpp-criteria").exclude(code="none"),
        to_field_name="code",
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["gpp_criteria"].label_from_instance = lambda e: e.label  # type: ignore[attr-defined]


class _BaseCriteriaFormSet(forms.BaseFormSet):
    def kept_forms(self) -> list[forms.Form]:
        """Rows that stay: existing ones not removed, and extra rows filled in."""
        initial = self.initial_form_count()
        return [
            form
            for index, form in enumerate(self.forms)
            if (index < initial or form.has_changed()) and not self._should_delete_form(form)
        ]

    def _should_delete_form(self, form: forms.Form) -> bool:
        # An existing row emptied by the buyer is removed, as if "remove" had been ticked.
        if form.is_bound and not any(
            str(form.data.get(form.add_prefix(name)) or "").strip()
            for name in ("name", "description", "criterion_type", "weight")
        ):
            return True
        return bool(forms.BaseFormSet._should_delete_form(self, form))  # type: ignore[attr-defined]

    def specs(self) -> list[dict[str, Any]]:
        rows = []
        for form in self.kept_forms():
            data = form.cleaned_data
            rows.append(
                {
                    "name": data["name"],
                    "description": data.get("description", ""),
                    "criterion_type": data["criterion_type"],
                    "weight": data["weight"],
                    "gpp_criteria": tuple(data.get("gpp_criteria") or ()),
                }
            )
        return rows

    def typed_total(self) -> int:
        """The weights as typed (valid ones), so the page shows the total next to the error."""
        total = 0
        for form in self.forms:
            if self.can_delete and form.data.get(form.add_prefix("DELETE")):
                continue
            try:
                total += int(form.data.get(form.add_prefix("weight")) or 0)
            except (TypeError, ValueError):
                continue
        return total

    def add_fields(self, form: forms.Form, index: int | None) -> None:
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].label = _("Remove this criterion")


MAX_CRITERIA = 20


def criteria_formset(rows: int) -> type[_BaseCriteriaFormSet]:
    """A formset class with enough empty rows: at least 3, and 6 rows in all to start with."""
    return formset_factory(  # type: ignore[return-value]
        CriterionForm,
        formset=_BaseCriteriaFormSet,
        extra=max(3, 6 - rows),
        can_delete=True,
        max_num=MAX_CRITERIA,
        absolute_max=MAX_CRITERIA,
    )


CriteriaFormSet = criteria_formset(0)


class CriteriaVersionForm(forms.Form):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


def show_formset_error(
    formset: _BaseCriteriaFormSet, version_form: forms.Form, error: DomainError
) -> None:
    """Put a criteria refusal where it belongs: on its rows, or above the table."""
    rows = error.details.get("rows") if isinstance(error, InvalidInput) else None
    kept = formset.kept_forms()
    placed = False
    for index, fields in (rows or {}).items():
        if index < len(kept):
            for name, messages in fields.items():
                kept[index].add_error(name if name in kept[index].fields else None, messages)
            placed = True
    if not placed:
        version_form.add_error(None, error.message)


class DocumentForm(forms.Form):
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        required=False,
        help_text=_("Leave empty to use the file’s name"),
    )
    file = forms.FileField(
        label=_("File"),
        help_text=_("%(formats)s, up to 20 MB") % {"formats": ALLOWED_LABELS},
        error_messages={"required": _("Choose a file to upload")},
    )


class CancelForm(forms.Form):
    reason = forms.CharField(
        label=_("Why is the challenge cancelled?"),
        help_text=_("This is published on the challenge’s page"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5}),
        error_messages={"required": _("Give the reason for cancelling")},
    )


class DeadlineForm(forms.Form):
    deadline = BrusselsDateTimeField(
        label=_("New deadline"),
        help_text=_(
            "In Brussels time (CET in winter, CEST in summer). Once a proposal has been "
            "submitted, the deadline can only be extended"
        ),
        error_messages={"required": _("Enter the new deadline")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        max_length=2000,
        help_text=_("Published in the challenge’s history"),
        widget=forms.Textarea(attrs={"rows": 3}),
    )


class ClarificationForm(forms.Form):
    question = forms.CharField(
        label=_("Your question"),
        help_text=_(
            "The answer is published on the challenge’s page for every company. Your name and "
            "your company’s name are never shown with it"
        ),
        max_length=4000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter your question")},
    )

    def __init__(self, *args: Any, companies: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if len(companies) > 1:
            self.fields["organisation"] = forms.ModelChoiceField(
                label=_("Asking for"),
                queryset=Organisation.objects.filter(pk__in=[c.pk for c in companies]),
                to_field_name="public_id",
                empty_label=None,
                widget=forms.RadioSelect,
                error_messages={"required": _("Choose your company")},
            )
            self.order_fields(["organisation", "question"])
        self.companies = companies

    def chosen_organisation(self) -> Organisation:
        chosen = self.cleaned_data.get("organisation")
        return chosen if chosen is not None else self.companies[0]


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer"),
        help_text=_("Published to everyone, with the question, without the asker’s identity"),
        max_length=8000,
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Enter the answer")},
    )


def error_list(*forms_: forms.BaseForm) -> list[dict[str, str]]:
    """The error summary's entries for several forms (a formset's rows and its extras)."""
    errors: list[dict[str, str]] = []
    for form in forms_:
        if not form.is_bound:
            continue
        errors.extend({"href": "", "text": str(m)} for m in form.non_field_errors())
        for name, messages in form.errors.items():
            if name == "__all__":
                continue
            errors.extend({"href": f"#{form[name].auto_id}", "text": str(m)} for m in messages)
    return errors
