"""Writes on accounts that GovHub owns (allauth owns sign-up, passwords and two-factor)."""

from __future__ import annotations

import functools
import zoneinfo
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils.translation import gettext as _

from govhub.core.audit import audit_record
from govhub.core.errors import InvalidInput, NotAllowed

from .models import User


@functools.cache
def _time_zones() -> frozenset[str]:
    # The list reads the tz database from disk once; names outside it (paths, directories
    # such as "Europe") are refused without touching the file system again.
    return frozenset(zoneinfo.available_timezones())


def is_valid_time_zone(name: str) -> bool:
    return name in _time_zones()


def user_update_profile(
    *,
    actor: Any,
    user: User,
    display_name: str,
    preferred_language: str,
    time_zone: str,
) -> User:
    """Set the user's own display name, preferred language and time zone."""
    with transaction.atomic():
        if not getattr(actor, "is_authenticated", False) or actor.pk != user.pk:
            raise NotAllowed(_("You can only change your own profile."))
        display_name = display_name.strip()
        time_zone = time_zone.strip()
        errors: dict[str, list[str]] = {}
        max_name = User._meta.get_field("display_name").max_length or 150
        if len(display_name) > max_name:
            errors["display_name"] = [
                _("Enter a display name of %(max)d characters or fewer.") % {"max": max_name}
            ]
        if preferred_language and preferred_language not in dict(settings.LANGUAGES):
            errors["preferred_language"] = [_("Choose one of the languages GovHub offers.")]
        if not is_valid_time_zone(time_zone):
            errors["time_zone"] = [
                _("Enter a time zone name such as Europe/Vilnius or Europe/Paris.")
            ]
        if errors:
            raise InvalidInput(_("Check your profile details."), field_errors=errors)

        locked = User.objects.select_for_update().get(pk=user.pk)
        # The display name is personal data; the append-only audit log only says it changed.
        before = {
            "preferred_language": locked.preferred_language,
            "time_zone": locked.time_zone,
        }
        display_name_changed = locked.display_name != display_name
        locked.display_name = display_name
        locked.preferred_language = preferred_language
        locked.time_zone = time_zone
        locked.save(update_fields=["display_name", "preferred_language", "time_zone"])
        audit_record(
            actor=actor,
            action="user.update_profile",
            obj=locked,
            object_label=str(locked.public_id),
            before=before,
            after={
                "preferred_language": preferred_language,
                "time_zone": time_zone,
                "display_name_changed": display_name_changed,
            },
        )
    user.display_name = locked.display_name
    user.preferred_language = locked.preferred_language
    user.time_zone = locked.time_zone
    return user
