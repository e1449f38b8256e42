"""Evaluation forms. They parse and keep what was typed; the services apply the rules and
their refusals are put back on the fields (``show_domain_error``) without losing input."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhub.challenges.models import AwardCriterion
from govhub.core.errors import InvalidInput
from govhub.core.forms import show_domain_error
from govhub.organisations.models import Membership
from govhub.proposals.models import Proposal

from .models import SCORE_MAX, OutcomeKind
from .services.scoring import consensus_value, whole_score

__all__ = [
    "AgreeForm",
    "AssignForm",
    "ConsensusForm",
    "DeclarationForm",
    "KpiForm",
    "KpiResultForm",
    "OutcomeForm",
    "PilotDecisionForm",
    "PilotPlanForm",
    "ResultsForm",
    "ScoreForm",
    "show_domain_error",
]

_TEXT = {"rows": 4}


def _check(form: forms.Form, name: str, parse: Any, value: Any) -> None:
    """Run the service's own parser, so the form says exactly what the service would."""
    try:
        parse(value, name)
    except InvalidInput as error:
        for message in error.field_errors.get(name, [error.message]):
            form.add_error(name, message)


def _text(label: Any, missing: Any = None, **kwargs: Any) -> forms.CharField:
    """A text area; required when ``missing`` (the error message) is given."""
    return forms.CharField(
        label=label,
        required=missing is not None,
        error_messages={"required": missing} if missing is not None else {},
        widget=forms.Textarea(attrs=_TEXT),
        **kwargs,
    )


def _number(label: Any, missing: Any = None, **kwargs: Any) -> forms.CharField:
    """Numbers are parsed by the services (Decimal, ranges) so messages match everywhere."""
    return forms.CharField(
        label=label,
        required=missing is not None,
        error_messages={"required": missing} if missing is not None else {},
        max_length=20,
        widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
        **kwargs,
    )


