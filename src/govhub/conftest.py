"""Fixtures shared by every app's tests. Each app's own fixtures live in its tests/fixtures.py."""

from __future__ import annotations

import os

import pytest

# Playwright's sync API runs an event loop in the test thread; Django's ORM refuses to run
# in a thread with a running loop unless told it is safe (it is: tests are single-threaded).
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

pytest_plugins = [
    "govhub.core.tests.fixtures",
    "govhub.reference.tests.fixtures",
    "govhub.organisations.tests.fixtures",
    "govhub.accounts.tests.fixtures",
    "govhub.needs.tests.fixtures",
    "govhub.challenges.tests.fixtures",
    "govhub.proposals.tests.fixtures",
    "govhub.evaluation.tests.fixtures",
    "govhub.opportunities.tests.fixtures",
    "govhub.notifications.tests.fixtures",
    "govhub.catalogue.tests.fixtures",
    "govhub.assessments.tests.fixtures",
    "govhub.participation.tests.fixtures",
    "govhub.ocds.tests.fixtures",
    "govhub.eforms.tests.fixtures",
    "govhub.opendata.tests.fixtures",
    "govhub.search.tests.fixtures",
    "govhub.matching.tests.fixtures",
    "govhub.web.tests.fixtures",
    "govhub.api.tests.fixtures",
]


@pytest.fixture(autouse=True)
def _english_by_default(settings):
    settings.LANGUAGE_CODE = "en"
