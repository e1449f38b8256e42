"""The groups of notifications people choose emails for (a kind's prefix before the dot).

Kinds whose group is not listed here follow the "everything else" preference.
"""

from __future__ import annotations

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _

GROUPS: dict[str, str | Promise] = {
    "participation": _("Discussions, comments and consultations"),
    "challenges": _("Innovation challenges and their proposals"),
    "needs": _("Innovation needs"),
    "catalogue": _("The solutions catalogue"),
    "organisations": _("Your organisations and their members"),
}


def group_label(group: str) -> str | Promise:
    return GROUPS.get(group, _("Everything else"))
