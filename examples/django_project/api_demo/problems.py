"""RFC 9457 problem details: one error format, application/problem+json, for every error.

`Problem` is an exception a view raises; the `@api` decorator turns it (and Django's Http404,
and a method the view does not accept) into a problem details response. The same shape comes
out of `problem_exception_handler` for Django REST framework views.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from functools import wraps
from http import HTTPStatus

from django.http import Http404, HttpRequest, HttpResponse, JsonResponse
from django.urls import reverse
from django.views.decorators.csrf import csrf_exempt

PROBLEM_JSON = "application/problem+json"

# The problem types this API defines. Each type URI resolves to a short HTML page that says
# what the problem means and what to do (RFC 9457 asks for that); see `problem_type_page`.
PROBLEM_TYPES = {
    "validation-error": (
        "Your request is not valid.", 422,
        "Fix each member of `errors`: its `pointer` is a JSON Pointer into the request body.",
    ),
    "idempotency-key-reused": (
        "This Idempotency-Key was used with a different request.", 422,
        "Send a new key for a new request; reuse a key only to retry the very same request.",
    ),
    "idempotency-key-in-use": (
        "A request with this Idempotency-Key is still being processed.", 409,
        "Wait, then retry with the same key and body: you will get the first request's response.",
    ),
}


# --8<-- [start:problem]
class Problem(Exception):
    """An error to send as application/problem+json. Raise it anywhere inside an @api view."""

    def __init__(self, status: int, detail: str | None = None, *, type: str = "about:blank",
                 headers: dict[str, str] | None = None, **extensions):
        super().__init__(detail or HTTPStatus(status).phrase)
        self.status, self.detail, self.type = status, detail, type
        self.headers = headers or {}
        self.extensions = extensions  # problem-specific members, e.g. errors=[...]

    @property
    def title(self) -> str:
        # "about:blank" adds nothing to the status code, so its title is the status phrase.
        if self.type == "about:blank":
            return HTTPStatus(self.status).phrase
        return PROBLEM_TYPES[self.type][0]

    def as_dict(self, request: HttpRequest) -> dict:
        body = {"type": type_uri(self.type, request), "title": self.title, "status": self.status}
        if self.detail:
            body["detail"] = self.detail  # for this occurrence; clients must not parse it
        return {**body, **self.extensions}

    def response(self, request: HttpRequest) -> HttpResponse:
        response = JsonResponse(self.as_dict(request), status=self.status, content_type=PROBLEM_JSON)
        for name, value in self.headers.items():
            response[name] = value
        return response


def type_uri(problem_type: str, request: HttpRequest) -> str:
    """An absolute URI for our own types (RFC 9457 recommends absolute ones), as is otherwise."""
    if problem_type in PROBLEM_TYPES:
        return request.build_absolute_uri(reverse("api_demo:problem-type", args=[problem_type]))
    return problem_type
# --8<-- [end:problem]


# --8<-- [start:api]
def api(*methods: str):
    """Accept only `methods`; answer every Problem, Http404 and wrong method as problem details.

    csrf_exempt: these endpoints take JSON from API clients and use no cookie authentication, so
    there is no browser session for a cross-site request to ride on (see the security note).
    """

    def decorate(view):
        @csrf_exempt
        @wraps(view)
        def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
            if request.method not in methods:
                allowed = ", ".join(methods)
                return Problem(405, f"Use {allowed}.", headers={"Allow": allowed}).response(request)
            try:
                return view(request, *args, **kwargs)
            except Problem as problem:
                return problem.response(request)
            except Http404:
                return Problem(404, "There is nothing at this URL.").response(request)

        return wrapper

    return decorate
# --8<-- [end:api]


def read_json(request: HttpRequest) -> dict:
    """The request body as a JSON object, or a 400 problem that says what is wrong with it."""
    try:
        data = json.loads(request.body or b"null")
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise Problem(400, f"The body is not valid JSON: {error}.") from error
    if not isinstance(data, dict):
        raise Problem(400, "The body must be a JSON object.")
    return data


def problem_type_page(request: HttpRequest, slug: str) -> HttpResponse:
    """The human-readable documentation a problem type URI points to."""
    if slug not in PROBLEM_TYPES:
        raise Http404(slug)
    title, status, advice = PROBLEM_TYPES[slug]
    html = f"<!doctype html><title>{title}</title><h1>{title}</h1><p>Status {status}. {advice}</p>"
    return HttpResponse(html, content_type="text/html; charset=utf-8")


# --8<-- [start:drf]
def problem_exception_handler(exc, context):
    """A Django REST framework EXCEPTION_HANDLER that answers with problem details."""
    from rest_framework.exceptions import ValidationError
    from rest_framework.views import exception_handler

    response = exception_handler(exc, context)  # Http404 -> 404, headers such as WWW-Authenticate
    if response is None:
        return None  # not an API error: Django's 500 handling (and error logging) takes over
    if isinstance(exc, ValidationError):
        errors = [{"detail": message, "pointer": pointer} for pointer, message in json_pointers(response.data)]
        problem = Problem(422, "The request body did not validate.", type="validation-error", errors=errors)
        response.status_code = 422
    else:
        problem = Problem(response.status_code, str(response.data.get("detail", "")) or None)
    response.data = problem.as_dict(context["request"])
    response.content_type = PROBLEM_JSON
    return response


def json_pointers(detail, pointer: str = "#") -> Iterator[tuple[str, str]]:
    """DRF's nested error dictionaries and lists as (JSON Pointer, message) pairs."""
    if isinstance(detail, dict):
        for key, value in detail.items():
            token = str(key).replace("~", "~0").replace("/", "~1")  # RFC 6901 escaping
            # non_field_errors belong to the object itself, which is the pointer so far.
            yield from json_pointers(value, pointer if key == "non_field_errors" else f"{pointer}/{token}")
    elif isinstance(detail, list) and all(isinstance(item, str) for item in detail):
        for message in detail:
            yield pointer, str(message)
    else:  # a list of nested objects: one entry per position
        for index, item in enumerate(detail):
            yield from json_pointers(item, f"{pointer}/{index}")
# --8<-- [end:drf]
