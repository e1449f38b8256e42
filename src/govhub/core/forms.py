from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .errors import DomainError, InvalidInput
from .selectors import AuditFilters


def show_domain_error(
    form: forms.BaseForm, error: DomainError, *, aliases: Mapping[str, str] | None = None
) -> None:
    """Put a service's refusal on the form: on its fields when it names them, else on top.

    ``aliases`` maps a service's argument name to the form field that carries it, for forms
    whose fields are not named like the service's arguments.
    """
    placed = False
    if isinstance(error, InvalidInput):
        for name, messages in error.field_errors.items():
            field = (aliases or {}).get(name, name)
            if field in form.fields:
                for message in messages or [error.message]:
                    form.add_error(field, message)
                placed = True
    if not placed:
        form.add_error(None, error.message)


class AuditFilterForm(forms.Form):
    action = forms.CharField(
        label=_("Action"),
        required=False,
        max_length=100,
        help_text=_(
            "For example organisation.verify, or organisation. for every organisation action"
        ),
    )
    object_id = forms.CharField(label=_("Object identifier"), required=False, max_length=64)
    actor_email = forms.EmailField(label=_("Actor's email address"), required=False)
    organisation = forms.TypedChoiceField(label=_("Organisation"), required=False, choices=())
    since = forms.DateField(
        label=_("From (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )
    until = forms.DateField(
        label=_("To (date)"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}),
    )

    def __init__(self, *args: Any, organisations: list[tuple[str, str]], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        field = self.fields["organisation"]
        assert isinstance(field, forms.TypedChoiceField)
        field.choices = [("", _("All you may see")), *organisations]

    def clean(self) -> dict[str, Any]:
        data = super().clean() or {}
        since, until = data.get("since"), data.get("until")
        if since and until and since > until:
            self.add_error("until", _("The end date must be on or after the start date."))
        return data

    @staticmethod
    def empty_filters() -> AuditFilters:
        return AuditFilters()

    def to_filters(self) -> AuditFilters:
        data = self.cleaned_data
        org = data.get("organisation") or None
        return AuditFilters(
            action=(data.get("action") or "").strip(),
            object_id=(data.get("object_id") or "").strip(),
            actor_email=data.get("actor_email") or "",
            organisation_id=uuid.UUID(org) if org else None,
            since=data.get("since"),
            until=data.get("until"),
        )
