from __future__ import annotations

from collections.abc import Iterator
from typing import Any

from django import forms
from django.forms.models import ModelChoiceIterator
from django.utils.translation import gettext_lazy as _

from govhub.reference.forms import (
    CodelistChoiceField,
    CountryChoiceField,
    CpvCodesField,
    NutsRegionField,
)
from govhub.reference.selectors import codelist_entries

from .models import IntermediaryType, Organisation, OrganisationKind, VerificationStatus


class _SizeOrder(ModelChoiceIterator):
    """Company sizes from micro to large, not alphabetically."""

    order = ("micro", "small", "medium", "large")

    def __iter__(self) -> Iterator[tuple[Any, Any]]:
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rank = {code: n for n, code in enumerate(self.order)}
        entries = sorted(self.queryset, key=lambda e: rank.get(e.code, len(rank)))
        for entry in entries:
            yield self.choice(entry)


class CompanySizeField(CodelistChoiceField):
    iterator = _SizeOrder  # type: ignore[assignment]  # any ModelChoiceIterator will do

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault(
            "queryset",
            codelist_entries("economic-operator-size").filter(code__in=_SizeOrder.order),
        )
        super().__init__(codelist="economic-operator-size", **kwargs)


class KindForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What kind of organisation is it?"),
        choices=OrganisationKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose what kind of organisation it is")},
    )


# Which form fields each kind shows, beyond the common ones.
KIND_FIELDS: dict[str, tuple[str, ...]] = {
    OrganisationKind.AUTHORITY: ("buyer_legal_type", "main_activity"),
    OrganisationKind.COMPANY: ("national_id", "size", "cpv_capabilities"),
    OrganisationKind.INTERMEDIARY: ("intermediary_type",),
    OrganisationKind.RESEARCH: (),
    OrganisationKind.CIVIL_SOCIETY: (),
}
_ALL_KIND_FIELDS = {name for names in KIND_FIELDS.values() for name in names}


