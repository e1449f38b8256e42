"""``{% ocds_open_data_links challenge phases %}``: OCDS and eForms links of a public challenge."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django import template

from govhub.challenges.models import Challenge, Phase
from govhub.challenges.selectors import PUBLIC_STATUSES
from govhub.evaluation.models import Outcome

register = template.Library()


@register.inclusion_tag("ocds/includes/open_data_links.html")
def ocds_open_data_links(challenge: Challenge, phases: Iterable[Phase] = ()) -> dict[str, Any]:
    public = challenge.published_at is not None and challenge.status in PUBLIC_STATUSES
    return {
        "challenge": challenge,
        "public": public,
        "phases": list(phases),
        "has_outcome": public and Outcome.objects.filter(challenge=challenge).exists(),
    }
