"""Telling clients about a rate limit before they hit it: RateLimit-Policy and RateLimit (IETF
draft), the common X-RateLimit-* headers, and Retry-After (RFC 9110) on the 429."""

from __future__ import annotations

import time

from django.http import HttpRequest, HttpResponse, JsonResponse
from django_ratelimit.core import get_usage

from api_demo.problems import Problem, api

POLICY, LIMIT, WINDOW = "default", 5, 60  # 5 requests per client IP per 60-second window


# --8<-- [start:headers]
def rate_limit_headers(*, policy: str, limit: int, window: int, remaining: int, reset: int, now: float) -> dict:
    """Both styles of rate-limit header for one fixed-window policy."""
    return {
        # IETF draft (Structured Fields): the policy, then what is left of it and for how long.
        "RateLimit-Policy": f'"{policy}";q={limit};w={window}',
        "RateLimit": f'"{policy}";r={remaining};t={reset}',
        # De facto, with no specification: each API documents its own meaning. Here Reset is a
        # Unix time in seconds, as GitHub documents its header.
        "X-RateLimit-Limit": str(limit),
        "X-RateLimit-Remaining": str(remaining),
        "X-RateLimit-Reset": str(int(now) + reset),
    }
# --8<-- [end:headers]


# --8<-- [start:view]
@api("GET")
def limited(request: HttpRequest) -> HttpResponse:
    # django-ratelimit's counter in the cache; increment=True counts this request.
    usage = get_usage(request, group="api_demo.limited", key="ip", rate=f"{LIMIT}/{WINDOW}s", increment=True)
    if usage is None:  # RATELIMIT_ENABLE = False
        return JsonResponse({"limited": False})
    reset = max(usage["time_left"], 1)  # seconds until this window ends, never 0
    headers = rate_limit_headers(policy=POLICY, limit=LIMIT, window=WINDOW, now=time.time(), reset=reset,
                                 remaining=max(usage["limit"] - usage["count"], 0))
    if usage["should_limit"]:
        # Retry-After (RFC 9110) is the standard answer to "when may I try again?"; the draft
        # asks that it point no earlier than the RateLimit reset, so it is the same number.
        raise Problem(429, f"At most {LIMIT} requests per {WINDOW} seconds.",
                      headers={**headers, "Retry-After": str(reset)})
    response = JsonResponse({"limited": False})
    for name, value in headers.items():
        response[name] = value
    return response
# --8<-- [end:view]
