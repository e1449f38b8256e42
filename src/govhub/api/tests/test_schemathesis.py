"""Property-based test of the public API against its own OpenAPI document (schemathesis).

Every GET operation is called in-process (WSGI) with generated parameters, on a database
holding a little of everything; no response may be a server error, and every response
must conform to the document (status documented, body matching its schema).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import schemathesis
from django.core import signals
from django.db import close_old_connections
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings
from schemathesis.config import SchemathesisConfig

from govhub.api.api import api
from govhub.wsgi import application

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def some_of_everything(
    settings: Any, published_need: Any, published_challenge: Any, reference_data: Any
) -> Iterator[None]:
    # Generated calls come from one address: lift the anonymous rate limit for them.
    settings.GOVHUB_API_RATE_ANON = "100000/m"
    # Called as a WSGI app, Django would close the test's connection after each request
    # (and with it the test transaction, on PostgreSQL); Django's test client does this too.
    signals.request_started.disconnect(close_old_connections)
    signals.request_finished.disconnect(close_old_connections)
    yield
    signals.request_started.connect(close_old_connections)
    signals.request_finished.connect(close_old_connections)


# The document as the API serves it (built without the database, at collection time).
# Positive mode: requests the document allows must get a documented answer (negative mode
# would also try path values Django's URL patterns never route to the API).
# No NUL characters: the API refuses them with a 422 before any view runs (PostgreSQL cannot
# hold them; test_records tests that refusal), which the document does not spell out.
CONFIG = SchemathesisConfig.from_dict(
    {"generation": {"mode": "positive", "max-examples": 20, "allow-x00": False}}
)
schema = schemathesis.openapi.from_dict(api.get_openapi_schema(), config=CONFIG).include(
    method="GET"
)


@schema.parametrize()
@hypothesis_settings(
    max_examples=20,
    deadline=None,
    suppress_health_check=[
        HealthCheck.function_scoped_fixture,
        HealthCheck.too_slow,
        HealthCheck.filter_too_much,
    ],
)
def test_no_get_operation_fails_or_breaks_its_schema(case: Any) -> None:
    response = case.call(app=application)
    assert response.status_code < 500, (case.path, case.query, response.text[:500])
    case.validate_response(response)
