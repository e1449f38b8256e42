"""Translated messages of the personal-data services in ``govhub.accounts.privacy``.

They live here so that the accounts app's catalogue stays as it is: the privacy pages and
their messages belong to this app's catalogue.
"""

from __future__ import annotations

from django.utils.translation import gettext as _


def not_allowed_export() -> str:
    return _("You can only download your own personal data.")


def not_allowed_erase() -> str:
    return _("Only the person themselves or a moderator can erase an account.")


def reason_required() -> str:
    return _("Give the reason for erasing this account, such as the date of the request.")


def already_erased() -> str:
    return _("This account has already been erased.")


def cannot_erase_superuser() -> str:
    return _("Administrator accounts cannot be erased here.")
