"""``{% load participation %}``: pseudonyms, state tags, and the ideas behind a need or
challenge (``{% ideas_behind need %}`` on need and challenge pages)."""

from __future__ import annotations

from typing import Any

from django import template

from .. import selectors

register = template.Library()


@register.filter
def pseudonym(user: Any) -> str:
    """How a participant appears: their pseudonym, "Participant" or "Deleted participant"."""
    return selectors.author_label(user)


@register.inclusion_tag("participation/includes/ideas_behind.html")
def ideas_behind(obj: Any) -> dict[str, Any]:
    """The citizens' ideas that led to this innovation need or challenge (none: nothing)."""
    return {"ideas": selectors.ideas_behind(obj)}


@register.inclusion_tag("participation/includes/state_tag.html")
def idea_state(idea: Any) -> dict[str, Any]:
    colours = {
        "new": "govuk-tag--grey",
        "under_evaluation": "govuk-tag--yellow",
        "accepted": "govuk-tag--green",
        "rejected": "govuk-tag--red",
        "already_planned": "govuk-tag--blue",
        "merged": "govuk-tag--purple",
    }
    return {"label": idea.get_state_display(), "colour": colours.get(idea.state, "")}
