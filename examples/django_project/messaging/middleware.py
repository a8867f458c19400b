"""Four middleware classes, listed in this order at the end of settings.MIDDLEWARE.

Each one reads its settings on every request, so a test can switch it on with the pytest-django
`settings` fixture, and each one does nothing with the project's default settings:

- RequestLoggingMiddleware   logs one line per request (never changes a response);
- OpeningHoursMiddleware     403 outside NEXUS_OPEN_HOURS (unset: always open);
- PostRateLimitMiddleware    429 after NEXUS_POST_RATE_LIMIT POSTs per client IP (unset: no limit);
- StaffOnlyPathsMiddleware   403 under NEXUS_STAFF_ONLY_PREFIXES unless the user is staff.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse, HttpResponseForbidden
from django.utils import timezone

logger = logging.getLogger("nexus.requests")


# --8<-- [start:logging]
class RequestLoggingMiddleware:
    """One INFO line per request: method, path, status, duration (and the user, if enabled)."""

    def __init__(self, get_response):
        self.get_response = get_response  # called once, when the server loads the middleware

    def __call__(self, request: HttpRequest) -> HttpResponse:
        started = time.perf_counter()
        response = self.get_response(request)  # everything inside the onion happens here
        duration_ms = (time.perf_counter() - started) * 1000
        user = "-"
        if getattr(settings, "NEXUS_LOG_REQUEST_USER", False):
            # request.user is lazy: reading it here costs the session and user queries
            # on every request whose view did not need the user itself.
            user = request.user.get_username() or "anonymous"
        logger.info(
            "%s %s %s %.1fms user=%s", request.method, request.path, response.status_code, duration_ms, user,
            extra={"method": request.method, "path": request.path, "status": response.status_code, "user": user},
        )
        return response
# --8<-- [end:logging]


# --8<-- [start:opening_hours]
class OpeningHoursMiddleware:
    """403 Forbidden outside the hours in NEXUS_OPEN_HOURS, e.g. (18, 21) for 18:00-20:59."""

    # The clock is a class attribute so that a test can replace it and choose the time of day.
    clock = staticmethod(timezone.localtime)  # now, in the current time zone (TIME_ZONE unless activate())

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        hours = getattr(settings, "NEXUS_OPEN_HOURS", None)
        if hours is not None and not self.is_open(self.clock().hour, *hours):
            return HttpResponseForbidden(f"Open from {hours[0]:02d}:00 to {hours[1]:02d}:00 only.")
        return self.get_response(request)

    @staticmethod
    def is_open(hour: int, start: int, end: int) -> bool:
        if start <= end:
            return start <= hour < end
        return hour >= start or hour < end  # a window across midnight, e.g. (22, 6)
# --8<-- [end:opening_hours]


# --8<-- [start:rate_limit]
class PostRateLimitMiddleware:
    """At most `limit` POSTs per client IP in each fixed window of `window` seconds.

    NEXUS_POST_RATE_LIMIT = (limit, window), e.g. (5, 60). Counters live in Django's cache,
    so every process that shares the cache (Redis, Memcached) shares the limit.
    """

    clock = staticmethod(time.time)

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        rule = getattr(settings, "NEXUS_POST_RATE_LIMIT", None)
        if rule is None or request.method != "POST":
            return self.get_response(request)
        limit, window = rule
        now = self.clock()
        window_number = int(now // window)
        key = f"post-rate:{request.META.get('REMOTE_ADDR', 'unknown')}:{window_number}"
        cache.add(key, 0, timeout=window)  # creates the counter only if it does not exist yet
        count = cache.incr(key)  # atomic in Redis and Memcached
        if count > limit:
            retry_after = math.ceil((window_number + 1) * window - now)
            response = HttpResponse(f"Too many messages: {limit} per {window} seconds.", status=429)
            response["Retry-After"] = str(retry_after)
            return response
        return self.get_response(request)
# --8<-- [end:rate_limit]


# --8<-- [start:staff_only]
class StaffOnlyPathsMiddleware:
    """403 Forbidden under the path prefixes in NEXUS_STAFF_ONLY_PREFIXES, unless the user is
    staff or a superuser. Needs request.user, so it must come after AuthenticationMiddleware."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        prefixes = tuple(getattr(settings, "NEXUS_STAFF_ONLY_PREFIXES", ()))
        if prefixes and request.path.startswith(prefixes):
            user = request.user
            if not (user.is_authenticated and (user.is_staff or user.is_superuser)):
                return HttpResponseForbidden("Staff only.")
        return self.get_response(request)
# --8<-- [end:staff_only]
