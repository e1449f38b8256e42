"""The Atom feed of open opportunities and the iCalendar feed of followed deadlines."""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.urls import reverse
from django.utils import timezone
from django.utils.feedgenerator import Atom1Feed
from django.utils.translation import gettext as _
from icalendar import Calendar, Event

from govhub.challenges.models import Challenge
from govhub.opportunities.models import ExternalNotice

from .dcat import site_url
from .selectors import Deadline


def opportunities_atom(
    *, challenges: list[Challenge], notices: list[ExternalNotice], self_url: str
) -> bytes:
    feed = Atom1Feed(
        title=_("GovHub: open opportunities"),
        link=site_url() + reverse("challenges:list"),
        description=_("Challenges taking proposals on GovHub and open tenders from TED."),
        feed_url=self_url,
        language="en",
        author_name="GovHub",
    )
    now = timezone.now()
    deadline_label = _("Deadline")
    for challenge in challenges:
        link = site_url() + reverse("challenges:detail", args=[challenge.public_id])
        deadline = getattr(challenge, "next_deadline", None)
        description = challenge.summary
        if deadline:
            description = f"{description}\n\n{deadline_label}: {deadline.isoformat()}"
        feed.add_item(
            title=challenge.title,
            link=link,
            description=description,
            unique_id=f"urn:uuid:{challenge.public_id}",
            pubdate=challenge.published_at or now,
            updateddate=challenge.published_at or now,
            categories=[c.code for c in challenge.cpv_codes.all()],
            author_name=challenge.lead_authority.name,
        )
    for notice in notices:
        link = notice.url or site_url() + reverse("opportunities:detail", args=[notice.public_id])
        published = (
            dt.datetime.combine(notice.publication_date, dt.time(), tzinfo=dt.UTC)
            if notice.publication_date
            else now
        )
        description = notice.short_description
        if notice.tender_deadline:
            description = f"{description}\n\n{deadline_label}: {notice.tender_deadline.isoformat()}"
        codes = [notice.cpv_main.code] if notice.cpv_main else []
        feed.add_item(
            title=f"{notice.oj_number} {notice.title}".strip(),
            link=link,
            description=description,
            unique_id=f"urn:uuid:{notice.public_id}",
            pubdate=published,
            updateddate=published,
            categories=codes + list(notice.nuts_codes or []),
            author_name=notice.buyer.name if notice.buyer else "TED",
        )
    return feed.writeString("utf-8").encode()


def deadlines_ics(deadlines: list[Deadline], *, name: str) -> bytes:
    calendar: Any = Calendar()
    calendar.add("prodid", "-//GovHub//Deadlines//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    stamp = timezone.now()
    for deadline in deadlines:
        event: Any = Event()
        event.add("uid", deadline.uid)
        event.add("dtstamp", stamp)
        event.add("dtstart", deadline.at)
        event.add("dtend", deadline.at)
        event.add("summary", _("Deadline: %(title)s") % {"title": deadline.title})
        event.add("description", deadline.description)
        event.add("url", site_url() + reverse(deadline.path[0], args=[deadline.path[1]]))
        calendar.add_component(event)
    data: bytes = calendar.to_ical()
    return data
