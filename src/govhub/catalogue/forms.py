"""Catalogue forms. They parse what people type; the services check the business rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhub.core.forms import show_domain_error
from govhub.organisations.models import Organisation
from govhub.reference.forms import CpvCodesField, NutsRegionField
from govhub.reference.models import Country

from . import rules, selectors
from .models import (
    AccessibilityConformance,
    AdoptionScale,
    CostBand,
    DataLocation,
    DeliveryModel,
    PricingModel,
    Solution,
    SolutionCategory,
)

__all__ = [
    "AdoptFromChallengeForm",
    "AdoptionForm",
    "ModerationForm",
    "NoteForm",
    "ReviewForm",
    "SolutionForm",
    "TranslationForm",
    "show_domain_error",
]

NEEDED = _("Needed before publishing.")

EEA_EXTRA = ("ISL", "LIE", "NOR", "CHE")


def _text(label: Any, help_text: Any = "", rows: int = 4) -> forms.CharField:
    return forms.CharField(
        label=label,
        required=False,
        help_text=help_text,
        widget=forms.Textarea(attrs={"rows": rows}),
    )


def _choice(
    label: Any, choices: Any, help_text: Any = "", radios: bool = True
) -> forms.ChoiceField:
    return forms.ChoiceField(
        label=label,
        required=False,
        help_text=help_text,
        choices=list(choices) if radios else [("", ""), *choices],
        widget=forms.RadioSelect if radios else forms.Select,
    )


class OrganisationChoiceField(forms.ModelChoiceField):
    def __init__(self, organisations: list[Organisation], **kwargs: Any) -> None:
        kwargs.setdefault("empty_label", None)
        kwargs.setdefault("widget", forms.RadioSelect)
        kwargs.setdefault("to_field_name", "public_id")
        super().__init__(
            queryset=Organisation.objects.filter(pk__in=[o.pk for o in organisations]).order_by(
                "name"
            ),
            **kwargs,
        )

    def label_from_instance(self, obj: Any) -> str:
        return str(obj.name)


class CountriesField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj: Any) -> str:
        return str(obj.label)


TRL_CHOICES = [
    ("", _("Not stated")),
    *[(str(n), _("TRL %(level)d") % {"level": n}) for n in range(1, 10)],
]
DPA_CHOICES = [("", _("Not stated")), ("yes", _("Yes")), ("no", _("No"))]


class SolutionForm(forms.Form):
    """An entry's facts in sections. Drafts may leave most of them empty."""

    name = forms.CharField(
        label=_("Name"),
        max_length=200,
        error_messages={"required": _("Enter the solution’s name")},
    )
    summary = forms.CharField(
        label=_("Short description"),
        max_length=500,
        required=False,
        help_text=_("One or two sentences buyers see in the list. Needed before publishing."),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    description = _text(
        _("Long description"), _("What it does, for whom, and how. Needed before publishing."), 8
    )
    language = forms.ChoiceField(
        label=_("Language of this description"),
        choices=[("en", "English")],
        initial="en",
    )
    categories = forms.MultipleChoiceField(
        label=_("Categories"),
        required=False,
        choices=SolutionCategory.choices,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("At least one. Needed before publishing."),
    )
    cpv_codes = CpvCodesField(
        label=_("CPV codes"),
        help_text=_(
            "At least one before publishing. Type a code such as 48000000-8 or words such as "
            "‘software’, then pick from the list"
        ),
    )
    problem_domains = _text(
        _("Problem domains"), _("The problems it solves, one per line or separated by commas"), 3
    )
    licence = forms.CharField(
        label=_("Licence (SPDX identifier)"),
        required=False,
        max_length=100,
        help_text=_(
            "For example EUPL-1.2, MIT, Apache-2.0, or LicenseRef-Proprietary for proprietary "
            "software. Needed before publishing."
        ),
    )
    delivery_model = _choice(_("Delivery model"), DeliveryModel.choices, NEEDED)
    trl = forms.ChoiceField(
        label=_("Technology readiness level"),
        required=False,
        choices=TRL_CHOICES,
        help_text=_(
            "From 1 (basic principles observed) to 9 (proven in operation). "
            "Needed before publishing."
        ),
    )
    is_software = forms.BooleanField(label=_("This is software"), required=False)
    software_version = forms.CharField(label=_("Latest release"), required=False, max_length=50)
    supported_languages = forms.CharField(
        label=_("Supported languages"),
        required=False,
        help_text=_("ISO codes separated by commas, such as en, fr, de. Needed before publishing."),
    )
    supported_countries = CountriesField(
        label=_("Countries where it is offered"),
        required=False,
        queryset=Country.objects.none(),
        widget=forms.CheckboxSelectMultiple,
        help_text=NEEDED,
    )
    standards = _text(_("Standards implemented"), _("One per line, such as ‘OpenAPI 3.1’"), 3)
    integrations = _text(_("Integrations"), _("Systems it connects to, one per line"), 3)
    website = forms.CharField(label=_("Website"), required=False)
    repository_url = forms.CharField(label=_("Source code repository"), required=False)

    data_location = _choice(_("Where data is stored and processed"), DataLocation.choices, NEEDED)
    data_location_details = _text(_("Data location details"), rows=2)
    dpa_available = forms.ChoiceField(
        label=_("Is a data processing agreement available?"),
        required=False,
        choices=DPA_CHOICES,
        widget=forms.RadioSelect,
        help_text=_("Needed before publishing when personal data is processed."),
    )
    sub_processors = _text(_("Sub-processors"), _("Who else processes the data, and where"), 3)
    accessibility_conformance = _choice(
        _("Accessibility conformance"), AccessibilityConformance.choices, NEEDED
    )
    accessibility_statement_url = forms.CharField(
        label=_("Accessibility statement (web address)"), required=False
    )
    pricing_model = _choice(_("Pricing model"), PricingModel.choices, NEEDED)
    pricing_details = _text(_("Pricing details"), rows=3)
    contact_name = forms.CharField(label=_("Contact name"), required=False, max_length=200)
    contact_email = forms.CharField(label=_("Contact email"), required=False, help_text=NEEDED)

    energy_efficiency_label = forms.ChoiceField(
        label=_("Energy efficiency label"), required=False, choices=[]
    )
    environmental_impacts = forms.MultipleChoiceField(
        label=_("Environmental impact"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    gpp_criteria = forms.MultipleChoiceField(
        label=_("Green public procurement criteria met"),
        required=False,
        choices=[],
        widget=forms.CheckboxSelectMultiple,
    )
    hosting_renewable_share = forms.IntegerField(
        label=_("Share of renewable energy in hosting (%)"),
        required=False,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a whole number, such as 80")},
    )
    hosting_pue = forms.DecimalField(
        label=_("Data centre power usage effectiveness (PUE)"),
        required=False,
        help_text=_("For example 1.2"),
        widget=forms.TextInput(attrs={"inputmode": "decimal"}),
        error_messages={"invalid": _("Enter a number, such as 1.2")},
    )
    hosting_notes = _text(_("Hosting energy notes"), rows=3)
    uses_ai = forms.BooleanField(
        label=_("The solution uses artificial intelligence"), required=False
    )
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    SECTIONS: tuple[tuple[Any, tuple[str, ...]], ...] = (
        (_("About the solution"), ("name", "summary", "description", "language")),
        (_("Classification"), ("categories", "cpv_codes", "problem_domains")),
        (
            _("Technology and delivery"),
            (
                "licence",
                "delivery_model",
                "trl",
                "is_software",
                "software_version",
                "supported_languages",
                "supported_countries",
                "standards",
                "integrations",
                "website",
                "repository_url",
            ),
        ),
        (
            _("Data protection"),
            ("data_location", "data_location_details", "dpa_available", "sub_processors"),
        ),
        (_("Accessibility"), ("accessibility_conformance", "accessibility_statement_url")),
        (
            _("Pricing and contact"),
            ("pricing_model", "pricing_details", "contact_name", "contact_email"),
        ),
        (
            _("Sustainability"),
            (
                "energy_efficiency_label",
                "environmental_impacts",
                "gpp_criteria",
                "hosting_renewable_share",
                "hosting_pue",
                "hosting_notes",
            ),
        ),
        (_("Artificial intelligence"), ("uses_ai",)),
    )

    def __init__(
        self,
        *args: Any,
        providers: list[Organisation] | None = None,
        editing: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        from django.conf import settings

        languages = [(code, rules.language_name(code)) for code, _name in settings.LANGUAGES]
        self.fields["language"].choices = languages  # type: ignore[attr-defined]
        self.fields["supported_countries"].queryset = Country.objects.filter(  # type: ignore[attr-defined]
            models_q_eea()
        ).order_by("code")
        self.fields["energy_efficiency_label"].choices = [  # type: ignore[attr-defined]
            ("", _("None")),
            *selectors.codelist_choices(rules.ENERGY_LABELS),
        ]
        self.fields["environmental_impacts"].choices = selectors.codelist_choices(  # type: ignore[attr-defined]
            rules.ENVIRONMENTAL_IMPACT
        )
        self.fields["gpp_criteria"].choices = selectors.codelist_choices(rules.GPP_CRITERIA)  # type: ignore[attr-defined]
        self.fields["version"].required = editing
        if providers is not None and len(providers) > 1:
            self.fields["provider"] = OrganisationChoiceField(
                providers,
                label=_("Which organisation provides the solution?"),
                error_messages={"required": _("Choose the organisation")},
            )
            self.order_fields(["provider"])

    def sections(self) -> list[tuple[Any, list[Any]]]:
        return [(title, [self[name] for name in names]) for title, names in self.SECTIONS]

    @classmethod
    def initial_for(cls, solution: Solution) -> dict[str, Any]:
        content = rules.content_of(solution)
        initial: dict[str, Any] = dict(content)
        for name in ("problem_domains", "standards", "integrations"):
            initial[name] = "\n".join(content[name])
        initial["supported_languages"] = ", ".join(content["supported_languages"])
        initial["trl"] = str(content["trl"]) if content["trl"] else ""
        initial["dpa_available"] = {True: "yes", False: "no"}.get(content["dpa_available"], "")
        initial["version"] = solution.version
        return initial

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        out: dict[str, Any] = {}
        for name in rules.CONTENT_FIELDS:
            out[name] = data.get(name)
        out["dpa_available"] = {"yes": True, "no": False}.get(data.get("dpa_available") or "")
        out["trl"] = int(data["trl"]) if data.get("trl") else None
        out["supported_countries"] = list(data.get("supported_countries") or [])
        out["categories"] = list(data.get("categories") or [])
        for name in ("website", "repository_url", "accessibility_statement_url"):
            out[name] = (data.get(name) or "").strip()
        return out


def models_q_eea() -> Any:
    from django.db.models import Q

    return Q(is_eu=True) | Q(code__in=EEA_EXTRA)


class TranslationForm(forms.Form):
    language = forms.ChoiceField(label=_("Language"), choices=[])
    name = forms.CharField(
        label=_("Name"), max_length=200, error_messages={"required": _("Enter the name")}
    )
    summary = forms.CharField(
        label=_("Short description"),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 2}),
        error_messages={"required": _("Enter the short description")},
    )
    description = _text(_("Long description"), rows=6)

    def __init__(self, *args: Any, languages: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["language"].choices = languages  # type: ignore[attr-defined]


class NoteForm(forms.Form):
    """An optional note for a provider's move (propose, take back, archive, reopen)."""

    note = _text(_("Note for the moderators (optional)"), rows=3)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


MODERATION_DECISIONS = [
    ("publish", _("Publish the entry")),
    ("request_update", _("Send it back: it needs an update")),
    ("archive", _("Archive the entry")),
]


class ModerationForm(forms.Form):
    decision = forms.ChoiceField(
        label=_("Your decision"),
        choices=MODERATION_DECISIONS,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a decision")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_("The provider sees it on the entry’s history."),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Give the reason for this decision")},
    )

    def __init__(self, *args: Any, decisions: list[str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["decision"].choices = [  # type: ignore[attr-defined]
            c for c in MODERATION_DECISIONS if c[0] in decisions
        ]


class AdoptionForm(forms.Form):
    nuts_region = NutsRegionField(label=_("Where it is used (NUTS region)"))
    since = forms.DateField(
        label=_("In use since"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
        help_text=_("For example, 2025-03-01"),
        error_messages={"invalid": _("Enter a real date, for example 2025-03-01")},
    )
    scale = forms.ChoiceField(
        label=_("Scale"), required=False, choices=AdoptionScale.choices, widget=forms.RadioSelect
    )
    users_count = forms.IntegerField(
        label=_("Number of users"),
        required=False,
        min_value=0,
        widget=forms.TextInput(attrs={"inputmode": "numeric"}),
        error_messages={"invalid": _("Enter a whole number, such as 120")},
    )
    outcome = _text(_("Outcome"), _("What changed for your users and staff"))
    cost_band = forms.ChoiceField(
        label=_("Cost band"), required=False, choices=CostBand.choices, widget=forms.RadioSelect
    )
    lessons_learnt = _text(_("Lessons learnt"), _("What other authorities should know"))

    FIELDS = (
        "nuts_region",
        "since",
        "scale",
        "users_count",
        "outcome",
        "cost_band",
        "lessons_learnt",
    )

    def __init__(
        self, *args: Any, authorities: list[Organisation] | None = None, **kwargs: Any
    ) -> None:
        super().__init__(*args, **kwargs)
        if authorities is not None and len(authorities) > 1:
            self.fields["authority"] = OrganisationChoiceField(
                authorities,
                label=_("Which authority uses it?"),
                error_messages={"required": _("Choose the authority")},
            )
            self.order_fields(["authority"])

    def content(self) -> dict[str, Any]:
        return {name: self.cleaned_data.get(name) for name in self.FIELDS}


RATING_CHOICES = [
    ("5", _("5 – excellent")),
    ("4", _("4 – good")),
    ("3", _("3 – fair")),
    ("2", _("2 – poor")),
    ("1", _("1 – very poor")),
]


class ReviewForm(forms.Form):
    rating = forms.ChoiceField(
        label=_("Rating"),
        choices=RATING_CHOICES,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose a rating from 1 to 5")},
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter a title for your review")},
    )
    body = forms.CharField(
        label=_("Your review"),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write your review")},
    )


class AdoptFromChallengeForm(forms.Form):
    solution = forms.ModelChoiceField(
        label=_("Which solution does your authority now use?"),
        queryset=Solution.objects.none(),
        to_field_name="public_id",
        empty_label=None,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the solution")},
    )
    include_cobuyers = forms.BooleanField(
        label=_("Record it for every co-buying authority too"), required=False
    )

    def __init__(self, *args: Any, solutions: list[Solution], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field: Any = self.fields["solution"]
        field.queryset = (
            Solution.objects.filter(pk__in=[s.pk for s in solutions])
            .select_related("provider")
            .order_by("name")
        )
        field.label_from_instance = lambda obj: f"{obj.name} ({obj.provider.name})"