class AssignForm(forms.Form):
    evaluator = forms.ChoiceField(
        label=_("Evaluator"),
        help_text=_("People with the evaluator role in the lead or a co-buying authority"),
        error_messages={
            "required": _("Choose an evaluator"),
            "invalid_choice": _("Choose an evaluator"),
        },
    )

    def __init__(self, *args: Any, memberships: Iterable[Membership], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memberships = {str(m.public_id): m for m in memberships}
        field = self.fields["evaluator"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose an evaluator"))] + [
            (key, f"{m.user.display_name or m.user.email} ({m.organisation.name})")
            for key, m in self.memberships.items()
        ]

    def membership(self) -> Membership:
        return self.memberships[self.cleaned_data["evaluator"]]


class DeclarationForm(forms.Form):
    has_conflict = forms.TypedChoiceField(
        label=_("Do you have a conflict of interest?"),
        choices=[
            ("no", _("No, I have no conflict of interest and I sign the declaration")),
            ("yes", _("Yes, I have a conflict of interest")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        error_messages={"required": _("Say whether you have a conflict of interest")},
    )
    # Not a conditional reveal: axe flags the aria-expanded it puts on radios.
    statement = _text(
        _("If you have a conflict of interest, describe it"),
        help_text=_(
            "Who or what it concerns. Declaring a conflict excludes you from this evaluation."
        ),
    )


class ScoreForm(forms.Form):
    """One score (0–10) and one justification per criterion of the phase."""

    def __init__(self, *args: Any, criteria: Iterable[AwardCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            name = criterion.name
            self.fields[f"score_{criterion.public_id}"] = _number(
                _("Score for “%(name)s”") % {"name": name},
                _("Enter a score for “%(name)s”") % {"name": name},
                help_text=_("A whole number from 0 (not addressed) to %(max)s (excellent)")
                % {"max": SCORE_MAX},
            )
            self.fields[f"reason_{criterion.public_id}"] = _text(
                _("Justification for “%(name)s”") % {"name": name},
                _("Explain the score for “%(name)s”") % {"name": name},
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "criterion": c,
                "score": self[f"score_{c.public_id}"],
                "reason": self[f"reason_{c.public_id}"],
            }
            for c in self.criteria
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for criterion in self.criteria:
            name = f"score_{criterion.public_id}"
            if data.get(name):
                _check(self, name, whole_score, data[name])
        return data

    def entries(self) -> list[tuple[AwardCriterion, str, str]]:
        return [
            (
                c,
                self.cleaned_data[f"score_{c.public_id}"],
                self.cleaned_data[f"reason_{c.public_id}"],
            )
            for c in self.criteria
        ]


class ConsensusForm(forms.Form):
    """The consensus score (0–10, one decimal) and its reason per criterion, with the
    version of the consensus the buyer saw, so that two buyers cannot overwrite each other."""

    def __init__(self, *args: Any, criteria: Iterable[AwardCriterion], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.criteria = list(criteria)
        for criterion in self.criteria:
            key = criterion.public_id
            name = criterion.name
            self.fields[f"score_{key}"] = _number(
                _("Consensus score for “%(name)s”") % {"name": name},
                _("Enter the consensus score for “%(name)s”") % {"name": name},
                help_text=_("From 0 to 10, one decimal allowed, such as 7.5"),
            )
            self.fields[f"reason_{key}"] = _text(
                _("Reason for the consensus on “%(name)s”") % {"name": name},
                _("Give the reason for the consensus on “%(name)s”") % {"name": name},
            )
            self.fields[f"version_{key}"] = forms.IntegerField(
                required=False, min_value=0, widget=forms.HiddenInput
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "criterion": c,
                "score": self[f"score_{c.public_id}"],
                "reason": self[f"reason_{c.public_id}"],
                "version": self[f"version_{c.public_id}"],
            }
            for c in self.criteria
        ]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for criterion in self.criteria:
            name = f"score_{criterion.public_id}"
            if data.get(name):
                _check(self, name, consensus_value, data[name])
        return data

    def entries(self) -> list[tuple[AwardCriterion, str, str, int]]:
        return [
            (
                c,
                self.cleaned_data[f"score_{c.public_id}"],
                self.cleaned_data[f"reason_{c.public_id}"],
                self.cleaned_data.get(f"version_{c.public_id}") or 0,
            )
            for c in self.criteria
        ]


class ResultsForm(forms.Form):
    """Selected or not, and why, for every proposal the phase decides on."""

    def __init__(self, *args: Any, proposals: Iterable[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.proposals = list(proposals)
        for proposal in self.proposals:
            name = proposal.company.name
            self.fields[f"selected_{proposal.public_id}"] = forms.TypedChoiceField(
                label=_("Does %(company)s go on?") % {"company": name},
                choices=[("yes", _("Selected")), ("no", _("Not selected"))],
                coerce=lambda value: value == "yes",
                widget=forms.RadioSelect,
                error_messages={
                    "required": _("Say whether %(company)s is selected") % {"company": name}
                },
            )
            self.fields[f"reason_{proposal.public_id}"] = _text(
                _("Reason given to %(company)s") % {"company": name},
                _("Give %(company)s the reason") % {"company": name},
                help_text=_("The company reads this. Do not name other companies."),
            )

    def rows(self) -> list[dict[str, Any]]:
        return [
            {
                "proposal": p,
                "selected": self[f"selected_{p.public_id}"],
                "reason": self[f"reason_{p.public_id}"],
            }
            for p in self.proposals
        ]

    def entries(self) -> list[tuple[Proposal, bool, str]]:
        return [
            (
                p,
                bool(self.cleaned_data[f"selected_{p.public_id}"]),
                self.cleaned_data[f"reason_{p.public_id}"],
            )
            for p in self.proposals
        ]


class OutcomeForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("What is the decision?"),
        choices=OutcomeKind.choices,
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the decision")},
    )
    awarded = forms.MultipleChoiceField(
        label=_("Companies awarded"),
        help_text=_("Only companies selected through every phase, with a “go” from any pilot"),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    value = _number(
        _("Contract value"), help_text=_("For an award only: the total value, such as 150000")
    )
    reasons = _text(
        _("Reasons for the decision"),
        _("Give the reasons for the decision"),
        help_text=_("Published on the challenge’s page for everyone to read"),
    )
    standstill_days = forms.IntegerField(
        label=_("Standstill period in calendar days"),
        help_text=_(
            "For an award: at least 10 calendar days (Directive 89/665/EEC). Leave as it is "
            "unless national law sets a longer period."
        ),
        required=False,
        min_value=10,
        max_value=60,
        error_messages={
            "min_value": _("The standstill period is at least 10 calendar days."),
            "max_value": _("Enter 60 days or fewer."),
            "invalid": _("Enter a whole number of days."),
        },
    )

    def __init__(self, *args: Any, candidates: Iterable[Proposal], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.candidates = {str(p.public_id): p for p in candidates}
        field = self.fields["awarded"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(key, p.company.name) for key, p in self.candidates.items()]

    def awarded_proposals(self) -> list[Proposal]:
        return [self.candidates[key] for key in self.cleaned_data.get("awarded") or []]


class PilotPlanForm(forms.Form):
    plan = forms.CharField(
        label=_("Pilot plan"),
        help_text=_(
            "Where, when, with whom, what the company provides and what the buyer provides"
        ),
        error_messages={"required": _("Describe the pilot")},
        widget=forms.Textarea(attrs={"rows": 8}),
    )
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class KpiForm(forms.Form):
    name = forms.CharField(
        label=_("Indicator"),
        max_length=200,
        error_messages={"required": _("Enter the indicator’s name")},
    )
    unit = forms.CharField(
        label=_("Unit"),
        help_text=_("Such as “minutes” or “%”"),
        max_length=50,
        error_messages={"required": _("Enter the unit, such as “minutes” or “%”")},
    )
    baseline = _number(_("Baseline"), help_text=_("The value before the pilot"))
    target = _number(_("Target"), _("Enter the target"))
    higher_is_better = forms.TypedChoiceField(
        label=_("Is a higher value better?"),
        choices=[
            ("yes", _("Yes, the target is a minimum")),
            ("no", _("No, the target is a maximum")),
        ],
        coerce=lambda value: value == "yes",
        widget=forms.RadioSelect,
        initial="yes",
        error_messages={"required": _("Say whether a higher value is better")},
    )
    version = forms.IntegerField(required=False, min_value=0, widget=forms.HiddenInput)


class AgreeForm(forms.Form):
    version = forms.IntegerField(min_value=0, widget=forms.HiddenInput)


class KpiResultForm(forms.Form):
    measured_value = _number(_("Measured value"), _("Enter the measured value"))
    evidence = _text(
        _("Evidence"),
        _("Describe the evidence"),
        help_text=_("How it was measured, over what period, and where the data is"),
    )


class PilotDecisionForm(forms.Form):
    go = forms.TypedChoiceField(
        label=_("What is the decision?"),
        choices=[
            ("go", _("Go: the pilot succeeded and can lead to the award")),
            ("no-go", _("No-go: the pilot did not succeed")),
        ],
        coerce=lambda value: value == "go",
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose go or no-go")},
    )
    reasons = _text(
        _("Reasons"), _("Give the reasons for the decision"), help_text=_("The company reads these")
    )
