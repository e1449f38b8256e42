"""Forms: allauth's forms adapted to GOV.UK Frontend, and the profile form.

allauth picks the classes below through ``ACCOUNT_FORMS`` and ``MFA_FORMS`` in settings. They
change presentation only: labels instead of placeholders (GOV.UK avoids placeholders because
they vanish on input and often fail contrast), numeric keyboards for codes, no spellcheck on
addresses and codes. Validation stays allauth's.
"""

from __future__ import annotations

from typing import Any

from allauth.account import forms as account_forms
from allauth.mfa.base import forms as mfa_base_forms
from allauth.mfa.totp import forms as totp_forms
from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import User

_LABELS: dict[str, Any] = {
    "login": _("Email address"),
    "email": _("Email address"),
    "password": _("Password"),
    "oldpassword": _("Current password"),
    "password1": _("New password"),
    "password2": _("Confirm new password"),
    "remember": _("Keep me signed in on this device"),
}

_CODE_HINT = _("The 6-digit code shown in your authenticator app, or one of your recovery codes.")


class GovukFormMixin:
    """Applied after allauth's ``__init__`` has built (and pruned) the fields."""

    fields: dict[str, forms.Field]
    # Field names whose labels this form keeps as allauth set them.
    keep_labels: frozenset[str] = frozenset()

    def govukify(self) -> None:
        for name, field in self.fields.items():
            attrs = field.widget.attrs
            attrs.pop("placeholder", None)
            if name in _LABELS and name not in self.keep_labels:
                field.label = _LABELS[name]
            if name in {"login", "email"}:
                attrs["spellcheck"] = "false"
                attrs.setdefault("autocomplete", "email")
            if name == "code":
                # Authenticator codes are digits; recovery codes too (allauth's default).
                attrs.update(
                    {"inputmode": "numeric", "spellcheck": "false", "autocomplete": "one-time-code"}
                )


class LoginForm(GovukFormMixin, account_forms.LoginForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()
        if "password" in self.fields:
            # The page shows its own "Forgotten your password?" link below the form.
            self.fields["password"].help_text = ""


class SignupForm(GovukFormMixin, account_forms.SignupForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()
        if "password1" in self.fields:
            self.fields["password1"].label = _("Password")
        if "password2" in self.fields:
            self.fields["password2"].label = _("Confirm password")


class AddEmailForm(GovukFormMixin, account_forms.AddEmailForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()
        self.fields["email"].label = _("New email address")


class ChangePasswordForm(GovukFormMixin, account_forms.ChangePasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()
        self.fields["oldpassword"].help_text = ""


class SetPasswordForm(GovukFormMixin, account_forms.SetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()
        self.fields["password1"].label = _("Password")
        self.fields["password2"].label = _("Confirm password")


class ResetPasswordForm(GovukFormMixin, account_forms.ResetPasswordForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()


class ResetPasswordKeyForm(GovukFormMixin, account_forms.ResetPasswordKeyForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()


class ReauthenticateForm(GovukFormMixin, account_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()
        self.fields["password"].help_text = ""


class MfaAuthenticateForm(GovukFormMixin, mfa_base_forms.AuthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()
        self.fields["code"].label = _("Security code")
        self.fields["code"].help_text = _CODE_HINT


class MfaReauthenticateForm(GovukFormMixin, mfa_base_forms.ReauthenticateForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()
        self.fields["code"].label = _("Security code")
        self.fields["code"].help_text = _CODE_HINT


class ActivateTOTPForm(GovukFormMixin, totp_forms.ActivateTOTPForm):
    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.govukify()
        self.fields["code"].label = _("Security code")
        self.fields["code"].help_text = _("The 6-digit code your authenticator app now shows.")


def language_choices() -> list[tuple[str, Any]]:
    return [("", _("No preference: use the language of each page")), *settings.LANGUAGES]


class ProfileForm(forms.Form):
    """The user's own presentation settings. Business rules are checked by the service."""

    display_name = forms.CharField(
        label=_("Display name"),
        max_length=User._meta.get_field("display_name").max_length,
        required=False,
        help_text=_("Shown to other users instead of your email address."),
        widget=forms.TextInput(attrs={"autocomplete": "name", "spellcheck": "false"}),
    )
    preferred_language = forms.ChoiceField(
        label=_("Preferred language"),
        required=False,
        choices=language_choices,
        help_text=_("GovHub switches to this language when you sign in."),
    )
    time_zone = forms.CharField(
        label=_("Time zone"),
        max_length=User._meta.get_field("time_zone").max_length,
        help_text=_("An IANA time zone name, for example Europe/Vilnius or Europe/Paris."),
        widget=forms.TextInput(attrs={"autocomplete": "off", "spellcheck": "false"}),
    )
