"""Forms for proposals. They parse and label; the services decide (completeness included)."""

from __future__ import annotations

import secrets
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from govhub.challenges.models import AwardCriterion, Phase
from govhub.core.errors import DomainError
from govhub.core.forms import show_domain_error

from .selectors import ProposalContent
from .services import KEEP, answer_field
from .services.files import ALLOWED_TYPES_LABEL


def new_form_token() -> str:
    """A one-time token per rendered form: sending the same form twice makes one receipt."""
    return secrets.token_urlsafe(32)


class ProposalForm(forms.Form):
    """Title, one answer per criterion, the price when asked, and one more file."""

    title = forms.CharField(
        label=_("Title of your proposal"),
        max_length=300,
        required=False,
        help_text=_("A short name for your solution."),
    )
    attachment = forms.FileField(
        label=_("Add a file"),
        required=False,
        allow_empty_file=True,  # the service refuses empty files with a clearer message
        help_text=_("%(types)s. Up to 20 MB each and 100 MB in total.")
        % {"types": ALLOWED_TYPES_LABEL},
    )
    version = forms.IntegerField(required=False, widget=forms.HiddenInput)
    form_token = forms.CharField(required=False, max_length=64, widget=forms.HiddenInput)

    def __init__(
        self,
        *args: Any,
        phase: Phase,
        criteria: list[AwardCriterion],
        content: ProposalContent | None = None,
        **kwargs: Any,
    ) -> None:
        super().__init__(*args, **kwargs)
        self.phase = phase
        self.criteria = criteria
        texts = {a.criterion_id: a.text for a in content.answer_list} if content else {}
        if content is not None:
            self.fields["title"].initial = content.title
        for criterion in criteria:
            key = str(criterion.public_id)
            self.fields[answer_field(criterion)] = forms.CharField(
                label=_("%(name)s (weight %(weight)s%%)")
                % {"name": criterion.name, "weight": criterion.weight},
                help_text=criterion.description,
                required=False,
                max_length=20_000,
                widget=forms.Textarea(attrs={"rows": 8}),
                initial=texts.get(key, ""),
            )
        if phase.asks_price:
            self.fields["price"] = forms.DecimalField(
                label=_("Price you propose (%(currency)s)")
                % {"currency": phase.challenge.currency},
                help_text=_("The total price for this phase, for example 125000 or 125000.50."),
                required=False,
                min_value=0,
                max_digits=14,
                decimal_places=2,
                initial=content.price if content else None,
                widget=forms.TextInput(attrs={"inputmode": "decimal", "spellcheck": "false"}),
            )
        # Keep fields in reading order: title, answers, price, file.
        order = ["title", *(answer_field(c) for c in criteria), "price", "attachment"]
        self.order_fields(order)

    def answer_fields(self) -> list[forms.BoundField]:
        return [self[answer_field(c)] for c in self.criteria]

    def service_kwargs(self, *, remove: list[str] | None = None) -> dict[str, Any]:
        data = self.cleaned_data
        upload = data.get("attachment")
        return {
            "version": data.get("version"),
            "title": data.get("title", ""),
            "answers": {str(c.public_id): data.get(answer_field(c), "") for c in self.criteria},
            "declared_price": data.get("price") if self.phase.asks_price else KEEP,
            "add_files": [upload] if upload else [],
            "remove_attachments": remove or [],
        }

    def show_domain_error(self, error: DomainError) -> None:
        # The service says ``declared_price`` for the form's ``price``.
        show_domain_error(self, error, aliases={"declared_price": "price"})


class CompanyChoiceForm(forms.Form):
    company = forms.ChoiceField(
        label=_("Which company is this proposal from?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose the company")},
    )

    def __init__(self, *args: Any, companies: list[Any], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["company"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [(str(c.public_id), c.name) for c in companies]


class ConfirmForm(forms.Form):
    """A POST with nothing to fill in but the CSRF token: withdraw, open."""
