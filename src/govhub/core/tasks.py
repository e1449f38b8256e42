"""Background work through Django's tasks API (django-tasks).

Development runs tasks immediately; production uses the database backend and
`govhub db_worker`, so a slow mail server never holds up a request.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django_tasks import task

log = logging.getLogger(__name__)


@task()
def send_email(*, recipients: list[str], subject: str, body: str) -> int:
    """Send one plain-text email; returns how many were accepted by the mail backend."""
    if not recipients:
        return 0
    try:
        return send_mail(subject, body, settings.DEFAULT_FROM_EMAIL, recipients)
    except OSError:
        # Logged, not raised: the decision it reports is already published on the site.
        log.exception("could not send %r to %d recipients", subject, len(recipients))
        return 0
