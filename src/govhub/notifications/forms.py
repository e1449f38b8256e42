"""Forms of the notification and privacy pages."""

from __future__ import annotations

from typing import Any

from django import forms
from django.utils.translation import gettext_lazy as _

from .groups import GROUPS
from .models import ALL_GROUPS, DeliveryMode


class PreferencesForm(forms.Form):
    """One choice per group of notifications, plus "everything else"."""

    def __init__(self, *args: Any, current: dict[str, str], **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        for group, label in [*GROUPS.items(), (ALL_GROUPS, _("Everything else"))]:
            self.fields[self.field_name(group)] = forms.ChoiceField(
                label=label,
                choices=DeliveryMode.choices,
                widget=forms.RadioSelect,
                initial=current.get(group),
                error_messages={"required": _("Choose how you want to be told.")},
            )

    @staticmethod
    def groups() -> list[str]:
        return [*GROUPS, ALL_GROUPS]

    @staticmethod
    def field_name(group: str) -> str:
        return "group_all" if group == ALL_GROUPS else f"group_{group}"

    def modes(self) -> dict[str, str]:
        return {group: self.cleaned_data[self.field_name(group)] for group in self.groups()}


class UnsubscribeForm(forms.Form):
    SCOPE_GROUP = "group"
    SCOPE_ALL = "all"

    scope = forms.ChoiceField(
        label=_("Which emails do you want to stop?"),
        widget=forms.RadioSelect,
        error_messages={"required": _("Choose which emails to stop.")},
    )

    def __init__(self, *args: Any, group_label: Any = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        choices: list[tuple[str, Any]] = []
        if group_label is not None:
            choices.append(
                (self.SCOPE_GROUP, _("Only emails about: %(group)s") % {"group": group_label})
            )
        choices.append((self.SCOPE_ALL, _("All emails from GovHub")))
        scope = self.fields["scope"]
        assert isinstance(scope, forms.ChoiceField)
        scope.choices = choices
        scope.initial = choices[0][0]


class EraseOwnAccountForm(forms.Form):
    password = forms.CharField(
        label=_("Your password"),
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": _("Enter your password to confirm it is you.")},
    )
    confirm = forms.BooleanField(
        label=_("I understand that my account will be erased and that this cannot be undone"),
        error_messages={"required": _("Confirm that you want to erase your account.")},
    )


class ModeratorEraseForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the account"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the email address of the account to erase."),
            "invalid": _("Enter an email address in the correct format, like name@example.eu."),
        },
    )
    reason = forms.CharField(
        label=_("Reason"),
        help_text=_(
            "Say how the request came, with its date or reference. Do not include the "
            "person's name or address: the reason is kept in the audit log, which is never "
            "erased."
        ),
        max_length=500,
        widget=forms.Textarea(attrs={"rows": 3}),
        error_messages={
            "required": _(
                "Give the reason for erasing this account, such as the date of the request."
            )
        },
    )
    confirm = forms.BooleanField(
        label=_("I have checked that the request comes from the account holder"),
        error_messages={"required": _("Confirm that you checked the request.")},
    )


class ModeratorExportForm(forms.Form):
    email = forms.EmailField(
        label=_("Email address of the account"),
        widget=forms.EmailInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
        error_messages={
            "required": _("Enter the email address of the account whose data to download."),
            "invalid": _("Enter an email address in the correct format, like name@example.eu."),
        },
    )
