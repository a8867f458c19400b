"""One error shape for every error the API returns.

Every 4xx and 5xx body is {"status", "code", "message", "errors"}: `code` is a stable machine
name, `message` is for people, and `errors` lists the problems with the request data (empty
when the error is not about a field). The schema hook publishes ERROR_SCHEMA as the `Error`
component, and the tests validate real responses against it.
"""

from __future__ import annotations

import logging
from collections.abc import Iterator

from django.conf import settings
from rest_framework import status
from rest_framework.exceptions import APIException, ValidationError
from rest_framework.response import Response
from rest_framework.settings import api_settings
from rest_framework.views import exception_handler, set_rollback

logger = logging.getLogger("messaging.api")


# --8<-- [start:conflict]
class Conflict(APIException):
    """409: the request is valid, but the current state of the resource forbids it."""

    status_code = status.HTTP_409_CONFLICT
    default_detail = "The request conflicts with the current state of the resource."
    default_code = "conflict"
# --8<-- [end:conflict]


# --8<-- [start:flatten]
def flatten(detail, field: str | None = None) -> Iterator[dict]:
    """DRF's nested validation details as a flat list of {"field", "code", "message"}.

    {"body": [ErrorDetail("...", "blank")]}            -> field "body"
    {"non_field_errors": [...]}                         -> field None (the object as a whole)
    {"items": [{}, {"qty": [...]}]} (many=True nested) -> field "items.1.qty"
    """
    if isinstance(detail, dict):
        for key, value in detail.items():
            name = None if key == api_settings.NON_FIELD_ERRORS_KEY else str(key)
            yield from flatten(value, ".".join(part for part in (field, name) if part) or None)
    elif isinstance(detail, list):
        for index, item in enumerate(detail):
            if isinstance(item, (dict, list)):
                yield from flatten(item, f"{field}.{index}" if field else str(index))
            else:
                yield from flatten(item, field)
    else:
        yield {"field": field, "code": detail.code, "message": str(detail)}
# --8<-- [end:flatten]


# --8<-- [start:handler]
def api_exception_handler(exc: Exception, context: dict) -> Response | None:
    """REST_FRAMEWORK["EXCEPTION_HANDLER"]: DRF's handler first, then one body for all errors."""
    response = exception_handler(exc, context)  # APIException, Http404, PermissionDenied
    if response is None:
        if settings.DEBUG:
            return None  # let Django show its debug page with the traceback
        # Anything else is a bug: log the traceback, tell the client nothing internal.
        view = context.get("view")
        logger.error("Unhandled exception in %s", type(view).__name__, exc_info=exc)
        set_rollback()
        response = Response(status=status.HTTP_500_INTERNAL_SERVER_ERROR)
        code, message, errors = "server_error", "A server error occurred.", []
    elif isinstance(exc, ValidationError):
        code, message = "invalid", "The request data did not pass validation."
        errors = list(flatten(exc.detail))
    else:
        # response.data is {"detail": ErrorDetail} (or a dict with "detail" for Simple JWT);
        # headers such as WWW-Authenticate and Retry-After are already on `response`.
        data = response.data
        detail = data.get("detail", "") if isinstance(data, dict) else data
        code = getattr(detail, "code", None) or "error"
        message, errors = str(detail), []
    response.data = {"status": response.status_code, "code": code, "message": message, "errors": errors}
    return response
# --8<-- [end:handler]


# The same shape as an OpenAPI 3.0 schema object: the `Error` component of /api/schema/.
ERROR_SCHEMA = {
    "type": "object",
    "description": "The body of every error response.",
    "required": ["status", "code", "message", "errors"],
    "additionalProperties": False,
    "properties": {
        "status": {"type": "integer", "description": "The HTTP status code, repeated.", "example": 404},
        "code": {"type": "string", "description": "A stable, machine-readable name.", "example": "not_found"},
        "message": {
            "type": "string",
            "description": "A sentence for people.",
            "example": "No Conversation matches the given query.",
        },
        "errors": {
            "type": "array",
            "description": "One entry per problem with the request data; empty for other errors.",
            "items": {
                "type": "object",
                "required": ["field", "code", "message"],
                "additionalProperties": False,
                "properties": {
                    "field": {
                        "type": "string",
                        "nullable": True,
                        "description": "Dotted path; null for the object as a whole.",
                    },
                    "code": {"type": "string", "example": "blank"},
                    "message": {"type": "string", "example": "This field may not be blank."},
                },
            },
        },
    },
}
