"""``{% load opendata_tags %}{% follow_button challenge=challenge %}`` (or ``notice=notice``):
a Follow / Stop following button per organisation of the signed-in user."""

from __future__ import annotations

from typing import Any

from django import template

from govhub.opendata.models import Follow
from govhub.organisations.models import Membership

register = template.Library()


@register.inclusion_tag("opendata/includes/follow_button.html", takes_context=True)
def follow_button(context: Any, challenge: Any = None, notice: Any = None) -> dict[str, Any]:
    request = context.get("request")
    user = getattr(request, "user", None)
    choices: list[dict[str, Any]] = []
    if user is not None and user.is_authenticated and (challenge or notice):
        organisations = [
            m.organisation
            for m in Membership.objects.filter(user=user)
            .select_related("organisation")
            .order_by("organisation__name")
        ]
        target = {"challenge": challenge} if challenge else {"notice": notice}
        following = set(
            Follow.objects.filter(organisation__in=organisations, **target).values_list(
                "organisation_id", flat=True
            )
        )
        choices = [{"organisation": o, "following": o.pk in following} for o in organisations]
    return {
        "choices": choices,
        "challenge": challenge,
        "notice": notice,
        "next": request.get_full_path() if request is not None else "/",
        "csrf_token": context.get("csrf_token"),
    }
