"""Participation forms: parse and check the input's shape; the services hold the rules."""

from __future__ import annotations

from typing import Any

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from govhub.core.forms import show_domain_error
from govhub.organisations.models import Organisation, OrganisationKind, VerificationStatus
from govhub.reference.forms import NutsRegionField
from govhub.reference.models import NutsRegion

from .models import ANSWER_STATES, Eligibility, IdeaState, ParticipatoryProcess, PhaseKind

__all__ = ["show_domain_error"]


class DateInput(forms.DateInput):
    input_type = "date"


def _date(label: Any) -> forms.DateField:
    return forms.DateField(
        label=label,
        required=False,
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={"invalid": _("Enter a real date, such as 2027-03-17")},
    )


class ProcessForm(forms.Form):
    authority = forms.ModelChoiceField(
        label=_("Authority"),
        queryset=Organisation.objects.none(),
        empty_label=None,
        required=False,
    )
    title = forms.CharField(
        label=_("Title"),
        max_length=200,
        error_messages={"required": _("Enter the title of the process")},
    )
    scope = forms.CharField(
        label=_("Scope"),
        help_text=_("What the process is about, and what is out of its scope"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={
            "required": _("Say what the process is about and what is out of its scope")
        },
    )
    goals = forms.CharField(
        label=_("Goals"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the process should achieve")},
    )
    methods = forms.CharField(
        label=_("Roles and methods"),
        help_text=_("Who does what, and how contributions are discussed and weighed"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    commitment = forms.CharField(
        label=_("What the authority commits to do with the results"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what the authority commits to do with the results")},
    )
    categories = forms.CharField(
        label=_("Categories"),
        help_text=_("One per line, such as Mobility"),
        widget=forms.Textarea(attrs={"rows": 3}),
        required=False,
    )
    eligibility = forms.ChoiceField(
        label=_("Who may take part"),
        choices=Eligibility.choices,
        initial=Eligibility.EVERYONE,
        widget=forms.RadioSelect,
    )
    nuts_regions = forms.CharField(
        label=_("Regions whose residents may take part"),
        help_text=_("NUTS codes separated by spaces, such as BE10 BE24"),
        required=False,
    )
    invited_organisations = forms.ModelMultipleChoiceField(
        label=_("Invited organisations"),
        queryset=Organisation.objects.filter(status=VerificationStatus.VERIFIED).order_by("name"),
        required=False,
        to_field_name="public_id",
    )
    intermediary = forms.ModelChoiceField(
        label=_("Intermediary running the process on the authority’s behalf"),
        queryset=Organisation.objects.filter(
            kind=OrganisationKind.INTERMEDIARY, status=VerificationStatus.VERIFIED
        ).order_by("name"),
        required=False,
        to_field_name="public_id",
    )

    PHASES = tuple(PhaseKind)

    def __init__(self, *args: Any, authorities: list[Organisation], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["authority"]
        assert isinstance(field, forms.ModelChoiceField)
        field.queryset = Organisation.objects.filter(pk__in=[a.pk for a in authorities])
        field.to_field_name = "public_id"
        if len(authorities) == 1:
            field.widget = forms.HiddenInput()
            self.initial.setdefault("authority", authorities[0].public_id)
        for kind in self.PHASES:
            self.fields[f"{kind.value}_starts_on"] = _date(
                _("%(phase)s phase starts on") % {"phase": kind.label}
            )
            self.fields[f"{kind.value}_ends_on"] = _date(
                _("%(phase)s phase ends on") % {"phase": kind.label}
            )

    def phase_fields(self) -> list[tuple[Any, Any, Any]]:
        return [
            (kind.label, self[f"{kind.value}_starts_on"], self[f"{kind.value}_ends_on"])
            for kind in self.PHASES
        ]

    def clean_nuts_regions(self) -> list[NutsRegion]:
        codes = [
            c.strip().upper() for c in self.cleaned_data["nuts_regions"].replace(",", " ").split()
        ]
        regions = list(NutsRegion.objects.filter(code__in=codes))
        unknown = sorted(set(codes) - {r.code for r in regions})
        if unknown:
            raise ValidationError(_("Not NUTS codes: %(codes)s") % {"codes": ", ".join(unknown)})
        return regions

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        for kind in self.PHASES:
            start = data.get(f"{kind.value}_starts_on")
            end = data.get(f"{kind.value}_ends_on")
            if bool(start) != bool(end) and f"{kind.value}_ends_on" not in self.errors:
                self.add_error(
                    f"{kind.value}_ends_on" if start else f"{kind.value}_starts_on",
                    _("Give both dates of the phase, or neither"),
                )
        return data

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        phases = [
            (kind.value, data[f"{kind.value}_starts_on"], data[f"{kind.value}_ends_on"])
            for kind in self.PHASES
            if data.get(f"{kind.value}_starts_on") and data.get(f"{kind.value}_ends_on")
        ]
        return {
            "title": data["title"],
            "scope": data["scope"],
            "goals": data["goals"],
            "methods": data["methods"],
            "commitment": data["commitment"],
            "categories": data["categories"].splitlines(),
            "eligibility": data["eligibility"],
            "nuts_regions": data["nuts_regions"],
            "invited_organisations": list(data["invited_organisations"]),
            "intermediary": data["intermediary"],
            "phases": phases,
        }


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleFileField(forms.FileField):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": ".pdf,.png,.jpg,.jpeg"}))
        super().__init__(*args, **kwargs)

    def clean(self, data: Any, initial: Any = None) -> Any:
        single = super().clean
        if isinstance(data, list | tuple):
            return [single(item, initial) for item in data if item]
        return [single(data, initial)] if data else []


class IdeaForm(forms.Form):
    title = forms.CharField(
        label=_("Title of your idea"),
        max_length=200,
        error_messages={
            "max_length": _("Use 200 characters or fewer"),
            "required": _("Enter a title for your idea"),
        },
    )
    body = forms.CharField(
        label=_("Your idea"),
        help_text=_("What should be done, where, and why. Plain text: HTML is removed."),
        widget=forms.Textarea(attrs={"rows": 8}),
        error_messages={"required": _("Describe your idea")},
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    nuts_region = NutsRegionField(label=_("Where (NUTS region)"))
    attachments = MultipleFileField(
        label=_("Attachments"),
        required=False,
        help_text=_("Up to 3 PDF, PNG or JPEG files of at most 5 MB each"),
    )

    def __init__(self, *args: Any, process: ParticipatoryProcess, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        categories = process.category_list
        field = self.fields["category"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("No category")), *((c, c) for c in categories)]
        if not categories:
            del self.fields["category"]

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "title": data["title"],
            "body": data["body"],
            "category": data.get("category", ""),
            "nuts_region": data["nuts_region"],
            "attachments": data["attachments"],
        }


class CommentForm(forms.Form):
    body = forms.CharField(
        label=_("Your comment"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Enter your comment")},
    )
    parent = forms.UUIDField(required=False, widget=forms.HiddenInput)


class ReportForm(forms.Form):
    reason = forms.CharField(
        label=_("What is wrong with it?"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say what is wrong with it")},
    )


class HideForm(forms.Form):
    reason = forms.CharField(
        label=_("Reason, published in place of the content"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Give the reason: it is published in place of the content")},
    )


class CloseForm(forms.Form):
    reason = forms.CharField(
        label=_("Why some ideas have no answer (published)"),
        widget=forms.Textarea(attrs={"rows": 4}),
        required=False,
    )


class AnswerForm(forms.Form):
    state = forms.ChoiceField(
        label=_("State"),
        choices=[(s.value, s.label) for s in IdeaState if s in ANSWER_STATES],
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the answer’s state")},
    )
    text = forms.CharField(
        label=_("Answer"),
        help_text=_("Say what happens with the idea and why. It is published."),
        widget=forms.Textarea(attrs={"rows": 6}),
        error_messages={"required": _("Write the answer: say what happens and why")},
    )


class MergeForm(forms.Form):
    target = forms.ChoiceField(
        label=_("Merge into"), error_messages={"required": _("Choose the idea to merge into")}
    )
    reason = forms.CharField(
        label=_("Why these ideas are the same"),
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={"required": _("Say why these ideas are the same")},
    )

    def __init__(self, *args: Any, targets: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["target"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [("", _("Choose an idea"))] + [(str(t.public_id), t.title) for t in targets]


class ResultForm(forms.Form):
    summary = forms.CharField(
        label=_("What is being done"),
        widget=forms.Textarea(attrs={"rows": 4}),
        error_messages={"required": _("Say what is being done")},
    )
    progress = forms.IntegerField(
        label=_("Progress (percent)"),
        min_value=0,
        max_value=100,
        initial=0,
        error_messages={
            "invalid": _("Enter a progress between 0 and 100"),
            "min_value": _("Enter a progress between 0 and 100"),
            "max_value": _("Enter a progress between 0 and 100"),
            "required": _("Enter a progress between 0 and 100"),
        },
    )
    need = forms.ChoiceField(label=_("Innovation need it led to"), required=False)
    challenge = forms.ChoiceField(label=_("Challenge it led to"), required=False)

    def __init__(self, *args: Any, needs: list[Any], challenges: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.needs = {str(n.public_id): n for n in needs}
        self.challenges = {str(c.public_id): c for c in challenges}
        need_field = self.fields["need"]
        challenge_field = self.fields["challenge"]
        assert isinstance(need_field, forms.ChoiceField)
        assert isinstance(challenge_field, forms.ChoiceField)
        need_field.choices = [("", _("None"))] + [(k, n.title) for k, n in self.needs.items()]
        challenge_field.choices = [("", _("None"))] + [
            (k, c.title) for k, c in self.challenges.items()
        ]

    def content(self) -> dict[str, Any]:
        data = self.cleaned_data
        return {
            "summary": data["summary"],
            "progress": data["progress"],
            "need": self.needs.get(data["need"] or ""),
            "challenge": self.challenges.get(data["challenge"] or ""),
        }


class MilestoneForm(forms.Form):
    title = forms.CharField(
        label=_("Milestone"),
        max_length=200,
        error_messages={"required": _("Name the milestone")},
    )
    due_on = forms.DateField(
        label=_("Date"),
        widget=DateInput(format="%Y-%m-%d"),
        error_messages={
            "invalid": _("Enter a real date, such as 2027-03-17"),
            "required": _("Enter the milestone’s date"),
        },
    )
    done = forms.BooleanField(label=_("Already done"), required=False)
    evidence = forms.CharField(
        label=_("Evidence"), widget=forms.Textarea(attrs={"rows": 2}), required=False
    )
    evidence_url = forms.CharField(label=_("Link to the evidence"), required=False)


class MilestoneDoneForm(forms.Form):
    evidence = forms.CharField(
        label=_("Evidence that it is done"),
        widget=forms.Textarea(attrs={"rows": 2}),
        required=False,
    )
    evidence_url = forms.CharField(label=_("Link to the evidence"), required=False)


class ProfileForm(forms.Form):
    pseudonym = forms.CharField(
        label=_("Pseudonym"),
        help_text=_("Shown with your ideas and comments instead of your name"),
        max_length=60,
        error_messages={"required": _("Enter the name others will see")},
    )
    nuts_region = NutsRegionField(
        label=_("Where you live (NUTS region)"),
    )