class OrganisationForm(forms.Form):
    """The facts of one kind of organisation; the service applies the business rules."""

    name = forms.CharField(
        label=_("Name"),
        max_length=300,
        error_messages={"required": _("Enter the organisation’s name")},
    )
    country = CountryChoiceField(
        label=_("Country"), error_messages={"required": _("Choose the country")}
    )
    nuts_region = NutsRegionField(
        label=_("NUTS region"),
        required=False,
        help_text=_(
            "The region the organisation is based in: type a NUTS code such as BE100 or a "
            "region’s name, then pick from the list"
        ),
    )
    description = forms.CharField(
        label=_("Description"), required=False, widget=forms.Textarea(attrs={"rows": 4})
    )
    website = forms.URLField(
        label=_("Website"),
        required=False,
        assume_scheme="https",
        help_text=_("For example, https://www.example.eu"),
    )
    email = forms.EmailField(label=_("Contact email address"), required=False)
    buyer_legal_type = CodelistChoiceField(
        codelist="buyer-legal-type",
        label=_("Buyer legal type"),
        help_text=_("As in the EU’s eForms notices"),
        error_messages={"required": _("Choose the authority’s buyer legal type")},
    )
    main_activity = CodelistChoiceField(
        codelist="main-activity", label=_("Main activity"), required=False
    )
    national_id = forms.CharField(
        label=_("National registration ID"),
        max_length=100,
        required=False,
        help_text=_("For example, the company or VAT number"),
    )
    size = CompanySizeField(
        label=_("Company size"),
        widget=forms.RadioSelect,
        empty_label=None,
        error_messages={"required": _("Choose the company’s size")},
    )
    cpv_capabilities = CpvCodesField(
        label=_("What the company can supply (CPV codes)"), required=False
    )
    intermediary_type = forms.ChoiceField(
        label=_("Kind of intermediary"),
        choices=IntermediaryType.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the kind of intermediary")},
    )

    def __init__(self, *args: Any, kind: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.kind = kind
        for name in _ALL_KIND_FIELDS - set(KIND_FIELDS[kind]):
            del self.fields[name]
        # The region picker suggests regions of the chosen country first.
        country = self.data.get("country") if self.is_bound else None
        if not country and self.initial.get("country") is not None:
            initial = self.initial["country"]
            country = getattr(initial, "code", initial)
        if country:
            self.fields["nuts_region"].widget.country = str(country)

    @classmethod
    def initial_for(cls, org: Organisation) -> dict[str, Any]:
        return {
            "name": org.name,
            "country": org.country,
            "nuts_region": org.nuts_region,
            "description": org.description,
            "website": org.website,
            "email": org.email,
            "buyer_legal_type": org.buyer_legal_type,
            "main_activity": org.main_activity,
            "national_id": org.national_id,
            "size": org.size,
            "cpv_capabilities": list(org.cpv_capabilities.all()),
            "intermediary_type": org.intermediary_type,
        }


class OrganisationFilterForm(forms.Form):
    q = forms.CharField(label=_("Search by name"), required=False, max_length=200)
    kind = forms.ChoiceField(
        label=_("Kind"), required=False, choices=[("", _("Any kind")), *OrganisationKind.choices]
    )
    country = CountryChoiceField(label=_("Country"), required=False, empty_label=_("Any country"))
    status = forms.ChoiceField(
        label=_("Verification"),
        required=False,
        choices=[("", _("Any status")), *VerificationStatus.choices],
    )


ROLE_CHOICES_ALL = [
    ("admin", _("Administrator – manages the organisation and its members")),
    ("buyer", _("Buyer – publishes needs and challenges for the authority")),
    ("evaluator", _("Evaluator – assesses proposals")),
]


def role_choices(org: Organisation) -> list[tuple[str, Any]]:
    return ROLE_CHOICES_ALL if org.is_authority else ROLE_CHOICES_ALL[:1]


class RolesField(forms.MultipleChoiceField):
    widget = forms.CheckboxSelectMultiple

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("label", _("Roles"))
        kwargs.setdefault("required", False)
        kwargs.setdefault("help_text", _("Every member can see the organisation’s work."))
        super().__init__(choices=ROLE_CHOICES_ALL, **kwargs)


class _RolesMixin:
    fields: dict[str, forms.Field]

    def _set_role_choices(self, org: Organisation) -> None:
        field = self.fields["roles"]
        assert isinstance(field, forms.MultipleChoiceField)
        field.choices = role_choices(org)

    def role_flags(self) -> dict[str, bool]:
        roles = set(self.cleaned_data.get("roles") or [])  # type: ignore[attr-defined]
        return {
            "is_admin": "admin" in roles,
            "is_buyer": "buyer" in roles,
            "is_evaluator": "evaluator" in roles,
        }


class InvitationForm(_RolesMixin, forms.Form):
    email = forms.EmailField(
        label=_("Email address"),
        error_messages={
            "required": _("Enter the email address of the person to invite"),
            "invalid": _("Enter an email address in the correct format, like name@example.eu"),
        },
    )
    roles = RolesField()

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_role_choices(organisation)


class RolesForm(_RolesMixin, forms.Form):
    roles = RolesField(help_text="")

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self._set_role_choices(organisation)


class JoinRequestForm(forms.Form):
    message = forms.CharField(
        label=_("Message to the administrators"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Say who you are and why you want to join"),
    )


class ModerationForm(forms.Form):
    action = forms.ChoiceField(
        label=_("Decision"),
        widget=forms.RadioSelect,
        choices=[],
        error_messages={"required": _("Choose a decision")},
    )
    reason = forms.CharField(
        label=_("Reason"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Required for a suspension. The organisation’s administrators see it."),
    )
    expected_status = forms.CharField(widget=forms.HiddenInput, required=False)

    ACTIONS = {
        "verify": (VerificationStatus.VERIFIED, _("Verify")),
        "suspend": (VerificationStatus.SUSPENDED, _("Suspend")),
        "reinstate": (VerificationStatus.VERIFIED, _("Reinstate")),
    }

    def __init__(self, *args: Any, organisation: Organisation, **kwargs: Any) -> None:
        kwargs.setdefault("initial", {"expected_status": organisation.status})
        super().__init__(*args, **kwargs)
        available = {
            VerificationStatus.UNVERIFIED: ["verify", "suspend"],
            VerificationStatus.VERIFIED: ["suspend"],
            VerificationStatus.SUSPENDED: ["reinstate"],
        }[VerificationStatus(organisation.status)]
        field = self.fields["action"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(name, self.ACTIONS[name][1]) for name in available]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        if data.get("action") == "suspend" and not (data.get("reason") or "").strip():
            self.add_error("reason", _("Give the reason for the suspension"))
        return data


class RejectForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason (optional)"),
        required=False,
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 3}),
    )
