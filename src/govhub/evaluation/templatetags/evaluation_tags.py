"""Template tags other apps' pages use to show the evaluation's public parts."""

from __future__ import annotations

from typing import Any

from django import template

from govhub.challenges.models import Challenge

from .. import selectors

register = template.Library()


@register.inclusion_tag("evaluation/includes/public_outcome.html", takes_context=True)
def evaluation_public_outcome(context: template.Context, challenge: Challenge) -> dict[str, Any]:
    """``{% evaluation_public_outcome challenge %}``: the published outcome and its reasons.

    Public: the decision, who was awarded, the value, the reasons and the standstill end.
    Nothing about the companies that were not awarded.
    """
    return {
        "outcome": selectors.outcome_of(challenge),
        "request": context.get("request"),
        "user": context.get("user"),
    }
