"""Platform-level promises: health endpoint, production settings, structured logs, CSP."""

from __future__ import annotations

import json
import logging
import os
import secrets
import subprocess
import sys

import pytest
from django.db import OperationalError, connection
from django.test import Client

from govhub.core.context import reset_request_id, set_request_id


@pytest.mark.django_db
def test_health_answers_ok_when_the_database_does(client: Client):
    response = client.get("/health/")
    assert response.status_code == 200
    assert response.json() == {"status": "ok", "checks": {"database": "ok"}}
    assert response["Cache-Control"].startswith("max-age=0")


@pytest.mark.django_db
def test_health_answers_503_when_the_database_does_not(client: Client, monkeypatch):
    def broken_cursor(*args, **kwargs):
        raise OperationalError("database is gone")

    monkeypatch.setattr(connection, "cursor", broken_cursor)
    response = client.get("/health/")
    assert response.status_code == 503
    assert response.json()["checks"]["database"] == "unavailable"


@pytest.mark.django_db
def test_pages_carry_a_content_security_policy_and_request_id(client: Client):
    response = client.get("/")
    csp = response["Content-Security-Policy"]
    assert "default-src 'self'" in csp
    assert "script-src 'self' 'nonce-" in csp
    assert "frame-ancestors 'none'" in csp
    assert len(response["X-Request-ID"]) == 32


@pytest.mark.django_db
def test_a_sane_incoming_request_id_is_kept(client: Client):
    response = client.get("/health/", headers={"X-Request-ID": "proxy-abc-123456"})
    assert response["X-Request-ID"] == "proxy-abc-123456"
    response = client.get("/health/", headers={"X-Request-ID": "<script>"})
    assert response["X-Request-ID"] != "<script>"


def _production_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("DJANGO_")}
    env.update(
        DJANGO_SETTINGS_MODULE="govhub.settings.production",
        SECRET_KEY=secrets.token_urlsafe(64),
        ALLOWED_HOSTS="govhub.example.eu",
        DATABASE_URL="sqlite:///:memory:",
    )
    env.update(extra)
    return env


def test_check_deploy_is_clean_under_production_settings():
    result = subprocess.run(
        [sys.executable, "-m", "django", "check", "--deploy", "--fail-level", "WARNING"],
        env=_production_env(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


def test_production_settings_refuse_a_missing_secret_key():
    result = subprocess.run(
        [sys.executable, "-m", "django", "check"],
        env=_production_env(SECRET_KEY=""),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode != 0
    assert "SECRET_KEY must be set" in result.stderr


def test_logs_are_json_with_the_request_id(capsys):
    from django.conf import settings

    config = settings.LOGGING["formatters"]["json"]
    from pythonjsonlogger.json import JsonFormatter

    from govhub.core.logging import RequestIdFilter

    handler = logging.StreamHandler(sys.stdout)
    handler.setFormatter(JsonFormatter(config["fmt"], rename_fields=config["rename_fields"]))
    handler.addFilter(RequestIdFilter())
    logger = logging.getLogger("govhub.test.json")
    logger.addHandler(handler)
    logger.propagate = False
    token = set_request_id("req-1234567890")
    try:
        logger.warning("organisation verified", extra={"organisation": "abc"})
    finally:
        reset_request_id(token)
        logger.removeHandler(handler)
    line = json.loads(capsys.readouterr().out.strip())
    assert line["message"] == "organisation verified"
    assert line["level"] == "WARNING"
    assert line["request_id"] == "req-1234567890"
    assert line["organisation"] == "abc"


@pytest.mark.django_db
def test_times_are_shown_in_the_users_time_zone(rf, make_user):
    from django.utils import timezone

    from govhub.core.middleware import UserTimezoneMiddleware

    seen = {}

    def view(request):
        seen["zone"] = timezone.get_current_timezone_name()
        from django.http import HttpResponse

        return HttpResponse()

    request = rf.get("/")
    request.user = make_user(time_zone="Europe/Vilnius")
    UserTimezoneMiddleware(view)(request)
    assert seen["zone"] == "Europe/Vilnius"
    request.user = make_user(time_zone="Not/AZone")
    UserTimezoneMiddleware(view)(request)
    assert seen["zone"] == "Europe/Brussels"


@pytest.mark.django_db
def test_every_model_change_has_its_migration():
    from django.core.management import call_command

    # --check exits non-zero when a model differs from its migrations.
    call_command("makemigrations", "--check", "--dry-run", verbosity=0)
