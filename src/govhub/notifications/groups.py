"""The groups of notifications people choose emails for (a kind's prefix before the dot).

Kinds whose group is not listed here follow the "everything else" preference.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, TypeAlias

from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from django.utils.functional import _StrPromise

    Text: TypeAlias = str | _StrPromise

GROUPS: dict[str, Text] = {
    "participation": _("Discussions, comments and consultations"),
    "challenges": _("Innovation challenges and their proposals"),
    "needs": _("Innovation needs"),
    "catalogue": _("The solutions catalogue"),
    "organisations": _("Your organisations and their members"),
}


def group_label(group: str) -> Text:
    return GROUPS.get(group, _("Everything else"))
