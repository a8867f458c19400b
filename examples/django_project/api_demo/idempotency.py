"""The Idempotency-Key pattern: a retried POST gets the first response instead of running twice.

Follows the IETF draft "The Idempotency-Key HTTP Header Field": the client sends a unique key
with a POST; the server stores the first response under that key and replays it to every retry
with the same key and body, answers 422 when the key comes back with a different body, and 409
while the first request with that key is still running.
"""

from __future__ import annotations

import hashlib
from datetime import timedelta
from functools import wraps

from django.db import IntegrityError, transaction
from django.http import HttpRequest, HttpResponse
from django.utils import timezone

from api_demo.models import IdempotencyRecord
from api_demo.problems import Problem

KEY_TTL = timedelta(hours=24)  # documented to clients: a key is remembered this long


def parse_key(header: str | None) -> str | None:
    """The key of `Idempotency-Key: "8e03978e-40d5-43e8-bc93-6894a57f9324"`.

    The draft makes the value a Structured Field String, which is quoted; many APIs send it
    unquoted, so both are accepted."""
    if header is None:
        return None
    value = header.strip()
    if len(value) >= 2 and value[0] == value[-1] == '"':
        value = value[1:-1]
    if not value or len(value) > 255:
        raise Problem(400, "Idempotency-Key must be a non-empty string of at most 255 characters.")
    return value


def fingerprint(request: HttpRequest) -> str:
    """What makes two requests "the same request": method, path and body."""
    return hashlib.sha256(b"\n".join([request.method.encode(), request.path.encode(), request.body])).hexdigest()


# --8<-- [start:idempotent]
def idempotent(view):
    """Make a POST view safe to retry when the client sends an Idempotency-Key header."""

    @wraps(view)
    def wrapper(request: HttpRequest, *args, **kwargs) -> HttpResponse:
        key = parse_key(request.headers.get("Idempotency-Key")) if request.method == "POST" else None
        if key is None:
            return view(request, *args, **kwargs)  # no key: an ordinary POST, unsafe to retry
        try:
            with transaction.atomic():  # claim the key; the unique index decides who was first
                record = IdempotencyRecord.objects.create(key=key, fingerprint=fingerprint(request))
        except IntegrityError:
            return replay(IdempotencyRecord.objects.get(key=key), request)
        try:
            response = view(request, *args, **kwargs)
        except Problem as problem:
            response = problem.response(request)  # a refusal (422, 404) is an answer too: replay it
        except BaseException:
            record.delete()  # the request failed: let the client retry with the same key
            raise
        if response.status_code >= 500:
            record.delete()  # a server error is not an answer worth replaying
            return response
        record.status_code = response.status_code
        record.content = response.content
        record.content_type = response.get("Content-Type", "")
        record.location = response.get("Location", "")
        record.save(update_fields=["status_code", "content", "content_type", "location"])
        return response

    return wrapper


def replay(record: IdempotencyRecord, request: HttpRequest) -> HttpResponse:
    if record.fingerprint != fingerprint(request):
        raise Problem(422, "The key was first used with another method, path or body.", type="idempotency-key-reused")
    if record.status_code is None:
        raise Problem(409, "Retry when the first request has finished.", type="idempotency-key-in-use")
    response = HttpResponse(bytes(record.content), status=record.status_code, content_type=record.content_type)
    if record.location:
        response["Location"] = record.location
    response["Idempotent-Replayed"] = "true"  # this example's own header: the body is a replay
    return response
# --8<-- [end:idempotent]


def purge_expired_keys(now=None) -> int:
    """Forget keys older than KEY_TTL; a scheduler calls this, e.g. once an hour."""
    now = now or timezone.now()
    deleted, _ = IdempotencyRecord.objects.filter(created_at__lt=now - KEY_TTL).delete()
    return deleted
