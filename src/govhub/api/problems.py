"""Every API error as RFC 9457 problem details (``application/problem+json``).

Domain errors keep their ``status`` and ``code``; Ninja's validation errors become 422 with
``errors`` per field; nothing unexpected leaks a traceback (it is logged, with the request id).
"""

from __future__ import annotations

import logging
import math
from http import HTTPStatus
from typing import Any

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.utils.translation import gettext as _
from ninja import NinjaAPI
from ninja.errors import AuthenticationError, HttpError, Throttled, ValidationError

from govhub.core.errors import DomainError, InvalidInput

logger = logging.getLogger(__name__)

PROBLEM_TYPE = "urn:govhub:problem:"
CONTENT_TYPE = "application/problem+json"


def problem(
    request: HttpRequest,
    *,
    status: int,
    code: str,
    detail: str,
    errors: dict[str, list[str]] | None = None,
    headers: dict[str, str] | None = None,
) -> HttpResponse:
    body: dict[str, Any] = {
        "type": PROBLEM_TYPE + code,
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "instance": request.get_full_path(),
        "code": code,
    }
    if errors is not None:
        body["errors"] = errors
    response = JsonResponse(body, status=status, content_type=CONTENT_TYPE)
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_name(loc: Any) -> str:
    # Ninja prefixes the source ("query", "body", "path"); the body's parameter name follows.
    parts = [str(p) for p in (loc or ())]
    if parts and parts[0] == "body" and len(parts) > 2:
        parts = parts[2:]
    elif parts and parts[0] in {"query", "path", "header", "body", "form"} and len(parts) > 1:
        parts = parts[1:]
    return ".".join(parts) or "__all__"


def on_domain_error(request: HttpRequest, exc: DomainError) -> HttpResponse:
    errors = exc.field_errors if isinstance(exc, InvalidInput) else None
    return problem(request, status=exc.status, code=exc.code, detail=str(exc), errors=errors)


def on_validation_error(request: HttpRequest, exc: ValidationError) -> HttpResponse:
    errors: dict[str, list[str]] = {}
    for item in exc.errors:
        errors.setdefault(_field_name(item.get("loc")), []).append(str(item.get("msg", "")))
    return problem(
        request,
        status=422,
        code="validation_error",
        detail=_("The request is not valid: see the errors per field."),
        errors=errors,
    )


def on_not_found(request: HttpRequest, exc: Exception) -> HttpResponse:
    return problem(request, status=404, code="not_found", detail=_("Nothing found here."))


def on_http_error(request: HttpRequest, exc: HttpError) -> HttpResponse:
    if isinstance(exc, Throttled):
        wait = max(1, math.ceil(exc.wait or 1))
        return problem(
            request,
            status=429,
            code="rate_limited",
            detail=_("Too many requests. Try again in %(seconds)s seconds.") % {"seconds": wait},
            headers={"Retry-After": str(wait)},
        )
    if isinstance(exc, AuthenticationError):
        return problem(
            request,
            status=401,
            code="not_authenticated",
            detail=_("Send a valid, unrevoked API token: Authorization: Bearer <token>."),
            headers={"WWW-Authenticate": 'Bearer realm="govhub"'},
        )
    status = exc.status_code
    code = {403: "not_allowed", 404: "not_found", 405: "method_not_allowed"}.get(
        status, "http_error"
    )
    return problem(request, status=status, code=code, detail=str(exc))


def method_not_allowed(request: HttpRequest, *, allow: str) -> HttpResponse:
    return problem(
        request,
        status=405,
        code="method_not_allowed",
        detail=_("This address does not accept %(method)s. It accepts: %(allow)s.")
        % {"method": request.method, "allow": allow},
        headers={"Allow": allow},
    )


def on_unexpected(request: HttpRequest, exc: Exception) -> HttpResponse:
    logger.exception("API error on %s", request.path)
    return problem(
        request,
        status=500,
        code="server_error",
        detail=_("Something went wrong on our side. It has been logged; try again later."),
    )


def document_problems(document: Any) -> Any:
    """Declare every error response of an OpenAPI document as ``application/problem+json``
    (Ninja documents all responses with its renderer's one media type)."""
    for item in document.get("paths", {}).values():
        for operation in item.values():
            if not isinstance(operation, dict):
                continue
            for status, response in operation.get("responses", {}).items():
                content = response.get("content") if isinstance(response, dict) else None
                if str(status)[:1] in {"4", "5"} and content and "application/json" in content:
                    content[CONTENT_TYPE] = content.pop("application/json")
    return document


def refuse_nul_characters(request: HttpRequest) -> None:
    """A NUL character in a parameter or a JSON body is refused (422) before any view runs:
    PostgreSQL cannot store or compare text holding one, and would answer with an error."""
    errors: dict[str, list[str]] = {}
    for name, values in request.GET.lists():
        if "\x00" in name or any("\x00" in v for v in values):
            errors.setdefault(name.replace("\x00", ""), []).append(
                _("NUL characters are not allowed.")
            )
    if request.method in {"POST", "PUT", "PATCH"} and b"\\u0000" in (request.body or b""):
        errors.setdefault("body", []).append(_("NUL characters are not allowed."))
    if errors:
        raise ValidationError(
            [{"loc": ["query", name], "msg": msgs[0]} for name, msgs in errors.items()]
        )


def install(api: NinjaAPI) -> None:
    # Ninja types handlers as taking the exception or its class; ours take instances.
    handlers: dict[type[Exception], Any] = {
        Exception: on_unexpected,
        Http404: on_not_found,
        HttpError: on_http_error,
        ValidationError: on_validation_error,
        DomainError: on_domain_error,
    }
    for exc_class, handler in handlers.items():
        api.add_exception_handler(exc_class, handler)
    build = api.get_openapi_schema

    def get_openapi_schema(**kwargs: Any) -> Any:
        return document_problems(build(**kwargs))

    api.get_openapi_schema = get_openapi_schema  # type: ignore[method-assign]

    # Ninja calls create_temporal_response first inside each operation's error handling:
    # the place to refuse unusable input for every operation at once.
    create = api.create_temporal_response

    def create_temporal_response(request: HttpRequest) -> HttpResponse:
        refuse_nul_characters(request)
        return create(request)

    api.create_temporal_response = create_temporal_response  # type: ignore[method-assign]
